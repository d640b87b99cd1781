"""The order side's pages: the cart, the checkout and the order page. They parse and render; the
work is done by ``cart.py``, ``checkout.py`` and ``payment.py``.

The cart, `/keranjang/`, and its three POST actions (add, change quantity, remove): every action
works as a plain form POST (redirect with a message, or the cart page with the error and status 400)
and with htmx (a small fragment plus the header badge swapped out of band). Wrong input changes
nothing.

Checkout, `/checkout/`, and the order page, `/pesanan/<token>/` (the only way to see an order: its
long random token).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue import barcodes
from catalogue.models import Order, ProductImage
from catalogue.ratelimit import checkout_limit, rate_limited

from . import checkout as service
from .cart import Cart, CartError, CartSummary
from .checkout import Outcome
from .forms import MSG_BAD_KEY, AddToCartForm, CheckoutForm, RemoveFromCartForm, UpdateCartForm
from .payment import part_views, status_version

CART_TEMPLATE = "catalogue/cart.html"


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _cart_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    """The cart page, or its #cart partial for htmx (with the badge out of band)."""
    cart = Cart(request.session)
    template = f"{CART_TEMPLATE}#cart" if request.htmx else CART_TEMPLATE
    return render(request, template, {"summary": cart.summary(), "error": error}, status=status)


@never_cache  # one visitor's cart: never kept by a browser or proxy for another
@require_safe
def cart_detail(request: HttpRequest) -> HttpResponse:
    return _cart_page(request)


@never_cache
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = AddToCartForm(request.POST)
    error = ""
    product = None
    if form.is_valid():
        product = form.cleaned_data["product"]
        try:
            Cart(request.session).add(product, form.cleaned_data["quantity"])
        except CartError as problem:
            error = problem.message
    else:
        error = " ".join(form.messages)

    if request.htmx:
        return render(
            request,
            "catalogue/includes/add_to_cart_status.html",
            {"error": error, "added": product if not error else None, "oob": not error},
            status=400 if error else 200,
        )
    if error:
        return _cart_page(request, error=error, status=400)
    messages.success(request, _("%(name)s masuk ke keranjang.") % {"name": product.name})
    return redirect(_safe_next(request) or "catalogue:cart")


@never_cache
@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = UpdateCartForm(request.POST)
    cart = Cart(request.session)
    error = ""
    if form.is_valid():
        product = form.cleaned_data["product"]
        try:
            cart.set(product, form.cleaned_data["quantity"])
        except CartError as problem:
            error = problem.message
    else:
        error = " ".join(form.messages)
    if error:
        return _cart_page(request, error=error, status=400)
    if not request.htmx:
        messages.success(request, _("Jumlah %(name)s diubah.") % {"name": product.name})
        return redirect("catalogue:cart")
    return _cart_page(request)


@never_cache
@require_POST
def cart_remove(request: HttpRequest) -> HttpResponse:
    form = RemoveFromCartForm(request.POST)
    if not form.is_valid():
        return _cart_page(request, error=" ".join(form.messages), status=400)
    removed = Cart(request.session).remove(form.cleaned_data["product"])
    if not request.htmx:
        if removed:
            messages.success(request, _("Produk dihapus dari keranjang."))
        return redirect("catalogue:cart")
    return _cart_page(request)


# --- checkout --------------------------------------------------------------------------------------

MSG_EMPTY = gettext_lazy("Keranjang masih kosong: pilih produk dahulu.")


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
        return _submit(request)
    started = service.start(session=request.session)
    if started is None:
        messages.info(request, str(MSG_EMPTY))
        return redirect("catalogue:cart")
    return _checkout_page(request, CheckoutForm(initial={"kunci": started.key}), started.summary)


def _submit(request: HttpRequest) -> HttpResponse:
    form = CheckoutForm(request.POST)
    result = service.submit(
        session=request.session,
        key=request.POST.get("kunci", "").strip(),
        details=form.details() if form.is_valid() else None,
    )
    match result.outcome:
        case Outcome.PLACED | Outcome.REPEATED:
            if result.outcome == Outcome.PLACED:
                messages.success(
                    request,
                    _("Pesanan %(number)s diterima. Simpan tautan halaman ini.")
                    % {"number": result.order.number},
                )
            return redirect(result.order)
        case Outcome.EMPTY:
            for notice in result.summary.notices:
                messages.warning(request, notice)
            messages.info(request, str(MSG_EMPTY))
            return redirect("catalogue:cart")
        case Outcome.BAD_KEY:
            # Nothing was ordered: the form comes back filled in, with a fresh key to submit it again.
            data = request.POST.copy()
            data["kunci"] = result.key
            form = CheckoutForm(data)
            form.is_valid()
            form.add_error(None, MSG_BAD_KEY)
            return _checkout_page(request, form, result.summary, status=400)
        case Outcome.INVALID:
            return _checkout_page(request, form, result.summary, status=400)
    for problem in result.problems:  # Outcome.CHANGED
        form.add_error(None, problem)
    return _checkout_page(request, form, result.summary, status=409)


# --- the order page --------------------------------------------------------------------------------


def _order(token: str) -> Order:
    return get_object_or_404(
        Order.objects.with_parts().select_related("regency", "campaign"), access_token=token
    )


def _order_context(order: Order, *, with_qris: bool = True) -> dict:
    parts = part_views(order, with_qris=with_qris)
    return {
        "order": order,
        "parts": parts,
        "deadline": order.payment_deadline(),
        "payment_hours": settings.ORDER_PAYMENT_HOURS,
        "confirm_hours": settings.COD_CONFIRM_HOURS,
        "polling": any(not view.is_final for view in parts),
        "status_version": status_version(order),
    }


def _covers(order: Order) -> dict[int, ProductImage]:
    """Each ordered product's first image, for the lines' thumbnails: one query."""
    ids = {line.product_id for part in order.parts.all() for line in part.lines.all()}
    covers: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=ids).order_by("product_id", "order", "pk"):
        covers.setdefault(image.product_id, image)
    return covers


@never_cache
@require_safe
def order_detail(request: HttpRequest, token: str) -> HttpResponse:
    order = _order(token)
    context = {**_order_context(order), "covers": _covers(order)}
    response = render(request, "catalogue/order_detail.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_safe
def order_qris_png(request: HttpRequest, token: str, part: int) -> HttpResponse:
    """One part's QRIS as a PNG download ("Simpan gambar QR"): only while it awaits payment."""
    order = _order(token)
    view = next((view for view in part_views(order) if view.part.pk == part), None)
    if view is None or not view.qris_payload:
        raise Http404(_("Kode QRIS ini tidak tersedia."))
    response = HttpResponse(barcodes.qr_png(view.qris_payload), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="qris-{order.number}-{part}.png"'
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
