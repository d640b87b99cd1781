"""`/gerakan/` (the campaign page) and the paperwork PDFs of a paid order part."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from catalogue import charts
from catalogue.campaign import paperwork, quotes, stats
from catalogue.campaign.forms import QuoteAcceptForm, QuoteRequestForm
from catalogue.models import BuyerKind, OrderPart, Product, QuoteRequest
from catalogue.money import format_rupiah
from catalogue.ratelimit import checkout_limit, rate_limited

CACHE_SECONDS = 10 * 60


def _fingerprint() -> str:
    """Changes whenever any order part is created or moves: a confirmed payment refreshes the page.
    One aggregate query, against the whole computation it saves."""
    seen = OrderPart.objects.aggregate(n=Count("pk"), last=Max("status_changed_at"))
    last = seen["last"].timestamp() if seen["last"] else 0
    return f"{seen['n']}:{last}"


def _campaign_context() -> dict:
    month = stats.month_start(timezone.localdate())
    key = f"gerakan:{month:%Y%m}:{_fingerprint()}"
    context = cache.get(key)
    if context is None:
        figures = stats.month_figures(month)
        history = stats.monthly_totals(month)
        chart = charts.bar_chart(
            [charts.Bar(f"{m:%m/%Y}", total, format_rupiah(total)) for m, total in history],
            title=_("Pembelian Gerakan yang sudah dibayar, 6 bulan terakhir (rupiah)"),
        )
        context = {"figures": figures, "chart": chart}
        cache.set(key, context, CACHE_SECONDS)
    return context


@require_safe
def campaign(request: HttpRequest) -> HttpResponse:
    return render(request, "campaign/gerakan.html", _campaign_context())


def _paid_part(token: str, part_id: int) -> OrderPart:
    part = get_object_or_404(
        OrderPart.objects.select_related("order", "producer__village__district__regency").prefetch_related(
            "lines"
        ),
        pk=part_id,
        order__access_token=token,
    )
    if not stats.paid_parts().filter(pk=part.pk).exists():
        raise Http404(_("Kuitansi hanya tersedia untuk pembayaran yang sudah dikonfirmasi."))
    return part


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def receipt(request: HttpRequest, token: str, part_id: int) -> HttpResponse:
    part = _paid_part(token, part_id)
    paper = paperwork.paper_for(part)
    return _pdf(paperwork.receipt_pdf(paper), f"kuitansi-{paper.file_stem}.pdf")


@require_safe
def delivery_note(request: HttpRequest, token: str, part_id: int) -> HttpResponse:
    part = _paid_part(token, part_id)
    campaign = getattr(part.order, "campaign", None)
    if campaign is None or campaign.kind != BuyerKind.AGENCY:
        raise Http404(_("Surat jalan hanya untuk pembelian instansi."))
    paper = paperwork.paper_for(part)
    return _pdf(paperwork.delivery_note_pdf(paper), f"surat-jalan-{paper.file_stem}.pdf")


@rate_limited("quote", limit=checkout_limit)
@require_http_methods(["GET", "POST"])
def quote_new(request: HttpRequest, slug: str) -> HttpResponse:
    """`/penawaran/baru/<slug>/`: an agency asks the producer of a product for a price."""
    product = get_object_or_404(Product.objects.published().select_related("producer"), slug=slug)
    form = QuoteRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        quote = quotes.request_quote(product=product, cleaned=form.cleaned_data)
        return redirect(quote)
    status = 400 if request.method == "POST" else 200
    return render(request, "campaign/quote_new.html", {"product": product, "form": form}, status=status)


@rate_limited("quote", limit=checkout_limit)
@require_http_methods(["GET", "POST"])
def quote_detail(request: HttpRequest, token: str) -> HttpResponse:
    """`/penawaran/<token>/`: the agency's own link: the request, the producer's answer, and accepting it."""
    quote = get_object_or_404(
        QuoteRequest.objects.select_related("product__producer", "agency", "regency", "order"), token=token
    )
    form = QuoteAcceptForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                order = quotes.accept_quote(
                    quote=quote,
                    address=form.cleaned_data["alamat"],
                    payment=form.cleaned_data["pembayaran"],
                    official_name=form.cleaned_data["pejabat"],
                    official_title=form.cleaned_data["jabatan"],
                    npwp=form.cleaned_data["npwp"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                return redirect(order)
        return render(request, "campaign/quote_detail.html", {"quote": quote, "form": form}, status=400)
    return render(request, "campaign/quote_detail.html", {"quote": quote, "form": form})
