"""Admin exports are named in Indonesian with the date in WITA, and their field choices read Indonesian."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.resources import ProductResource
from tests import factories
from villages.resources import VillageResource

pytestmark = pytest.mark.django_db


def download(client, url: str, data: dict) -> str:
    response = client.post(url, data)
    assert response.status_code == 200
    return response["Content-Disposition"]


def test_a_product_export_is_named_produk_and_the_date(admin_client):
    factories.product()
    fields = {f"productresource_{name}": "on" for name in ProductResource().fields}
    disposition = download(
        admin_client, reverse("admin:catalogue_product_export"), {"format": "1", "resource": "0", **fields}
    )
    assert disposition == f'attachment; filename="produk-{timezone.localdate().isoformat()}.xlsx"'


def test_a_village_export_is_named_desa_and_the_date_in_wita(admin_client):
    factories.village()
    fields = {f"villageresource_{name}": "on" for name in VillageResource().fields}
    disposition = download(
        admin_client, reverse("admin:villages_village_export"), {"format": "0", "resource": "0", **fields}
    )
    assert disposition == f'attachment; filename="desa-{timezone.localdate().isoformat()}.csv"'


def test_the_export_form_labels_fields_with_their_indonesian_headers(admin_client):
    html = admin_client.get(reverse("admin:catalogue_product_export")).content.decode()
    assert ">produsen</label>" in html
    assert ">kode desa</label>" in html
    assert "Village Code" not in html
