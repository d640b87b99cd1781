"""The candidate CSV import (django-import-export): one row per proposed village and cohort year.

Columns, in Indonesian: kode_desa, komoditas, tahun_angkatan, diusulkan_oleh, and for each of the five
criteria skor_<kriteria> (1-5) and catatan_<kriteria>. The rules are the village import's: every row
is checked first, and one bad row refuses the whole file with each problem named by its line (the
admin shows no confirmation while any row has an error, and the dry run writes nothing). A candidate
already accepted or rejected is never changed by an import.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from .models import Candidate, CandidateStatus, Criterion, Village


class VillageCodeWidget(widgets.ForeignKeyWidget):
    def __init__(self) -> None:
        super().__init__(Village, field="code")

    def clean(self, value, row=None, **kwargs):
        code = (value or "").strip()
        if not code:
            raise ValueError(_("Kode desa wajib diisi."))
        village = Village.objects.filter(code=code).first()
        if village is None:
            raise ValueError(
                _("Desa dengan kode %(code)s belum ada: impor wilayahnya dulu.") % {"code": code}
            )
        return village


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("“%(value)s” bukan bilangan bulat.") % {"value": value}) from None


def _criterion_fields() -> dict[str, fields.Field]:
    made = {}
    for criterion in Criterion.values:
        made[f"{criterion}_score"] = fields.Field(
            attribute=f"{criterion}_score", column_name=f"skor_{criterion}", widget=WholeNumberWidget()
        )
        made[f"{criterion}_note"] = fields.Field(
            attribute=f"{criterion}_note", column_name=f"catatan_{criterion}"
        )
    return made


class _CandidateBase(resources.ModelResource):
    village = fields.Field(attribute="village", column_name="kode_desa", widget=VillageCodeWidget())
    commodity = fields.Field(attribute="commodity", column_name="komoditas")
    cohort_year = fields.Field(
        attribute="cohort_year", column_name="tahun_angkatan", widget=WholeNumberWidget()
    )
    proposed_by = fields.Field(attribute="proposed_by", column_name="diusulkan_oleh")

    def before_save_instance(self, instance: Candidate, row, **kwargs) -> None:
        if (
            instance.pk
            and Candidate.objects.filter(pk=instance.pk).exclude(status=CandidateStatus.PROPOSED).exists()
        ):
            raise ValidationError(
                _("Kandidat %(village)s tahun %(year)s sudah diputuskan; tidak diubah oleh impor.")
                % {"village": instance.village, "year": instance.cohort_year}
            )


class _Meta:
    model = Candidate
    name = gettext_lazy("Kandidat desa OVOP")
    import_id_fields = ("village", "cohort_year")
    fields = (
        "village",
        "commodity",
        "cohort_year",
        "proposed_by",
        *(f"{criterion}_{part}" for criterion in Criterion.values for part in ("score", "note")),
    )
    clean_model_instances = True
    skip_unchanged = True
    report_skipped = True
    use_transactions = True


CandidateResource = type(
    "CandidateResource",
    (_CandidateBase,),
    {**_criterion_fields(), "Meta": _Meta, "__module__": __name__, "__doc__": "Candidates from CSV."},
)
