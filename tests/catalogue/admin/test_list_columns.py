"""Each back-office list shows the columns its reader's role needs (catalogue/admin/columns.py):
Admin PMD works every list in full, field officers see what they act on, partners read."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from catalogue.models import (
    CampaignPurchase,
    Order,
    OrderPart,
    PartStatus,
    Producer,
    Product,
    QuoteRequest,
    Stage,
    StageChange,
)
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db


def columns(model, user) -> list[str]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return list(admin.site._registry[model].get_list_display(request))


def test_admin_pmd_and_a_superuser_see_every_column_of_the_order_lists():
    for user in (backoffice.staff(ADMIN_PMD), backoffice.staff(superuser=True)):
        assert columns(Order, user) == [
            "number",
            "created_at",
            "buyer_name",
            "how",
            "total_display",
            "statuses",
        ]
        assert "amount_display" in columns(OrderPart, user)
        assert "official_name" in columns(CampaignPurchase, user)


def test_a_field_officer_sees_what_to_deliver_not_the_money():
    officer = backoffice.staff(PENDAMPING)
    assert columns(Order, officer) == ["number", "created_at", "buyer_name", "regency", "statuses"]
    assert columns(OrderPart, officer) == [
        "number",
        "producer",
        "status",
        "lines_summary",
        "status_changed_at",
    ]
    assert columns(QuoteRequest, officer)[:3] == ["product", "quantity", "needed_by"]
    assert "official_name" not in columns(CampaignPurchase, officer)
    assert "officer" not in columns(Stage, officer)


def test_a_partner_reads_progress_without_contacts_notes_or_stock():
    partner = backoffice.staff(MITRA)
    assert "whatsapp" not in columns(Producer, partner)
    assert "stock" not in columns(Product, partner)
    assert columns(Stage, partner) == ["product", "kind", "status", "completed_on"]
    assert not {"changed_by", "note"} & set(columns(StageChange, partner))


def test_staff_in_no_group_get_the_partners_reading_lists():
    for model in (Product, Producer, Stage, StageChange, CampaignPurchase):
        assert columns(model, backoffice.staff()) == columns(model, backoffice.staff(MITRA))


def test_a_user_in_two_groups_gets_the_list_of_the_higher_role():
    user = backoffice.staff(MITRA)
    user.groups.add(*backoffice.staff(ADMIN_PMD).groups.all())
    assert "stock" in columns(Product, user)


def test_the_field_officers_part_list_shows_each_parts_lines():
    product = factories.product(name="Madu Hutan Timor")
    backoffice.order([(product, 2)], status=PartStatus.AWAITING_PAYMENT)
    client = Client()
    client.force_login(backoffice.staff(PENDAMPING))
    html = client.get("/admin/catalogue/orderpart/").content.decode()
    assert "column-lines_summary" in html and "Madu Hutan Timor" in html
    assert "column-amount_display" not in html
