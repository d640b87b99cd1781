"""Requests for quotation in the producer portal: the producer sees the agencies' requests for their
own products and answers each with a unit price, the quantity available and a date (or declines)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from catalogue.campaign import quotes
from catalogue.campaign.forms import QuoteAnswerForm
from catalogue.models import QuoteRequest, QuoteStatus
from catalogue.producers.views import producer_required


def _own_quotes(request: HttpRequest):
    return QuoteRequest.objects.filter(product__producer=request.producer).select_related(
        "product", "agency", "regency"
    )


@never_cache
@producer_required
@require_safe
def quote_list(request: HttpRequest) -> HttpResponse:
    """`/produsen/penawaran/`: the producer's requests for quotation, open ones first."""
    own = _own_quotes(request)
    context = {
        "open_quotes": own.filter(status__in=(QuoteStatus.REQUESTED, QuoteStatus.ANSWERED)),
        "closed_quotes": own.exclude(status__in=(QuoteStatus.REQUESTED, QuoteStatus.ANSWERED))[:20],
    }
    return render(request, "campaign/producer_quotes.html", context)


@never_cache
@producer_required
@require_http_methods(["GET", "POST"])
def quote_answer(request: HttpRequest, quote_id: int) -> HttpResponse:
    """`/produsen/penawaran/<id>/`: answer (``harga``, ``jumlah``, ``tanggal``, ``catatan``) or decline
    (``tolak``). Another producer's request is a 404."""
    quote = get_object_or_404(_own_quotes(request), pk=quote_id)
    initial = {
        "harga": quote.unit_price or quote.product.price,
        "jumlah": quote.quantity_available or quote.quantity,
    }
    form = QuoteAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if "tolak" in request.POST:
                quotes.decline_quote(quote=quote, note=request.POST.get("catatan", "")[:1000])
                messages.success(request, _("Permintaan ditolak; instansi melihatnya di tautannya."))
                return redirect("catalogue:producer_quotes")
            if form.is_valid():
                quotes.answer_quote(
                    quote=quote,
                    unit_price=form.cleaned_data["harga"],
                    quantity=form.cleaned_data["jumlah"],
                    available_on=form.cleaned_data["tanggal"],
                    note=form.cleaned_data["catatan"],
                )
                messages.success(request, _("Penawaran terkirim; instansi melihatnya di tautannya."))
                return redirect("catalogue:producer_quotes")
        except ValidationError as refused:
            form.add_error(None, refused)
        return render(request, "campaign/producer_quote.html", {"quote": quote, "form": form}, status=400)
    return render(request, "campaign/producer_quote.html", {"quote": quote, "form": form})
