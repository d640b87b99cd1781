"""Admin for the Gerakan Beli Produk NTT: agencies (edited and imported by officers), the monthly target
(Admin PMD), campaign purchases (read-only; the NIP is personal data) and requests for quotation."""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ImportMixin

from catalogue.campaign import stats
from catalogue.campaign.report import monthly_report_xlsx
from catalogue.models import Agency, CampaignPurchase, CampaignTarget, QuoteRequest
from catalogue.money import format_rupiah

from .columns import ADMIN_PMD, PENDAMPING, ColumnsPerRole


class AgencyResource(resources.ModelResource):
    nama = fields.Field(attribute="name", column_name="nama")
    jenis = fields.Field(attribute="kind", column_name="jenis")

    class Meta:
        model = Agency
        fields = ("nama", "jenis")
        import_id_fields = ("nama",)
        skip_unchanged = True
        clean_model_instances = True


@admin.register(Agency)
class AgencyAdmin(ImportMixin, admin.ModelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["name", "kind", "regency", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["regency"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CampaignTarget)
class CampaignTargetAdmin(admin.ModelAdmin):
    list_display = ["month_label", "target", "paid"]
    change_list_template = "admin/catalogue/campaigntarget/change_list.html"

    @admin.display(description=_("bulan"), ordering="month")
    def month_label(self, target: CampaignTarget) -> str:
        return target.month.strftime("%m/%Y")

    @admin.display(description=_("target"), ordering="amount")
    def target(self, target: CampaignTarget) -> str:
        return format_rupiah(target.amount)

    @admin.display(description=_("sudah dibayar"))
    def paid(self, target: CampaignTarget) -> str:
        return format_rupiah(stats.month_figures(target.month).total)

    def get_urls(self):
        report = self.admin_site.admin_view(self.monthly_report)
        return [path("laporan/", report, name="catalogue_campaign_report"), *super().get_urls()]

    def monthly_report(self, request: HttpRequest) -> HttpResponse:
        """`?bulan=2026-11`: the month's paid campaign purchases per agency and per regency, as XLSX."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        raw = request.GET.get("bulan", "")
        try:
            month = datetime.date.fromisoformat(f"{raw}-01") if raw else timezone.localdate().replace(day=1)
        except ValueError:
            self.message_user(request, _("Bulan tidak sah; tulis seperti 2026-11."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:catalogue_campaigntarget_changelist"))
        response = HttpResponse(
            monthly_report_xlsx(month),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="gerakan-{month:%Y-%m}.xlsx"'
        return response


@admin.register(CampaignPurchase)
class CampaignPurchaseAdmin(ColumnsPerRole, admin.ModelAdmin):
    list_display = ["order", "kind", "agency"]
    # Admin PMD answers for the receipts: the official who bought, beside the agency.
    list_display_per_role = {ADMIN_PMD: ["order", "kind", "agency", "official_name", "official_title"]}
    list_filter = ["kind", "agency__kind"]
    list_select_related = ["order", "agency"]
    search_fields = ["order__number", "agency__name"]
    readonly_fields = ["order", "kind", "agency", "nip", "official_name", "official_title", "npwp"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(QuoteRequest)
class QuoteRequestAdmin(ColumnsPerRole, admin.ModelAdmin):
    list_display = ["created_at", "agency", "product", "quantity", "needed_by", "status"]
    # A field officer prepares the goods with the producer: what, how many, by when.
    list_display_per_role = {PENDAMPING: ["product", "quantity", "needed_by", "status", "created_at"]}
    list_filter = ["status"]
    list_select_related = ["agency", "product"]
    search_fields = ["agency__name", "product__name", "contact_name"]
    date_hierarchy = "created_at"
    readonly_fields = ["order", "answered_at", "created_at"]
    autocomplete_fields = ["product", "agency", "regency"]
