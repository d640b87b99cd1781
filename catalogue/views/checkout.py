"""Checkout (`/checkout/`) and the order page (`/pesanan/<token>/`, the only way to see an order).

The checkout form carries a one-time key (``kunci``) issued when the page renders and kept in the
session. Placing the order stores it in ``Order.checkout_key`` (unique), so a second submit of the
same form (double click, refresh, back-and-resubmit) finds the order and lands on its page.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass

import qrcode
import qrcode.constants
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from qrcode.image.svg import SvgPathImage

from catalogue import qris
from catalogue.cart import Cart, CartSummary
from catalogue.forms import CheckoutForm
from catalogue.forms.checkout import KEY_PATTERN, MSG_BAD_KEY
from catalogue.models import Order, OrderLine, OrderPart, PartStatus, Payment
from catalogue.money import format_rupiah
from catalogue.ratelimit import checkout_limit, rate_limited
from catalogue.services import Buyer, LineRequest, OrderRejected, payment_deadline, place_order

logger = logging.getLogger(__name__)

ISSUED_KEYS = "checkout_keys"
MAX_ISSUED_KEYS = 10  # a few open tabs; older keys simply stop working


# --- the one-time key ------------------------------------------------------------------------------


def _issued_keys(request: HttpRequest) -> list[str]:
    keys = request.session.get(ISSUED_KEYS)
    if not isinstance(keys, list):
        return []
    return [key for key in keys if isinstance(key, str) and KEY_PATTERN.fullmatch(key)]


def issue_key(request: HttpRequest) -> str:
    key = uuid.uuid4().hex
    request.session[ISSUED_KEYS] = [*_issued_keys(request), key][-MAX_ISSUED_KEYS:]
    return key


def _consume_key(request: HttpRequest, key: str) -> None:
    request.session[ISSUED_KEYS] = [issued for issued in _issued_keys(request) if issued != key]


# --- checkout --------------------------------------------------------------------------------------


def _checkout_page(
    request: HttpRequest, form: CheckoutForm, summary: CartSummary, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "catalogue/checkout.html",
        {"form": form, "summary": summary, "payment_hours": settings.ORDER_PAYMENT_HOURS},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("checkout", limit=checkout_limit)
def checkout(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _place(request)
    cart = Cart(request.session)
    summary = cart.summary()
    if not summary.can_order:
        messages.info(request, _("Keranjang masih kosong: pilih produk dahulu."))
        return redirect("catalogue:cart")
    cart.acknowledge(summary)  # the notices are shown on this page; the form's prices are these
    form = CheckoutForm(initial={"kunci": issue_key(request)})
    return _checkout_page(request, form, summary)


def _place(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("kunci", "").strip()
    if KEY_PATTERN.fullmatch(key):
        existing = Order.objects.filter(checkout_key=key).first()
        if existing is not None:
            return redirect(existing)  # a repeated submit of a form that already placed its order

    cart = Cart(request.session)
    summary = cart.summary()
    if not summary.can_order:
        for notice in summary.notices:
            messages.warning(request, notice)
        messages.info(request, _("Keranjang masih kosong: pilih produk dahulu."))
        return redirect("catalogue:cart")

    form = CheckoutForm(request.POST)
    valid = form.is_valid()
    if "kunci" in form.errors or key not in _issued_keys(request):
        # A key this browser was never given (forged, or from a session that has ended): nothing is
        # ordered; the form comes back filled in, with a fresh key to submit it again.
        data = request.POST.copy()
        data["kunci"] = issue_key(request)
        form = CheckoutForm(data)
        form.is_valid()
        form.add_error(None, MSG_BAD_KEY)
        return _checkout_page(request, form, summary, status=400)
    if not valid:
        return _checkout_page(request, form, summary, status=400)
    if summary.notices:
        # Something changed since the checkout page was shown (price, stock, a product withdrawn):
        # show it and let the shopper submit again, rather than order what they did not see.
        cart.acknowledge(summary)
        return _checkout_page(request, form, summary, status=409)

    data = form.cleaned_data
    try:
        placed = place_order(
            cart_lines=[
                LineRequest(line.product.pk, line.quantity, line.product.price) for line in summary.lines
            ],
            buyer=Buyer(name=data["nama"], whatsapp=data["whatsapp"], email=data["email"]),
            checkout_key=key,
            delivery=data["pengiriman"],
            payment=data["pembayaran"],
            address=data["alamat"] if data["pengiriman"] == "kirim" else "",
            regency=data["kabupaten"] if data["pengiriman"] == "kirim" else None,
            note=data["catatan"],
        )
    except OrderRejected as rejected:
        for problem in rejected.problems:
            form.add_error(None, problem)
        summary = cart.summary()
        cart.acknowledge(summary)
        return _checkout_page(request, form, summary, status=409)

    cart.clear()
    _consume_key(request, key)
    if placed.created:
        messages.success(
            request,
            _("Pesanan %(number)s diterima. Simpan tautan halaman ini.") % {"number": placed.order.number},
        )
    return redirect(placed.order)


# --- the order page --------------------------------------------------------------------------------


def qris_svg(payload: str, label: str) -> SafeString:
    """The payload as an inline SVG QR code: a viewBox, a white square and one black path.

    Built from the qrcode package's path data, with no ``style`` attribute (the CSP forbids them)
    and no ``id`` (several codes share a page); width comes from CSS (``.qris-code``).
    """
    image = qrcode.make(
        payload,
        image_factory=SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{}" class="qris-code" role="img" aria-label="{}">'
        '<rect width="100%" height="100%" fill="#ffffff"/><path d="{}" fill="#000000"/></svg>',
        image._img.get("viewBox"),
        label,
        image.path.get("d"),
    )


def whatsapp_text(order: Order, part: OrderPart, lines: list[OrderLine]) -> str:
    items = "\n".join(
        f"- {line.quantity} × {line.product_name} ({line.unit}) = {format_rupiah(line.line_total)}"
        for line in lines
    )
    return _(
        "Halo %(producer)s, saya memesan lewat Beli Produk NTT.\n"
        "Nomor pesanan: %(number)s\n%(items)s\nSubtotal: %(subtotal)s\n"
        "Pengiriman: %(delivery)s. Pembayaran: %(payment)s."
    ) % {
        "producer": part.producer.name,
        "number": order.number,
        "items": items,
        "subtotal": format_rupiah(part.subtotal),
        "delivery": order.get_delivery_display(),
        "payment": order.get_payment_display(),
    }


@dataclass
class PartView:
    """What the order page shows for one producer's part."""

    part: OrderPart
    lines: list[OrderLine]
    qris_payload: str = ""
    qris_svg: SafeString | str = ""
    whatsapp_url: str = ""

    @property
    def producer(self):
        return self.part.producer

    @property
    def is_final(self) -> bool:
        return not PartStatus.next_allowed(self.part.status)


def part_views(order: Order, *, with_qris: bool = True) -> list[PartView]:
    views = []
    for part in order.parts.all():
        lines = list(part.lines.all())
        view = PartView(part=part, lines=lines)
        view.whatsapp_url = part.producer.whatsapp_link(whatsapp_text(order, part, lines))
        awaiting_qris = order.payment == Payment.QRIS and part.status == PartStatus.AWAITING_PAYMENT
        if with_qris and awaiting_qris and part.producer.has_qris:
            try:
                view.qris_payload = qris.to_dynamic(part.producer.qris_payload, part.subtotal)
            except (qris.QrisError, ValueError):
                # A stored code that no longer validates: pay on pickup rather than a broken QR.
                logger.warning("Producer %s has an unusable QRIS; order %s.", part.producer_id, order.number)
            else:
                view.qris_svg = qris_svg(
                    view.qris_payload,
                    _("QRIS %(producer)s sebesar %(amount)s")
                    % {"producer": part.producer.name, "amount": format_rupiah(part.subtotal)},
                )
        views.append(view)
    return views


def _order(token: str) -> Order:
    return get_object_or_404(Order.objects.with_parts().select_related("regency"), access_token=token)


def status_version(order: Order) -> str:
    """Changes whenever any part's status changes: the polling partial compares it."""
    statuses = ",".join(f"{part.pk}:{part.status}" for part in order.parts.all())
    return hashlib.sha256(statuses.encode()).hexdigest()[:12]


def _order_context(order: Order, *, with_qris: bool = True) -> dict:
    parts = part_views(order, with_qris=with_qris)
    return {
        "order": order,
        "parts": parts,
        "deadline": payment_deadline(order),
        "payment_hours": settings.ORDER_PAYMENT_HOURS,
        "polling": any(not view.is_final for view in parts),
        "status_version": status_version(order),
    }


@never_cache
@require_safe
def order_detail(request: HttpRequest, token: str) -> HttpResponse:
    order = _order(token)
    response = render(request, "catalogue/order_detail.html", _order_context(order))
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def order_status(request: HttpRequest, token: str) -> HttpResponse:
    """The statuses partial, polled by the order page every 30 seconds (a real URL: also works alone).

    The poll sends the version it shows (``v``); when a status has changed since, htmx is told to
    reload the whole page, so payment codes of a part that is now paid or cancelled disappear too.
    """
    order = _order(token)
    context = _order_context(order, with_qris=False)
    response = render(request, "catalogue/order_detail.html#statuses", context)
    if request.htmx and request.GET.get("v") not in (None, context["status_version"]):
        response["HX-Refresh"] = "true"
    response["X-Robots-Tag"] = "noindex"
    return response
