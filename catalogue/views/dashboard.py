"""The programme dashboard for PMD staff and partners: `/dasbor/`.

One GET form (regency, category, period) filters everything; with htmx only the results region is
swapped (`catalogue/dashboard.html#results`) and the URL pushed. Bad values never fail the page: the
filter is ignored (or the default period used) and a message says so.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalogue import charts, reports
from catalogue.campaign import stats as campaign_stats
from catalogue.models import Category, Product
from catalogue.money import format_rupiah
from catalogue.resources import FORMATS_BY_NAME, PipelineResource
from villages.models import Regency

DATE_FORMAT = "%Y-%m-%d"
MAX_PERIOD_DAYS = 3660
# The sane calendar for sales figures: far outside it a date cannot be a typo worth answering, and
# 0001-01-01 or 9999-12-31 would overflow the period arithmetic (a 500 before).
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


class DashboardFilter(forms.Form):
    kabupaten = forms.ChoiceField(
        label=gettext_lazy("Kabupaten/kota"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kabupaten/kota “%(value)s” tidak dikenal; filter diabaikan.")
        },
    )
    kategori = forms.ChoiceField(
        label=gettext_lazy("Kategori"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("Kategori “%(value)s” tidak dikenal; filter diabaikan.")
        },
    )
    dari = forms.DateField(
        label=gettext_lazy("Dari"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "invalid": gettext_lazy("Tanggal “dari” harus berbentuk TTTT-BB-HH, misalnya 2026-01-31.")
        },
    )
    sampai = forms.DateField(
        label=gettext_lazy("Sampai"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        error_messages={
            "invalid": gettext_lazy("Tanggal “sampai” harus berbentuk TTTT-BB-HH, misalnya 2026-01-31.")
        },
    )

    def __init__(self, data, *, regencies: list[Regency], categories: list[Category]) -> None:
        super().__init__(data)
        self.regencies = {regency.slug: regency for regency in regencies}
        self.categories = {category.slug: category for category in categories}
        self.fields["kabupaten"].choices = [
            ("", _("Semua kabupaten/kota")),
            *((r.slug, r.name) for r in regencies),
        ]
        self.fields["kategori"].choices = [("", _("Semua kategori")), *((c.slug, c.name) for c in categories)]

    @classmethod
    def from_query(cls, data) -> DashboardFilter:
        return cls(
            data,
            # Only regencies with a producer: a national region import must not flood the list.
            regencies=list(
                Regency.objects.filter(districts__villages__producers__isnull=False)
                .distinct()
                .only("code", "name", "slug")
                .order_by("name")
            ),
            categories=list(Category.objects.only("pk", "name", "slug")),
        )

    def _within_calendar(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        if day and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise forms.ValidationError(
                _("Tanggal “%(name)s” %(day)s di luar %(first)s sampai %(last)s; periode bawaan dipakai."),
                code="out_of_range",
                params={
                    "name": name,
                    "day": day.strftime(DATE_FORMAT),
                    "first": EARLIEST_DATE.strftime(DATE_FORMAT),
                    "last": LATEST_DATE.strftime(DATE_FORMAT),
                },
            )
        return day

    def clean_dari(self) -> datetime.date | None:
        return self._within_calendar("dari")

    def clean_sampai(self) -> datetime.date | None:
        return self._within_calendar("sampai")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("dari"), cleaned.get("sampai")
        if start and end and start > end:
            self.add_error(
                "sampai", _("Tanggal “sampai” tidak boleh sebelum tanggal “dari”; periode bawaan dipakai.")
            )
        elif start and end and (end - start).days > MAX_PERIOD_DAYS:
            self.add_error("sampai", _("Periode paling panjang sepuluh tahun; periode bawaan dipakai."))
        return cleaned

    def value(self, name: str):
        self.is_valid()
        return self.cleaned_data.get(name) if name not in self.errors else None

    @property
    def regency(self) -> Regency | None:
        return self.regencies.get(self.value("kabupaten") or "")

    @property
    def category(self) -> Category | None:
        return self.categories.get(self.value("kategori") or "")

    @property
    def period(self) -> reports.Period:
        """The chosen period; the default (last 30 days in WITA) when a date is missing or bad."""
        default = reports.Period.default()
        if "dari" in self.errors or "sampai" in self.errors:
            return default
        start, end = self.value("dari"), self.value("sampai")
        if start and end:
            return reports.Period(start, end)
        if start:
            return reports.Period(start, max(start, timezone.localdate()))
        if end:
            return reports.Period(end - datetime.timedelta(days=reports.DEFAULT_PERIOD_DAYS - 1), end)
        return default

    @property
    def notices(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]

    def products(self):
        products = Product.objects.all()
        if self.regency:
            products = products.in_regency(self.regency)
        if self.category:
            products = products.in_category(self.category)
        return products

    def query_string(self, *, with_period: bool = True) -> str:
        params = {}
        if self.regency:
            params["kabupaten"] = self.regency.slug
        if self.category:
            params["kategori"] = self.category.slug
        if with_period and not ("dari" in self.errors or "sampai" in self.errors):
            period = self.period
            if self.value("dari") or self.value("sampai"):
                params["dari"] = period.start.strftime(DATE_FORMAT)
                params["sampai"] = period.end.strftime(DATE_FORMAT)
        return f"?{urlencode(params)}" if params else ""


def stage_chart(summary: reports.PipelineSummary) -> str:
    bars = [
        charts.Bar(stage.label, stage.percent, f"{stage.percent}% ({stage.done}/{stage.applicable})")
        for stage in summary.stages
    ]
    return charts.bar_chart(bars, title=_("Tahap selesai per jenis tahap (persen)"), maximum=100)


def sales_chart(rows: list[reports.SalesRow]) -> str:
    bars = [charts.Bar(row.name, row.total, format_rupiah(row.total)) for row in rows]
    return charts.bar_chart(bars, title=_("Penjualan per kabupaten/kota (rupiah)"))


@require_safe
@staff_member_required
@permission_required("catalogue.view_product", raise_exception=True)
@vary_on_headers("HX-Request")
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = DashboardFilter.from_query(request.GET)
    products = filters.products()
    period = filters.period
    summary = reports.pipeline(products)
    by_regency = reports.sales_by_regency(products, period)
    by_producer = reports.sales_by_producer(products, period)
    context = {
        "filters": filters,
        "period": period,
        "summary": summary,
        "stage_chart": stage_chart(summary),
        "expiring": reports.expiring_certificates(products),
        "expiry_days": reports.EXPIRY_WINDOW_DAYS,
        "sales_by_regency": by_regency,
        "sales_by_producer": by_producer,
        "sales_chart": sales_chart(by_regency),
        "sales_orders": sum(row.orders for row in by_producer),
        "sales_total": sum(row.total for row in by_producer),
        "unpaid": reports.unpaid(products, period),
        "export_query": filters.query_string(with_period=False),
        "waiting": reports.waiting_on_producers(filters.regency)
        if request.user.has_perm("catalogue.view_orderpart")
        else None,
        "waiting_hours": reports.WAITING_HOURS,
        "campaign": campaign_stats.month_figures(campaign_stats.month_start(timezone.localdate())),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "catalogue/dashboard.html#results", context)
        response["HX-Push-Url"] = request.path + filters.query_string()
        return response
    return render(request, "catalogue/dashboard.html", context)


@require_safe
@staff_member_required
@permission_required("catalogue.view_stage", raise_exception=True)
def matrix_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The pipeline matrix (with the dashboard's regency and category filters) as CSV or XLSX,
    with every formula-like cell escaped."""
    file_format = FORMATS_BY_NAME.get(fmt)
    if file_format is None:
        raise Http404(_("Format ekspor tidak dikenal: gunakan csv atau xlsx."))
    filters = DashboardFilter.from_query(request.GET)
    products = filters.products().order_by("producer__village__district__regency__name", "name")
    dataset = PipelineResource().export(products)
    content = file_format().export_data(dataset)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=file_format().get_content_type())
    if fmt == "csv":
        response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="matriks-pendampingan-{stamp}.{fmt}"'
    return response
