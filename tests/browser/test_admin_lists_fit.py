"""The back office at an officer's 1366 x 900 screen: the busiest lists fit without sideways scrolling,
for every role's own columns (catalogue/admin/columns.py), and an order part's page shows its move
buttons (issue 16)."""

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


# Each role's lists (the columns differ per role); a list a role may not open is not in its row.
ORDER_LISTS = [
    "catalogue.order",
    "catalogue.orderpart",
    "catalogue.campaignpurchase",
    "catalogue.quoterequest",
]
READ_LISTS = ["catalogue.product", "catalogue.producer", "catalogue.stage", "catalogue.stagechange"]
ROLE_LISTS = {
    "Admin PMD": [*READ_LISTS, *ORDER_LISTS, "villages.candidate"],
    "Pendamping PMD": [*READ_LISTS, *ORDER_LISTS, "villages.candidate"],
    "Mitra": [*READ_LISTS, "villages.candidate"],
}


@pytest.mark.parametrize("group", list(ROLE_LISTS))
def test_each_roles_lists_fit_1366_pixels(make_page, problems, live_server, demo_data, group):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from catalogue.models import PartStatus, Product, QuoteRequest
    from tests.catalogue import backoffice
    from tests.catalogue.campaign import factories as campaign

    product = Product.objects.order_by("pk").first()
    backoffice.order([(product, 1)], status=PartStatus.AWAITING_PAYMENT)
    campaign.purchase(product_=product, official_name="Drs. Yoseph Bere Mau, M.Si.")
    QuoteRequest.objects.create(
        agency=campaign.agency(),
        product=product,
        quantity=40,
        needed_by=timezone.localdate(),
        regency=product.producer.village.district.regency,
        contact_name="Maria Goreti Bria",
        contact_whatsapp="+6281234567890",
    )
    user = get_user_model().objects.create_user("peran-uji", password=PASSWORD, is_staff=True)
    # A transactional test's flush empties the groups the data migrations filled: the group gives the
    # columns (its name), the permissions to open the lists are given to the user directly.
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    user.user_permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=f"view_{model}")
            for app, model in (label.split(".") for label in ROLE_LISTS[group])
        )
    )
    page = make_page(viewport=LAPTOP)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "peran-uji")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for label in ROLE_LISTS[group]:
        path = "/admin/{}/{}/".format(*label.split("."))
        page.goto(live_server.url + path)
        assert page.locator("#result_list").count() == 1, f"{path} lists nothing for {group}"
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{path} scrolls sideways by {overflow} px for {group}"
    problems.assert_none()
