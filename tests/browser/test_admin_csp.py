"""The admin under the enforced CSP: PMD officers' pages load and work with no CSP violation and no
console error (the public pages are covered by test_storefront.py)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "kata-sandi-uji-1"


@pytest.fixture
def officer(transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("pmd-uji", "pmd@example.org", PASSWORD)


def sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "pmd-uji")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def test_admin_pages_load_without_csp_violations(page, problems, live_server, demo_data, officer):
    from catalogue.models import Producer, Product

    product = Product.objects.order_by("pk").first()
    producer = Producer.objects.order_by("pk").first()
    sign_in(page, live_server)
    for path in [
        "/admin/",
        "/admin/catalogue/product/",
        f"/admin/catalogue/product/{product.pk}/change/",
        "/admin/catalogue/product/add/",
        f"/admin/catalogue/producer/{producer.pk}/change/",
        "/admin/villages/village/",
        "/admin/catalogue/order/",
        "/dasbor/",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "Content-Security-Policy-Report-Only" not in response.headers
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
    problems.assert_none()


def test_admin_scripts_still_work_under_the_csp(page, problems, live_server, demo_data, officer):
    """Prepopulated slugs, the producer autocomplete and inline rows are admin JavaScript."""
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/catalogue/product/add/")
    page.locator("#id_name").press_sequentially("Kopi Uji Bajawa")  # prepopulate.js listens to keyup
    assert page.input_value("#id_slug") == "kopi-uji-bajawa"
    add_image = page.locator("#images-group .add-row a")
    add_image.click()
    assert page.locator("#images-group tr.form-row.dynamic-images").count() == 1
    page.locator(".field-producer .select2-selection").click()
    page.locator(".select2-search__field").fill("a")
    page.locator(".select2-results__option").first.wait_for()
    problems.assert_none()


def test_the_export_pages_select_all_box_works_under_the_csp(page, problems, live_server, officer):
    """django-import-export's own template wired it with an inline onchange, which the CSP blocked."""
    sign_in(page, live_server)
    page.goto(live_server.url + "/admin/catalogue/product/export/")
    fields = page.locator('.selectable-field-export-row:visible input[type="checkbox"]')
    assert fields.count() > 2
    toggle = page.locator(".select-toggle:visible")
    toggle.uncheck()
    assert all(not box.is_checked() for box in fields.all())
    toggle.check()
    assert all(box.is_checked() for box in fields.all())
    problems.assert_none()
