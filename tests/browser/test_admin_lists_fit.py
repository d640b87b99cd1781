"""The back office at an officer's 1366 x 900 screen: the busiest lists fit without sideways scrolling,
and an order part's page shows its move buttons (issue 16)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kata-sandi-uji-1"
LAPTOP = {"width": 1366, "height": 900}
# Sideways scrolling of the page, or of the list's own scroller (the admin lets .results scroll).
OVERFLOW = """Math.max(
  document.documentElement.scrollWidth - document.documentElement.clientWidth,
  ...[...document.querySelectorAll("#changelist .results")].map((e) => e.scrollWidth - e.clientWidth)
)"""


@pytest.fixture
def officer(transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", PASSWORD)


def test_lists_fit_1366_pixels(make_page, problems, live_server, demo_data, officer):
    from catalogue.models import PartStatus, Product
    from tests.catalogue import backoffice

    products = list(Product.objects.order_by("pk")[:3])
    part = backoffice.order([(p, 1) for p in products], status=PartStatus.AWAITING_PAYMENT).parts.first()
    page = make_page(viewport=LAPTOP)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "pmd-uji")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for path in ["/admin/catalogue/product/", "/admin/catalogue/order/", "/admin/catalogue/orderpart/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px"
    page.goto(live_server.url + f"/admin/catalogue/orderpart/{part.pk}/change/")
    assert page.locator("button[name=to][value=dibayar]").is_visible()
    problems.assert_none()
