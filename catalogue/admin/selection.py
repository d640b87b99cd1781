"""Admin for selecting the next cohort: candidates (`/admin/villages/candidate/`) and the weights.

Registered from catalogue although the models are villages': accepting a candidate writes catalogue
models (catalogue/backoffice/selection.py) and villages never imports catalogue. Pendamping PMD
proposes and scores; Admin PMD accepts (`villages.accept_candidate`), imports and sets the weights;
Mitra reads. The list ranks candidates within each regency and cohort year by the weighted score.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin

from catalogue.backoffice import selection
from catalogue.documents import validate_document_upload
from villages.candidate_resources import CandidateResource
from villages.import_admin import PrivateUploadImportMixin
from villages.models import Candidate, CandidateStatus, Criterion, SelectionWeights

EVIDENCE_FIELDS = [f"{criterion}_evidence" for criterion in Criterion.values]


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "village",
            "commodity",
            "cohort_year",
            "proposed_by",
            *(
                f"{criterion}_{part}"
                for criterion in Criterion.values
                for part in ("score", "note", "evidence")
            ),
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in EVIDENCE_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_document_upload)


@admin.register(SelectionWeights)
class SelectionWeightsAdmin(admin.ModelAdmin):
    """One row of weights; Admin PMD changes it, the others read it."""

    list_display = ["__str__", "updated_at"]
    fields = [*Criterion.values, "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not SelectionWeights.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(PrivateUploadImportMixin, ImportMixin, admin.ModelAdmin):
    form = CandidateForm
    # The village import's reader, checks, preview and private upload (villages/import_admin.py).
    resource_classes = [CandidateResource]
    import_template_name = "admin/villages/candidate/import.html"
    import_log_label = _("impor kandidat")
    list_display = ["village", "regency", "commodity", "cohort_year", "weighted", "rank_in_regency", "status"]
    list_select_related = ["village", "regency"]
    list_filter = ["cohort_year", "status", ("regency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["village__name", "village__code", "commodity", "regency__name"]
    search_help_text = _("Cari desa, kode desa, komoditas atau kabupaten.")
    autocomplete_fields = ["village"]
    actions = ["accept_selected", "reject_selected"]
    list_per_page = 50
    readonly_fields = ["status", "regency", "decided_by", "decided_at", "weighted"]
    fieldsets = [
        (None, {"fields": ["village", "regency", "commodity", "cohort_year", "proposed_by"]}),
        *(
            (label, {"fields": [f"{value}_score", f"{value}_note", f"{value}_evidence"]})
            for value, label in Criterion.choices
        ),
        (_("Keputusan"), {"fields": ["weighted", "status", "decided_by", "decided_at"]}),
    ]

    def get_queryset(self, request):
        # Ranked before ordering: the default order reads the weighted score annotation.
        return Candidate.objects.ranked().order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["regency__name", "-cohort_year", "-weighted_score", "pk"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != CandidateStatus.PROPOSED:
            return [field.name for field in Candidate._meta.fields if field.name != "id"] + ["weighted"]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("skor berbobot"), ordering="weighted_score")
    def weighted(self, candidate: Candidate) -> str:
        score = getattr(candidate, "weighted_score", None)
        if score is None:
            if not candidate.pk:
                return "-"
            score = candidate.weighted_score_with(SelectionWeights.current())
        return f"{score:.2f}".replace(".", ",")

    @admin.display(description=_("peringkat di kabupaten"))
    def rank_in_regency(self, candidate: Candidate) -> int | str:
        return getattr(candidate, "rank", "-")

    # --- accepting and rejecting: Admin PMD only -------------------------------------------------

    def has_accept_permission(self, request) -> bool:
        return request.user.has_perm("villages.accept_candidate")

    @admin.action(
        description=_("Terima kandidat terpilih (buat produsen dan draf produk)"), permissions=["accept"]
    )
    def accept_selected(self, request, queryset):
        accepted = 0
        for candidate in queryset.order_by("-weighted_score", "pk"):
            try:
                selection.accept(candidate=candidate.pk, by=request.user)
            except selection.SelectionRefused as refusal:
                messages.error(request, f"{candidate.village}: {refusal}")
            else:
                accepted += 1
        if accepted:
            messages.success(
                request,
                ngettext(
                    "%(count)d kandidat diterima: desa menjadi lokus OVOP, produsen dan draf produk dibuat.",
                    "%(count)d kandidat diterima: desa menjadi lokus OVOP, produsen dan draf produk dibuat.",
                    accepted,
                )
                % {"count": accepted},
            )

    @admin.action(description=_("Tolak kandidat terpilih"), permissions=["accept"])
    def reject_selected(self, request, queryset):
        rejected = sum(selection.reject(candidate=candidate, by=request.user) for candidate in queryset)
        messages.warning(
            request,
            ngettext("%(count)d kandidat ditolak.", "%(count)d kandidat ditolak.", rejected)
            % {"count": rejected},
        )
