"""Admin for the support pipeline (stages and their history) and for permits and certificates."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalogue.models import Certificate, Stage, StageChange

from .columns import MITRA, PENDAMPING, ColumnsPerRole
from .filters import CertificateRegencyFilter, ExpiryFilter, OverdueStageFilter, VerifiedFilter
from .forms import CertificateForm, StageForm


class StageChangeInline(admin.TabularInline):
    """The history of one stage: written by the code, never edited by hand."""

    model = StageChange
    fields = ["changed_at", "from_status", "to_status", "changed_by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-changed_at", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("catalogue.view_stagechange")


@admin.register(Stage)
class StageAdmin(ColumnsPerRole, admin.ModelAdmin):
    form = StageForm
    list_display = ["product", "kind", "status", "officer", "target_date", "completed_on", "updated_at"]
    # A field officer works to the dates; a partner reads where each stage stands.
    list_display_per_role = {
        PENDAMPING: ["product", "kind", "status", "target_date", "completed_on"],
        MITRA: ["product", "kind", "status", "completed_on"],
    }
    list_select_related = ["product", "officer"]
    list_filter = [
        "kind",
        "status",
        OverdueStageFilter,
        ("product__producer__village__district__regency", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["product__name", "product__producer__name"]
    readonly_fields = ["product", "kind"]
    inlines = [StageChangeInline]
    date_hierarchy = "target_date"

    def get_fields(self, request, obj=None):
        fields = ["product", "kind", "status", "change_note", "officer", "target_date", "completed_on"]
        fields += ["note", "evidence"]
        if not self.has_change_permission(request, obj):
            fields.remove("change_note")
        return fields

    def has_add_permission(self, request) -> bool:
        return False  # every product gets its fourteen stages when it is created

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # stages go with their product

    def save_model(self, request, obj, form, change):
        obj.save()  # every field but the status, which moves with its history:
        obj.change_status(to=form.cleaned_data["status"], by=request.user, note=form.history_note())


@admin.register(StageChange)
class StageChangeAdmin(ColumnsPerRole, admin.ModelAdmin):
    """Every status change of every stage, newest first: read-only for everyone."""

    list_display = ["changed_at", "product", "stage_kind", "from_status", "to_status", "changed_by", "note"]
    # Partners read the moves, not who made them or the officers' notes.
    list_display_per_role = {MITRA: ["changed_at", "product", "stage_kind", "from_status", "to_status"]}
    list_select_related = ["stage__product", "changed_by"]
    list_filter = ["to_status", "stage__kind"]
    search_fields = ["stage__product__name", "note"]
    date_hierarchy = "changed_at"

    @admin.display(description=_("produk"), ordering="stage__product__name")
    def product(self, change: StageChange) -> str:
        return change.stage.product.name

    @admin.display(description=_("tahap"), ordering="stage__kind")
    def stage_kind(self, change: StageChange) -> str:
        return change.stage.get_kind_display()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    form = CertificateForm
    list_display = [
        "product",
        "kind",
        "label",
        "issued_on",
        "expires_on",
        "is_verified",
        "is_public",
        "verified_by",
    ]
    list_select_related = ["product", "verified_by"]
    list_filter = ["kind", VerifiedFilter, ExpiryFilter, CertificateRegencyFilter]
    search_fields = ["number", "product__name", "product__producer__name"]
    autocomplete_fields = ["product"]
    readonly_fields = ["verified_by", "verified_at"]
    actions = ["mark_verified", "clear_verification"]
    ordering = ["expires_on"]

    def get_fields(self, request, obj=None):
        fields = ["product", "kind", "number", "issued_on", "expires_on", "scan", "verified"]
        fields += ["verified_by", "verified_at"]
        if not self.has_change_permission(request, obj):
            fields.remove("verified")
        return fields

    @admin.display(description=_("nomor pada label"), ordering="number")
    def label(self, certificate: Certificate) -> str:
        return certificate.label

    @admin.display(description=_("terverifikasi"), boolean=True, ordering="verified_at")
    def is_verified(self, certificate: Certificate) -> bool:
        return certificate.is_verified

    @admin.display(description=_("tampil di toko"), boolean=True)
    def is_public(self, certificate: Certificate) -> bool:
        return certificate.is_public

    def save_model(self, request, obj, form, change):
        form.apply_verification(request.user)
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("Tandai terverifikasi (dokumen asli sudah diperiksa)"), permissions=["change"]
    )
    def mark_verified(self, request, queryset):
        count = queryset.mark_verified(by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d sertifikat ditandai terverifikasi.",
                "%(count)d sertifikat ditandai terverifikasi.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Batalkan verifikasi (sembunyikan dari toko)"), permissions=["change"])
    def clear_verification(self, request, queryset):
        count = queryset.clear_verification()
        self.message_user(
            request,
            ngettext(
                "Verifikasi %(count)d sertifikat dibatalkan.",
                "Verifikasi %(count)d sertifikat dibatalkan.",
                count,
            )
            % {"count": count},
            messages.WARNING,
        )
