"""Admin for the curation "Bintang OVOP NTT": officers score a product on the ten criteria of the
rubric, each with a note and evidence; the total and the stars are counted on save."""

from __future__ import annotations

from django.contrib import admin
from django.forms import Textarea
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from catalogue.models import Criterion, Curation, CurationScore, RubricGroup
from catalogue.models.curation import RUBRIC

from .filters import RegencyFilter


class CurationScoreInline(admin.TabularInline):
    """The ten criteria, in the rubric's order; a new curation starts with one row for each."""

    model = CurationScore
    fields = ["criterion", "maximum", "points", "note", "evidence"]
    readonly_fields = ["maximum"]
    min_num = 0
    max_num = len(Criterion)
    can_delete = False

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return 0 if obj is not None and obj.pk else len(Criterion)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "note":
            kwargs["widget"] = Textarea(attrs={"rows": 2, "cols": 32})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("maksimum"))
    def maximum(self, score: CurationScore) -> str:
        return str(RUBRIC[score.criterion].maximum) if score.criterion in RUBRIC else "-"


class CurationValidFilter(admin.SimpleListFilter):
    title = _("masa berlaku")
    parameter_name = "berlaku"

    def lookups(self, request, model_admin):
        return [("ya", _("Masih berlaku")), ("lewat", _("Sudah lewat"))]

    def queryset(self, request, queryset):
        if self.value() == "ya":
            return queryset.valid()
        if self.value() == "lewat":
            return queryset.exclude(pk__in=queryset.valid().values("pk"))
        return queryset


class CurationRegencyFilter(RegencyFilter):
    regency_path = "product__producer__village__district__regency"


@admin.register(Curation)
class CurationAdmin(admin.ModelAdmin):
    list_display = ["product", "assessed_on", "total", "star_badge", "valid_until", "assessed_by"]
    list_select_related = ["product", "assessed_by"]
    list_filter = ["stars", CurationValidFilter, CurationRegencyFilter]
    search_fields = ["product__name", "product__producer__name"]
    search_help_text = _("Cari nama produk atau produsen.")
    autocomplete_fields = ["product"]
    date_hierarchy = "assessed_on"
    inlines = [CurationScoreInline]
    fields = ["product", "assessed_on", "note", "result", "valid_until", "assessed_by"]
    readonly_fields = ["result", "valid_until", "assessed_by"]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, CurationScoreInline) and not (obj and obj.pk):
            kwargs["initial"] = [{"criterion": criterion} for criterion in Criterion.values]
        return kwargs

    @admin.display(description=_("bintang"), ordering="stars")
    def star_badge(self, curation: Curation) -> str:
        return format_html('<span title="{}">{}</span>', curation.stars, curation.star_text)

    @admin.display(description=_("hasil"))
    def result(self, curation: Curation) -> str:
        if not curation.pk:
            return _("Dihitung saat disimpan: 90–100 ★5, 70–89 ★4, 50–69 ★3, 30–49 ★2, di bawah 30 ★1.")
        totals = curation.group_totals()
        groups = ", ".join(f"{label} {totals[value]}" for value, label in RubricGroup.choices)
        return format_html("<strong>{} · {}</strong><br>{}", curation.total, curation.star_text, groups)

    def save_model(self, request, obj, form, change):
        if obj.assessed_by_id is None:
            obj.assessed_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.recount()
