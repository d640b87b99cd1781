"""The portal pages: what a producer sees and does, and what nobody else can reach."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import OrderEvent, PartStatus, Product, ShippingRate
from tests import factories

pytestmark = pytest.mark.django_db


def signed_in(producer) -> Client:
    client = Client()
    client.force_login(factories.producer_user(producer, producer.whatsapp))
    return client


@pytest.fixture
def two_producers():
    """Two producers, each with a product, an order part and a signed-in phone."""
    mine, theirs = factories.product(stock=10), factories.product(stock=10)
    return {
        "mine": mine,
        "theirs": theirs,
        "my_part": factories.order_part(mine, buyer_name="Maria Ndapa"),
        "their_part": factories.order_part(theirs, buyer_name="Yohana Bili"),
        "me": signed_in(mine.producer),
        "them": signed_in(theirs.producer),
    }


def portal_urls(part_id: int, slug: str) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("catalogue:producer_part", kwargs={"part_id": part_id}), {}),
        ("post", reverse("catalogue:producer_part", kwargs={"part_id": part_id}), {"status": "dibayar"}),
        ("post", reverse("catalogue:producer_part_quote", kwargs={"part_id": part_id}), {"ongkir": "5000"}),
        ("get", reverse("catalogue:producer_product", kwargs={"slug": slug}), {}),
        ("post", reverse("catalogue:producer_product", kwargs={"slug": slug}), {"stok": "0", "harga": "1"}),
    ]


def test_another_producers_part_and_product_answer_404_to_get_and_post(two_producers):
    p = two_producers
    for method, url, data in portal_urls(p["their_part"].pk, p["theirs"].slug):
        response = getattr(p["me"], method)(url, data)
        assert response.status_code == 404, (method, url)
    p["their_part"].refresh_from_db()
    assert p["their_part"].status == PartStatus.AWAITING_PAYMENT
    assert Product.objects.get(pk=p["theirs"].pk).stock == 8
    assert not OrderEvent.objects.exists()


def test_anonymous_visitors_are_sent_to_the_signin_page_from_every_portal_url(two_producers):
    p = two_producers
    urls = [
        *portal_urls(p["my_part"].pk, p["mine"].slug),
        ("get", "/produsen/", {}),
        ("get", "/produsen/ongkir/", {}),
    ]
    for method, url, data in urls:
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"] == "/produsen/masuk/"
    assert not OrderEvent.objects.exists()


def test_staff_who_are_not_producers_get_404_in_the_portal(two_producers):
    staff = Client()
    staff.force_login(get_user_model().objects.create_user("petugas", is_staff=True))
    assert staff.get("/produsen/").status_code == 404
    assert (
        staff.get(
            reverse("catalogue:producer_part", kwargs={"part_id": two_producers["my_part"].pk})
        ).status_code
        == 404
    )


def test_the_home_lists_only_own_parts_grouped_with_buyer_contact(two_producers):
    p = two_producers
    body = p["me"].get("/produsen/").content.decode()
    assert p["my_part"].order.number in body
    assert "Maria Ndapa" in body
    assert "https://wa.me/6281234567890" in body
    assert p["their_part"].order.number not in body
    assert "Yohana Bili" not in body
    assert body.index("Menunggu konfirmasi pembayaran") < body.index(p["my_part"].order.number)


def test_the_home_groups_parts_by_what_needs_doing(two_producers):
    mine = two_producers["mine"]
    quote = factories.order_part(
        mine, status=PartStatus.AWAITING_QUOTE, delivery="kirim", address="Jl. Timor Raya 1"
    )
    body = two_producers["me"].get("/produsen/").content.decode()
    group = body[body.index('id="ongkir"') : body.index('id="siapkan"')]
    assert quote.order.number in group
    assert "Jl. Timor Raya 1" in group
    assert two_producers["my_part"].order.number not in group


def part_url(part) -> str:
    return reverse("catalogue:producer_part", kwargs={"part_id": part.pk})


def test_confirming_a_payment_with_a_reference_records_the_producer_user(two_producers):
    part = two_producers["my_part"]
    response = two_producers["me"].post(part_url(part), {"status": "dibayar", "referensi": "BRI 12345"})
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.status == PartStatus.PAID
    event = part.events.get()
    assert event.actor.producer_member.producer == part.producer
    assert (event.reference, event.actor_label) == ("BRI 12345", "produsen")


def test_shipping_with_courier_and_tracking_then_done(two_producers):
    part = factories.order_part(two_producers["mine"], delivery="kirim", address="Jl. El Tari 2")
    client = two_producers["me"]
    client.post(part_url(part), {"status": "dibayar"})
    client.post(part_url(part), {"status": "dikirim", "kurir": "JNE", "resi": "JNE0001"})
    client.post(part_url(part), {"status": "selesai"})
    part.refresh_from_db()
    assert part.status == PartStatus.DONE
    assert list(part.events.values_list("to_status", flat=True)) == ["dibayar", "dikirim", "selesai"]
    assert part.events.get(to_status="dikirim").tracking == "JNE0001"
    page = client.get(part_url(part)).content.decode()
    assert "JNE0001" in page


def test_a_pickup_is_made_ready_never_shipped(two_producers):
    part, client = two_producers["my_part"], two_producers["me"]
    client.post(part_url(part), {"status": "dibayar"})
    page = client.get(part_url(part)).content.decode()
    assert "Siap diambil" in page and "Sudah dikirim" not in page
    assert client.post(part_url(part), {"status": "dikirim"}).status_code == 409
    assert client.post(part_url(part), {"status": "siap_diambil"}).status_code == 302


def test_a_move_not_allowed_is_refused_with_a_message(two_producers):
    part = two_producers["my_part"]
    response = two_producers["me"].post(part_url(part), {"status": "selesai"})
    assert response.status_code == 409
    assert "tidak bisa menjadi" in response.content.decode()
    response = two_producers["me"].post(part_url(part), {"status": "terbang"})
    assert response.status_code == 400


def test_cancelling_needs_a_reason_and_returns_the_stock_once(two_producers):
    part, product, client = two_producers["my_part"], two_producers["mine"], two_producers["me"]
    assert client.post(part_url(part), {"status": "dibatalkan"}).status_code == 400
    assert Product.objects.get(pk=product.pk).stock == 8
    assert client.post(part_url(part), {"status": "dibatalkan", "alasan": "Stok rusak"}).status_code == 302
    assert client.post(part_url(part), {"status": "dibatalkan", "alasan": "lagi"}).status_code == 409
    assert Product.objects.get(pk=product.pk).stock == 10
    assert part.events.get().note == "Stok rusak"


def test_quoting_shipping_moves_the_part_on_and_emails_the_buyer(two_producers):
    mine = two_producers["mine"]
    part = factories.order_part(
        mine, status=PartStatus.AWAITING_QUOTE, delivery="kirim", buyer_email="pembeli@example.id"
    )
    url = reverse("catalogue:producer_part_quote", kwargs={"part_id": part.pk})
    assert two_producers["me"].post(url, {"ongkir": "Rp 15.000"}).status_code == 400
    assert two_producers["me"].post(url, {"ongkir": "15000"}).status_code == 302
    part.refresh_from_db()
    assert (part.status, part.shipping) == (PartStatus.AWAITING_PAYMENT, 15000)
    assert part.order.total == part.subtotal + 15000
    assert mail.outbox[-1].to == ["pembeli@example.id"]
    assert "Rp15.000" in mail.outbox[-1].body
    assert two_producers["me"].post(url, {"ongkir": "20000"}).status_code == 409


def test_a_producer_edits_stock_price_preparation_time_and_a_holiday(two_producers):
    product, client = two_producers["mine"], two_producers["me"]
    url = reverse("catalogue:producer_product", kwargs={"slug": product.slug})
    until = timezone.localdate() + datetime.timedelta(days=7)
    data = {"stok": "25", "harga": "30000", "lama_proses": "3", "libur_sampai": until.isoformat()}
    assert client.post(url, data).status_code == 302
    product.refresh_from_db()
    assert (product.stock, product.price, product.lead_days, product.paused_until) == (25, 30000, 3, until)
    assert product.is_paused
    history = LogEntry.objects.get(object_id=str(product.pk))
    assert history.user.producer_member.producer == product.producer  # recorded with its user
    assert "harga" in history.change_message
    public = Client().get(product.get_absolute_url()).content.decode()
    assert "Libur sampai" in public and "Disiapkan dalam 3 hari" in public
    assert f'<span class="cart-sr"> {product.name}</span>' not in public  # no add-to-cart button
    bad = client.post(url, {**data, "harga": "0", "stok": "-1"})
    assert bad.status_code == 400
    product.refresh_from_db()
    assert product.price == 30000


def test_a_producer_sets_shipping_rates_per_regency():
    kupang = factories.regency("53.71", "Kota Kupang")
    ende = factories.regency("53.08", "Kabupaten Ende")
    producer = factories.producer()
    client = signed_in(producer)
    page = client.get("/produsen/ongkir/").content.decode()
    assert "Kota Kupang" in page and "Kabupaten Ende" in page
    data = {
        f"harga_{kupang.slug}": "12000",
        f"hari_{kupang.slug}": "2",
        f"harga_{ende.slug}": "",
        f"hari_{ende.slug}": "",
    }
    assert client.post("/produsen/ongkir/", data).status_code == 302
    assert ShippingRate.objects.get(producer=producer).regency == kupang
    assert ShippingRate.objects.rate_for(producer, kupang).eta_days == 2
    assert client.post("/produsen/ongkir/", {f"harga_{kupang.slug}": "abc"}).status_code == 400


def test_every_portal_post_needs_a_csrf_token(two_producers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(producer_member__producer=two_producers["mine"].producer))
    assert client.post(part_url(two_producers["my_part"]), {"status": "dibayar"}).status_code == 403
