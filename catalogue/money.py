"""Rupiah amounts are whole numbers: shown as `Rp25.000`, never with decimals."""


def format_rupiah(amount: int | None) -> str:
    if amount is None:
        return ""
    value = int(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp{abs(value):,}".replace(",", ".")
