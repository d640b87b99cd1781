"""Admin for products, producers and categories: what PMD officers use every day.

The product list is a fixed number of queries whatever its length: places come through
`list_select_related`, the pipeline progress and the next due stage through the subqueries of
`Product.objects.with_pipeline_progress()`.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Prefetch
from django.forms import Textarea
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ExportMixin

from catalogue.models import (
    Category,
    Certificate,
    Producer,
    Product,
    ProductImage,
    Stage,
    StageChange,
    StageKind,
    StageStatus,
)
from catalogue.resources import EXPORT_FORMATS, PipelineResource, ProducerResource, ProductResource
from ovop import formats
from ovop.exporting import DatedExportMixin

from .columns import MITRA, ColumnsPerRole
from .filters import (
    CertificateKindFilter,
    ProducerRegencyFilter,
    ProductExpiryFilter,
    RegencyFilter,
    StageKindFilter,
    StageStatusFilter,
)
from .forms import BulkStageStatusForm, CertificateForm, StageInlineForm
from .portal import ProducerMemberInline, ShippingRateInline, send_login_link

HISTORY_ROWS = 100


class ExportWithViewPermission(DatedExportMixin, ExportMixin):
    """Export as CSV or XLSX, formula-escaped, for whoever may view the list (and nobody else), in a
    file named in Indonesian with the date (`produk-2026-11-29.xlsx`)."""

    export_formats = EXPORT_FORMATS

    def has_export_permission(self, request) -> bool:
        return self.has_view_permission(request)


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "alt_text", "order"]


class StageInline(admin.TabularInline):
    """The fourteen stages, in the programme's order; they come with the product, so none is added
    or deleted here. A status changed here is written to the history by ProductAdmin.save_formset."""

    model = Stage
    form = StageInlineForm
    fields = ["kind", "status", "officer", "target_date", "completed_on", "note", "evidence"]
    readonly_fields = ["kind"]
    extra = 0
    can_delete = False
    verbose_name_plural = _("tahap pendampingan (14)")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("officer")
            .alias(position=StageKind.programme_order())
            .order_by("position")
        )

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "note":
            kwargs["widget"] = Textarea(attrs={"rows": 2, "cols": 30})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CertificateInline(admin.StackedInline):
    model = Certificate
    form = CertificateForm
    extra = 0
    fields = [("kind", "number"), ("issued_on", "expires_on"), "scan", "verified", "verification"]
    readonly_fields = ["verification"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not self.has_change_permission(request, obj):
            fields = [field for field in fields if field != "verified"]
        return fields

    @admin.display(description=_("verifikasi"))
    def verification(self, certificate: Certificate) -> str:
        if not certificate.pk or not certificate.is_verified:
            return _("Belum diverifikasi")
        return _("oleh %(user)s, %(when)s") % {
            "user": certificate.verified_by or "-",
            "when": f"{formats.moment(certificate.verified_at)} WITA",
        }


@admin.register(Product)
class ProductAdmin(ColumnsPerRole, ExportWithViewPermission, admin.ModelAdmin):
    resource_classes = [ProductResource, PipelineResource]
    export_file_stem = "produk"
    # Fits 1366 px beside the filters: producer and regency share a column, the GTIN shows only when
    # it needs a look, long texts wrap (static/css/admin-office.css). Partners get a reading list.
    list_display = [
        "name",
        "producer_place",
        "progress",
        "next_due_stage",
        "stock",
        "is_published",
        "gtin_flag",
    ]
    # Partners read: where each product stands and what it has earned, not stock or barcodes.
    list_display_per_role = {
        MITRA: ["name", "producer_place", "progress", "next_due_stage", "certificates_list"]
    }
    list_select_related = ["producer__village__district__regency", "category"]
    list_filter = [
        RegencyFilter,
        "category",
        StageKindFilter,
        StageStatusFilter,
        CertificateKindFilter,
        ProductExpiryFilter,
        "is_published",
        "is_featured",
    ]
    search_fields = ["name", "producer__name", "producer__village__name"]
    search_help_text = _("Cari nama produk, produsen atau desa.")
    autocomplete_fields = ["producer"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["producer__village__district__regency__name", "name"]
    list_per_page = 50
    inlines = [ProductImageInline, StageInline, CertificateInline]
    actions = ["set_stage_status"]
    readonly_fields = ["gtin_check", "label_link", "stage_history", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {  # Indonesian and English side by side (English: shown on /en/, README)
                "fields": [
                    ("name", "name_en"),
                    *("slug", "producer", "category"),
                    ("short_description", "short_description_en"),
                    ("story", "story_en"),
                ]
            },
        ),
        (
            _("Harga dan stok"),
            {
                "fields": [
                    ("price", "unit", "unit_en"),
                    ("net_content", "stock", "max_per_order"),
                    ("lead_days", "paused_until"),
                    ("is_published", "is_featured"),
                ]
            },
        ),
        (_("Barcode dan label"), {"fields": ["gtin", "gtin_check", "label_link"]}),
        (_("Program"), {"fields": ["cohort_year", ("created_at", "updated_at")]}),
        (_("Riwayat status tahap"), {"fields": ["stage_history"]}),
    ]

    def get_queryset(self, request):
        # The list's certificates under their own name: the export adds `public_certificates` itself.
        listed = Prefetch(
            "certificates",
            queryset=Certificate.objects.public().order_by("kind", "pk"),
            to_attr="listed_certificates",
        )
        return super().get_queryset(request).with_pipeline_progress().prefetch_related(listed)

    # --- list columns ---------------------------------------------------------------------------

    @admin.display(description=_("produsen · kabupaten/kota"), ordering="producer__name")
    def producer_place(self, product: Product) -> str:
        return format_html(
            '{}<br><span class="status-note">{}</span>',
            product.producer.name,
            product.producer.village.district.regency.name,
        )

    @admin.display(description=_("izin dan sertifikat"))
    def certificates_list(self, product: Product) -> str:
        return ", ".join(certificate.label for certificate in product.listed_certificates) or "-"

    @admin.display(description=_("pendampingan"), ordering="stages_done")
    def progress(self, product: Product) -> str:
        return product.pipeline_progress

    @admin.display(description=_("tahap berikutnya"), ordering="next_stage_target")
    def next_due_stage(self, product: Product) -> str:
        kind = getattr(product, "next_stage_kind", None)
        if not kind:
            return _("Semua tahap tuntas")
        label = StageKind(kind).label
        target = getattr(product, "next_stage_target", None)
        if target is None:
            return label
        text = _("%(stage)s (target %(date)s)") % {"stage": label, "date": formats.day(target)}
        if target < timezone.localdate():
            return format_html("<strong>⚠ {} {}</strong>", text, _("terlambat"))
        return text

    @admin.display(description=_("GTIN"))
    def gtin_flag(self, product: Product) -> str:
        """Only a GTIN that needs a look (outside GS1 Indonesia's 899) takes room in the list."""
        if product.gtin_outside_gs1_indonesia:
            return format_html(
                '<span title="{}">⚠ {}</span>', _("Bukan prefiks GS1 Indonesia (899)"), product.gtin
            )
        return "✓" if product.gtin else "-"

    # --- change form ----------------------------------------------------------------------------

    @admin.display(description=_("pemeriksaan GTIN"))
    def gtin_check(self, product: Product) -> str:
        if not product.gtin:
            return _("Belum ada GTIN.")
        if product.gtin_outside_gs1_indonesia:
            return format_html(
                "<strong>⚠ {}</strong>",
                _(
                    "GTIN ini tidak berprefiks 899 (GS1 Indonesia). Boleh, tetapi periksa apakah produsen "
                    "memang terdaftar di GS1 negara lain."
                ),
            )
        return _("Prefiks 899: GS1 Indonesia.")

    @admin.display(description=_("label cetak"))
    def label_link(self, product: Product) -> str:
        if not product.pk:
            return "-"
        url = reverse("catalogue:label", kwargs={"slug": product.slug})
        return format_html('<a href="{}">{}</a>', url, _("Buka lembar label A4 (barcode dan QR)"))

    @admin.display(description=_("riwayat"))
    def stage_history(self, product: Product) -> str:
        if not product.pk:
            return "-"
        changes = (
            StageChange.objects.filter(stage__product=product)
            .select_related("stage", "changed_by")
            .order_by("-changed_at", "-pk")[:HISTORY_ROWS]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    formats.moment(change.changed_at),
                    change.stage.get_kind_display(),
                    change.get_from_status_display() or "-",
                    change.get_to_status_display(),
                    change.changed_by or "-",
                    change.note,
                )
                for change in changes
            ),
        )
        if not rows:
            return _("Belum ada perubahan status.")
        return format_html(
            '<table class="stage-history"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("waktu (WITA)"),
            _("tahap"),
            _("status"),
            _("oleh"),
            _("catatan"),
            rows,
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.gtin_outside_gs1_indonesia:
            self.message_user(
                request,
                _("GTIN %(gtin)s tidak berprefiks 899 (GS1 Indonesia): disimpan, tetapi ditandai.")
                % {"gtin": obj.gtin},
                messages.WARNING,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is Stage:
            super().save_formset(request, form, formset, change)  # every field but the status
            for stage_form in formset.initial_forms:
                if "status" in stage_form.changed_data:
                    stage_form.instance.change_status(
                        to=stage_form.cleaned_data["status"], by=request.user, note=stage_form.history_note()
                    )
            return
        if formset.model is Certificate:
            for certificate_form in formset.forms:
                if certificate_form.has_changed() and certificate_form not in formset.deleted_forms:
                    certificate_form.apply_verification(request.user)
        super().save_formset(request, form, formset, change)

    # --- bulk action ----------------------------------------------------------------------------

    def has_change_stage_permission(self, request) -> bool:
        return request.user.has_perm("catalogue.change_stage")

    @admin.action(
        description=_("Ubah status satu tahap untuk produk terpilih…"), permissions=["change_stage"]
    )
    def set_stage_status(self, request, queryset):
        applying = "apply" in request.POST
        form = BulkStageStatusForm(request.POST if applying else None)
        if applying and form.is_valid():
            kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
            products = list(queryset.values_list("pk", flat=True))
            changed = Stage.objects.filter(product__in=products, kind=kind).change_status(
                to=status, by=request.user, note=form.cleaned_data["note"]
            )
            self.message_user(
                request,
                ngettext(
                    "Tahap “%(stage)s” menjadi “%(status)s” untuk %(count)d produk; riwayat tercatat.",
                    "Tahap “%(stage)s” menjadi “%(status)s” untuk %(count)d produk; riwayat tercatat.",
                    changed,
                )
                % {"stage": StageKind(kind).label, "status": StageStatus(status).label, "count": changed},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ubah status tahap"),
            "opts": self.opts,
            "form": form,
            "products": queryset.select_related("producer"),
            "action_name": "set_stage_status",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "select_across": request.POST.get("select_across", "0"),
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/catalogue/product/set_stage_status.html", context)


@admin.register(Producer)
class ProducerAdmin(ColumnsPerRole, ExportWithViewPermission, admin.ModelAdmin):
    resource_classes = [ProducerResource]
    export_file_stem = "produsen"
    list_display = ["name", "village", "regency_name", "whatsapp", "has_qris_payload", "product_count"]
    # Partners find who makes what where; contacting and payment setup are the officers' work.
    list_display_per_role = {MITRA: ["name", "village", "regency_name", "product_count"]}
    list_select_related = ["village__district__regency"]
    list_filter = [ProducerRegencyFilter]
    search_fields = ["name", "contact_person", "village__name", "village__district__regency__name"]
    search_help_text = _("Cari nama UMKM, narahubung, desa atau kabupaten.")
    autocomplete_fields = ["village"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["village__district__regency__name", "name"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "village", ("story", "story_en"), "photo"]}),
        (_("Kontak dan legalitas"), {"fields": ["contact_person", "whatsapp", "email", "nib"]}),
        (_("Pembayaran"), {"fields": ["qris_payload"]}),
    ]
    inlines = [ShippingRateInline, ProducerMemberInline]
    actions = [send_login_link]

    def get_inlines(self, request, obj=None):
        """Rates and the producer's users once the producer exists: the add form stays as it was."""
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("kabupaten/kota"), ordering="village__district__regency__name")
    def regency_name(self, producer: Producer) -> str:
        return producer.village.district.regency.name

    @admin.display(description=_("QRIS"), boolean=True)
    def has_qris_payload(self, producer: Producer) -> bool:
        return producer.has_qris

    @admin.display(description=_("produk"), ordering="product_count")
    def product_count(self, producer: Producer) -> int:
        return producer.product_count


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "product_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = [("name", "name_en"), "slug", ("description", "description_en"), "order"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("produk"), ordering="product_count")
    def product_count(self, category: Category) -> int:
        return category.product_count
