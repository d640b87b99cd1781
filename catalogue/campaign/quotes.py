"""Requests for quotation: an agency asks, the producer answers, the agency accepts and gets an order.

An accepted quotation becomes an ordinary order (one part for the producer, paid by QRIS or in cash) and
a campaign purchase of the agency. It does not take from the shop's stock: the producer committed to
the quantity in the answer, for the date given, and retail shoppers keep what is on the shelf.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import (
    BuyerKind,
    CampaignPurchase,
    Delivery,
    Order,
    OrderLine,
    OrderPart,
    PartStatus,
    Payment,
    Product,
    QuoteRequest,
    QuoteStatus,
)

MSG_NOT_ANSWERED = _("Penawaran ini belum dijawab produsen, atau sudah diterima.")
MSG_CLOSED = _("Permintaan ini sudah ditutup.")


def request_quote(*, product: Product, cleaned: dict) -> QuoteRequest:
    return QuoteRequest.objects.create(
        product=product,
        agency=cleaned["instansi"],
        quantity=cleaned["jumlah"],
        needed_by=cleaned["tanggal"],
        regency=cleaned["kabupaten"],
        contact_name=cleaned["nama"].strip(),
        contact_whatsapp=cleaned["whatsapp"],
        contact_email=cleaned.get("email", ""),
        note=cleaned.get("catatan", "").strip(),
    )


def answer_quote(
    *, quote: QuoteRequest, unit_price: int, quantity: int, available_on: datetime.date, note: str = ""
) -> QuoteRequest:
    """The producer's offer; it may be revised until the agency accepts."""
    with transaction.atomic():
        quote = QuoteRequest.objects.select_for_update().get(pk=quote.pk)
        if quote.status not in (QuoteStatus.REQUESTED, QuoteStatus.ANSWERED):
            raise ValidationError(MSG_CLOSED, code="closed")
        quote.unit_price, quote.quantity_available, quote.available_on = unit_price, quantity, available_on
        quote.producer_note = note.strip()
        quote.status = QuoteStatus.ANSWERED
        quote.answered_at = timezone.now()
        quote.save()
    return quote


def decline_quote(*, quote: QuoteRequest, note: str = "") -> None:
    updated = QuoteRequest.objects.filter(
        pk=quote.pk, status__in=(QuoteStatus.REQUESTED, QuoteStatus.ANSWERED)
    ).update(status=QuoteStatus.DECLINED, producer_note=note.strip(), answered_at=timezone.now())
    if not updated:
        raise ValidationError(MSG_CLOSED, code="closed")


@transaction.atomic
def accept_quote(
    *,
    quote: QuoteRequest,
    address: str,
    payment: str,
    official_name: str,
    official_title: str,
    npwp: str = "",
) -> Order:
    """Turn an answered quotation into an order of the agency; accepting twice makes one order."""
    quote = QuoteRequest.objects.select_for_update().select_related("product__producer").get(pk=quote.pk)
    if quote.status != QuoteStatus.ANSWERED:
        raise ValidationError(MSG_NOT_ANSWERED, code="not_answered")
    producer = quote.product.producer
    if payment == Payment.QRIS and not producer.has_qris:
        payment = Payment.COD
    total = quote.offer_total
    order = Order.objects.create(
        checkout_key=f"quote-{quote.token}",
        buyer_name=quote.contact_name,
        buyer_whatsapp=quote.contact_whatsapp,
        buyer_email=quote.contact_email,
        delivery=Delivery.DELIVERY,
        address=address.strip(),
        regency=quote.regency,
        note=_("Dari permintaan penawaran; siap tanggal %(day)s.")
        % {"day": quote.available_on.strftime("%d-%m-%Y")},
        payment=payment,
        total=total,
    )
    part = OrderPart.objects.create(
        order=order, producer=producer, status=PartStatus.first_for(payment), subtotal=total
    )
    OrderLine.objects.create(
        part=part,
        product=quote.product,
        product_name=quote.product.name,
        unit=quote.product.unit,
        unit_price=quote.unit_price,
        quantity=quote.quantity_available,
    )
    CampaignPurchase.objects.create(
        order=order,
        kind=BuyerKind.AGENCY,
        agency=quote.agency,
        official_name=official_name.strip(),
        official_title=official_title.strip(),
        npwp=npwp,
    )
    quote.status, quote.order = QuoteStatus.ACCEPTED, order
    quote.save(update_fields=["status", "order"])
    return order
