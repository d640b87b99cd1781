import pytest

from catalogue.money import format_rupiah


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(25000, "Rp25.000"), (1, "Rp1"), (1500000, "Rp1.500.000"), (0, "Rp0"), (9999999999, "Rp9.999.999.999")],
)
def test_rupiah_has_dot_thousands_and_no_decimals(amount, shown):
    assert format_rupiah(amount) == shown
