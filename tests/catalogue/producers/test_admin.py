"""The portal's records in the back office: rates inline on the producer, a part's status history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import PartStatus, ShippingRate
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db


def test_an_officer_edits_a_producers_rates_inline(client):
    producer = factories.producer()
    kupang = factories.regency("53.71", "Kota Kupang")
    client.force_login(backoffice.staff(backoffice.PENDAMPING))
    url = reverse("admin:catalogue_producer_change", args=[producer.pk])
    data = backoffice.form_data(client.get(url).content.decode(), "producer_form")
    data.update(
        {
            "shipping_rates-TOTAL_FORMS": "1",
            "shipping_rates-0-regency": str(kupang.pk),
            "shipping_rates-0-price": "12000",
            "shipping_rates-0-eta_days": "2",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ShippingRate.objects.rate_for(producer, kupang).price == 12000


def test_a_parts_history_shows_in_the_admin_with_who_acted(client):
    part = factories.order_part()
    officer = backoffice.staff(backoffice.ADMIN_PMD, username="petugas-ani")
    part.move(to=PartStatus.PAID, by=officer, reference="BNI-1")
    client.force_login(officer)
    html = client.get(reverse("admin:catalogue_orderpart_change", args=[part.pk])).content.decode()
    assert "BNI-1" in html and "petugas-ani" in html and "Petugas PMD" in html
