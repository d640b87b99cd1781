"""An order part's own page: buttons for the moves its status allows (through OrderPart.move), the
payment reference, who confirmed the payment and when, the event timeline; lists per role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import OrderEvent, PartStatus, Product
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue.backoffice import ADMIN_PMD, MITRA, PENDAMPING

pytestmark = pytest.mark.django_db


@pytest.fixture
def part():
    product = factories.product(name="Madu Hutan Timor", stock=5)
    return backoffice.order([(product, 2)], status=PartStatus.AWAITING_PAYMENT).parts.get()


def client_for(group: str):
    client = Client()
    user = backoffice.staff(group, username=f"petugas-{group.split()[0].lower()}")
    client.force_login(user)
    return client, user


def page(client: Client, part) -> str:
    return client.get(reverse("admin:catalogue_orderpart_change", args=[part.pk])).content.decode()


def move(client: Client, part, to: str, **data):
    url = reverse("admin:catalogue_orderpart_move", args=[part.pk])
    return client.post(url, {"to": to, **data}, follow=True)


def test_the_page_offers_exactly_the_allowed_moves(part):
    client, _ = client_for(ADMIN_PMD)
    html = page(client, part)
    for status in PartStatus.next_allowed(part.status):
        assert f'name="to" value="{status}"' in html
    assert 'name="to" value="selesai"' not in html


def test_confirming_a_payment_records_the_reference_who_and_when_and_the_timeline(part):
    client, officer = client_for(ADMIN_PMD)
    response = move(client, part, PartStatus.PAID, reference="QR-8812-KUPANG", note="Cek mutasi BRI")
    assert "Status menjadi “Dibayar”." in response.content.decode()
    part.refresh_from_db()
    assert (part.status, part.payment_reference, part.paid_confirmed_by) == (
        PartStatus.PAID,
        "QR-8812-KUPANG",
        officer,
    )
    assert part.paid_at is not None
    event = OrderEvent.objects.get(part=part)
    assert (event.from_status, event.to_status, event.actor) == (
        PartStatus.AWAITING_PAYMENT,
        PartStatus.PAID,
        officer,
    )
    html = page(client, part)
    assert "QR-8812-KUPANG" in html and officer.username in html
    assert "Menunggu pembayaran → Dibayar" in html and "Cek mutasi BRI" in html
    assert 'name="to" value="dikirim"' in html and 'name="to" value="dibayar"' not in html


def test_marking_paid_needs_a_reference(part):
    client, _ = client_for(ADMIN_PMD)
    response = move(client, part, PartStatus.PAID)
    assert "Isi referensi pembayaran" in response.content.decode()
    part.refresh_from_db()
    assert part.status == PartStatus.AWAITING_PAYMENT


def test_a_move_the_status_does_not_allow_changes_nothing(part):
    client, _ = client_for(ADMIN_PMD)
    response = move(client, part, PartStatus.DONE)
    assert "Tidak diubah" in response.content.decode()
    part.refresh_from_db()
    assert part.status == PartStatus.AWAITING_PAYMENT
    assert move(client, part, "terbang").status_code == 200
    part.refresh_from_db()
    assert part.status == PartStatus.AWAITING_PAYMENT


def test_cancelling_returns_the_stock_and_says_so_in_words(part):
    client, _ = client_for(ADMIN_PMD)
    move(client, part, PartStatus.CANCELLED, note="Pembeli membatalkan")
    assert Product.objects.get(name="Madu Hutan Timor").stock == 7
    html = page(client, part)
    assert "Ya, stok sudah kembali" in html
    assert "icon-no.svg" not in html  # no red ✖ that reads like an error


def test_a_field_officer_reads_the_page_without_buttons_and_may_not_move(part):
    client, _ = client_for(PENDAMPING)
    html = page(client, part)
    assert "Madu Hutan Timor" in html and 'name="to"' not in html
    assert move(client, part, PartStatus.CANCELLED).status_code == 403
    part.refresh_from_db()
    assert part.status == PartStatus.AWAITING_PAYMENT


def test_the_product_list_is_a_reading_list_for_partners():
    factories.product(name="Kopi Arabika Colol")
    admin_client, _ = client_for(ADMIN_PMD)
    partner, _ = client_for(MITRA)
    url = reverse("admin:catalogue_product_changelist")
    assert "column-stock" in admin_client.get(url).content.decode()
    html = partner.get(url).content.decode()
    assert "column-stock" not in html and "column-certificates_list" in html
    assert "Kopi Arabika Colol" in html
