"""Buyers' data behind every admin and staff URL: walked as each staff group and as a visitor.

The walk is generated (tests/ovop/admin_walk.py), so a page added to the admin later is checked
without anyone remembering to list it here.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from catalogue.models import Order, Product
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING
from tests.ovop import admin_walk

pytestmark = pytest.mark.django_db


def client_for(group: str | None) -> Client:
    client = Client()
    if group:
        client.force_login(backoffice.staff(group))
    return client


def visit(client: Client, page: admin_walk.Page, method: str = "get"):
    if method == "post":
        return client.post(page.url, {}, follow=True)
    return client.get(page.url, follow=True)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def leaks(content: bytes) -> list[str]:
    text = content.decode("utf-8", errors="replace")
    return [label for label, value in admin_walk.BUYER_DATA.items() if value in text]


def test_the_walker_reaches_every_kind_of_admin_page():
    objects = admin_walk.plant_one_of_everything()
    urls = {page.url for page in admin_walk.admin_pages()}
    order = objects["order"]
    order_type = ContentType.objects.get_for_model(Order).pk
    assert f"/admin/catalogue/order/{order.pk}/change/" in urls
    assert f"/admin/catalogue/order/{order.pk}/history/" in urls
    assert "/admin/villages/village/import/" in urls
    assert "/admin/catalogue/product/export/" in urls
    assert f"/admin/r/{order_type}/{order.pk}/" in urls
    assert "/admin/catalogue/" in urls
    assert len(urls) > 100


@pytest.mark.parametrize("group", [MITRA, None], ids=["mitra", "anonim"])
def test_no_admin_or_staff_url_shows_buyers_data_to_partners_or_visitors(group):
    objects = admin_walk.plant_one_of_everything()
    client = client_for(group)
    pages = admin_walk.admin_pages() + admin_walk.staff_pages(objects)
    found = []
    for page in pages:
        for method in ("get", "post"):
            if method == "post" and page.url.endswith("/logout/"):
                continue  # would end the session for the pages that follow
            response = visit(client, page, method)
            assert response.status_code < 500, f"{page.what} {method} {page.url}: {response.status_code}"
            found += [f"{page.what} ({method} {page.url}): {label}" for label in leaks(body(response))]
    assert found == []


def test_the_planted_buyer_data_is_visible_to_admin_pmd_so_the_walk_can_see_a_leak():
    objects = admin_walk.plant_one_of_everything()
    client = client_for(ADMIN_PMD)
    order = objects["order"]
    change = client.get(f"/admin/catalogue/order/{order.pk}/change/")
    assert set(leaks(change.content)) >= {"name", "email", "address"}
    order_type = ContentType.objects.get_for_model(Order).pk
    shortcut = client.get(f"/admin/r/{order_type}/{order.pk}/", follow=True)
    assert "name" in leaks(shortcut.content)


@pytest.mark.parametrize("group", [ADMIN_PMD, PENDAMPING, MITRA])
def test_every_admin_and_staff_page_answers_each_group_without_a_server_error(group):
    objects = admin_walk.plant_one_of_everything()
    client = client_for(group)
    for page in admin_walk.admin_pages() + admin_walk.staff_pages(objects):
        response = visit(client, page)
        assert response.status_code < 500, f"{group}: {page.what} {page.url} gave {response.status_code}"


def test_view_on_site_for_an_order_is_a_404_for_partners():
    objects = admin_walk.plant_one_of_everything()
    order = objects["order"]
    order_type = ContentType.objects.get_for_model(Order).pk
    response = client_for(MITRA).get(f"/admin/r/{order_type}/{order.pk}/")
    assert response.status_code == 404
    assert admin_walk.BUYER_NAME not in response.content.decode()


def test_view_on_site_still_leads_staff_to_what_they_may_see():
    objects = admin_walk.plant_one_of_everything()
    product = objects["product"]
    product_type = ContentType.objects.get_for_model(Product).pk
    response = client_for(MITRA).get(f"/admin/r/{product_type}/{product.pk}/")
    assert response.status_code == 302
    assert response["Location"].endswith(product.get_absolute_url())
    order = objects["order"]
    order_type = ContentType.objects.get_for_model(Order).pk
    response = client_for(PENDAMPING).get(f"/admin/r/{order_type}/{order.pk}/")
    assert response.status_code == 302


@pytest.mark.parametrize(
    "address", ["/admin/r/abc/1/", "/admin/r/999999/1/", "/admin/r/99999999999999999999/1/"]
)
def test_view_on_site_with_a_nonsense_content_type_is_a_404(address):
    assert client_for(ADMIN_PMD).get(address).status_code == 404
