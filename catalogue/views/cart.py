"""The cart: `/keranjang/` and its three POST actions (add, change quantity, remove).

Every action works as a plain form POST (redirect with a message, or the cart page with the error
and status 400) and with htmx (a small fragment plus the header badge swapped out of band). Wrong
input changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from catalogue.cart import Cart, CartError
from catalogue.forms import AddToCartForm, RemoveFromCartForm, UpdateCartForm

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
            "catalogue/includes/add_to_cart.html#status",
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
