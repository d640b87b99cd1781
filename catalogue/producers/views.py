"""The producer portal: sign in by link, then run one's own order parts and products from a phone.

Every page after sign-in goes through :func:`producer_required`, which finds the producer of the
signed-in user; every query starts from that producer, so another producer's part or product is a
404 whatever its id or slug.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from catalogue.models import OrderPart, PartStatus, ProducerMember, Product, ShippingRate
from catalogue.ratelimit import client_ip, rate_limited

from . import forms, links, notify, signin

AUTH_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The portal's home, grouped by what needs doing; each status belongs to exactly one group.
GROUPS = [
    (
        "bayar",
        gettext_lazy("Menunggu konfirmasi pembayaran"),
        [PartStatus.AWAITING_PAYMENT, PartStatus.AWAITING_CONFIRMATION],
    ),
    ("ongkir", gettext_lazy("Menunggu ongkos kirim"), [PartStatus.AWAITING_QUOTE]),
    ("siapkan", gettext_lazy("Siapkan atau kirim"), [PartStatus.PAID, PartStatus.SHIPPED]),
    ("ambil", gettext_lazy("Siap diambil"), [PartStatus.READY]),
    ("selesai", gettext_lazy("Selesai"), [PartStatus.DONE]),
    ("batal", gettext_lazy("Dibatalkan"), [PartStatus.CANCELLED]),
]
CLOSED_GROUP_LIMIT = 20  # done and cancelled parts: the latest only


def producer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in producer users only: anonymous visitors go to the sign-in page, other users get 404."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(reverse("catalogue:producer_signin"))
        member = ProducerMember.objects.select_related("producer").filter(user=request.user).first()
        if member is None:
            raise Http404(_("Halaman ini hanya untuk produsen."))
        request.producer = member.producer
        return view(request, *args, **kwargs)

    return wrapper


def record(request: HttpRequest, objects: list, message: str) -> None:
    """Keep a producer's change (product, rates) in the admin's history, with their user."""
    if objects:
        LogEntry.objects.log_actions(request.user.pk, objects, CHANGE, message)


def signin_limit() -> int:
    return settings.PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE


# --- signing in -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited("producer_signin", limit=signin_limit)
def signin_page(request: HttpRequest) -> HttpResponse:
    """Ask for a link: the answer is the same whether the contact is known or not."""
    form = forms.SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.cleaned_data["kontak"]
        if not signin.allow(contact=contact, ip=client_ip(request)):
            return render(request, "producers/locked.html", signin.lockout_context(), status=429)
        signin.send_links(contact)
        return render(request, "producers/signin_sent.html", {"minutes": settings.PRODUCER_LINK_MINUTES})
    status = 400 if request.method == "POST" else 200
    return render(request, "producers/signin.html", {"form": form}, status=status)


@never_cache
@require_GET
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link: signs this phone in for 30 days, or explains that the link is spent.
    A chat app drawing the link's preview gets a neutral page and leaves the link unused."""
    if links.is_link_preview(request.headers.get("User-Agent", "")):
        return render(request, "producers/link_preview.html")
    member = links.consume(token)
    if member is None:
        return render(request, "producers/link_invalid.html", {"form": forms.SignInForm()}, status=410)
    login(request, member.user, backend=AUTH_BACKEND)
    request.session.set_expiry(timedelta(days=links.SESSION_DAYS))
    return redirect(reverse("catalogue:producer_home"))


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(reverse("catalogue:producer_signin"))


# --- the orders ---------------------------------------------------------------------------------------


@never_cache
@require_safe
@producer_required
def home(request: HttpRequest) -> HttpResponse:
    parts = OrderPart.objects.of_producer(request.producer).for_portal().order_by("-order__created_at", "-pk")
    groups = []
    for key, title, statuses in GROUPS:
        found = parts.filter(status__in=statuses)
        if key in {"selesai", "batal"}:
            found = found[:CLOSED_GROUP_LIMIT]
        groups.append({"key": key, "title": title, "parts": list(found)})
    products = Product.objects.filter(producer=request.producer).order_by("name")
    return render(request, "producers/home.html", {"groups": groups, "products": products})


def _own_part(request: HttpRequest, part_id: int) -> OrderPart:
    return get_object_or_404(OrderPart.objects.of_producer(request.producer).for_portal(), pk=part_id)


def _part_page(request: HttpRequest, part: OrderPart, *, form=None, quote=None, status: int = 200):
    return render(
        request,
        "producers/part.html",
        {
            "part": part,
            "moves": part.producer_moves(),
            "form": form or forms.StatusForm(),
            "quote_form": quote or forms.QuoteForm(),
            "bill_number": part.bill_number(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@producer_required
def part_detail(request: HttpRequest, part_id: int) -> HttpResponse:
    part = _own_part(request, part_id)
    if request.method == "GET":
        return _part_page(request, part)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        return _part_page(request, part, form=form, status=400)
    data = form.cleaned_data
    to = PartStatus(data["status"])
    moved = to in part.producer_moves() and part.move(
        to=to,
        by=request.user,
        note=data["alasan"].strip() if to == PartStatus.CANCELLED else "",
        reference=data["referensi"].strip() if to == PartStatus.PAID else "",
        courier=data["kurir"].strip() if to == PartStatus.SHIPPED else "",
        tracking=data["resi"].strip() if to == PartStatus.SHIPPED else "",
    )
    if not moved:
        form.add_error(
            "status",
            _("Pesanan ini sekarang “%(now)s” dan tidak bisa menjadi “%(to)s”.")
            % {"now": part.get_status_display(), "to": to.label},
        )
        return _part_page(request, _own_part(request, part_id), form=form, status=409)
    messages.success(request, _("Status diubah menjadi “%(status)s”.") % {"status": to.label})
    return redirect(reverse("catalogue:producer_part", kwargs={"part_id": part.pk}))


@never_cache
@require_POST
@producer_required
def part_quote(request: HttpRequest, part_id: int) -> HttpResponse:
    part = _own_part(request, part_id)
    quote = forms.QuoteForm(request.POST)
    if not quote.is_valid():
        return _part_page(request, part, quote=quote, status=400)
    if not part.quote_shipping(shipping=quote.cleaned_data["ongkir"], by=request.user):
        quote.add_error(None, _("Ongkos kirim pesanan ini sudah diisi atau pesanan sudah berlanjut."))
        return _part_page(request, _own_part(request, part_id), quote=quote, status=409)
    notify.shipping_quoted(part)
    messages.success(request, _("Ongkos kirim disimpan; pembeli diberi tahu."))
    return redirect(reverse("catalogue:producer_part", kwargs={"part_id": part.pk}))


# --- products and shipping rates ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@producer_required
def product(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_object_or_404(Product.objects.filter(producer=request.producer), slug=slug)
    form = forms.ProductForm(request.POST or None, instance=item)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            record(
                request,
                [item],
                _("Diubah oleh produsen: %(fields)s.") % {"fields": ", ".join(form.changed_data)},
            )
            messages.success(request, _("Produk %(name)s disimpan.") % {"name": item.name})
            return redirect(reverse("catalogue:producer_product", kwargs={"slug": item.slug}))
        return render(request, "producers/product.html", {"product": item, "form": form}, status=400)
    return render(request, "producers/product.html", {"product": item, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@producer_required
def rates(request: HttpRequest) -> HttpResponse:
    form = forms.RatesForm(request.POST or None, producer=request.producer)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            record(request, [request.producer], _("Tarif ongkos kirim diubah oleh produsen."))
            messages.success(request, _("Tarif ongkos kirim disimpan."))
            return redirect(reverse("catalogue:producer_rates"))
        return render(request, "producers/rates.html", {"form": form}, status=400)
    others = ShippingRate.objects.filter(producer=request.producer).exclude(
        regency__in=[regency.pk for regency in form.regencies]
    )
    return render(request, "producers/rates.html", {"form": form, "others": others.select_related("regency")})
