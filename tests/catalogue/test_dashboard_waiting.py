"""The dashboard lists, per producer, the parts waiting on that producer for more than 24 hours."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue import reports
from catalogue.models import OrderPart, PartStatus
from tests import factories
from tests.catalogue import backoffice

pytestmark = pytest.mark.django_db


def waiting_part(status: str, hours: float, product=None):
    part = factories.order_part(product, status=status)
    OrderPart.objects.filter(pk=part.pk).update(status_changed_at=timezone.now() - timedelta(hours=hours))
    return part


def test_parts_waiting_over_a_day_are_grouped_per_producer_oldest_first():
    product = factories.product()
    quote = waiting_part(PartStatus.AWAITING_QUOTE, 30, product)
    paid = waiting_part(PartStatus.PAID, 50, product)
    waiting_part(PartStatus.PAID, 2, product)  # fresh: not yet late
    waiting_part(PartStatus.SHIPPED, 80, product)  # waits on the courier, not the producer
    other = waiting_part(PartStatus.AWAITING_QUOTE, 25)
    rows = reports.waiting_on_producers()
    assert [row.producer for row in rows] == [product.producer, other.producer]
    assert rows[0].parts == [paid, quote]


def test_the_dashboard_shows_waiting_parts_to_officers_but_not_to_partners():
    part = waiting_part(PartStatus.AWAITING_QUOTE, 30)
    address = reverse("catalogue:dashboard")
    officer, partner = Client(), Client()
    officer.force_login(backoffice.staff(backoffice.PENDAMPING))
    partner.force_login(backoffice.staff(backoffice.MITRA))
    html = officer.get(address).content.decode()
    assert "menunggu produsen lebih dari 24 jam" in html
    assert part.order.number in html and part.producer.name in html
    assert part.order.number not in partner.get(address).content.decode()
