"""django-import-export glue for the candidate admin: villages/importing/candidates.py does the work.

Columns, in Indonesian: kode_desa, komoditas, tahun_angkatan, diusulkan_oleh, and for each of the five
criteria skor_<kriteria> (1-5) and catatan_<kriteria>. As with the village import (resources.py), the
rows never go through import-export's per-row machinery: the whole file goes to the same reader and
all-or-nothing checks as the village import (a dry run for the preview, the real write on confirm),
and the report becomes an import-export `Result` for the admin's templates. A candidate already
accepted or rejected is never changed by an import.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.fields import Field

from . import importing
from .importing.candidates import CANDIDATE_FIELDS, import_candidates
from .models import Candidate
from .resources import PREVIEW_ROWS, WholeFileImport

COLUMNS = ("kode_desa", "tahun_angkatan", *CANDIDATE_FIELDS)


class CandidateResource(WholeFileImport, resources.ModelResource):
    """Candidates from CSV, checked whole and written all at once (villages/importing/candidates.py)."""

    kode_desa = Field(attribute="village_id", column_name="kode_desa")
    tahun_angkatan = Field(attribute="cohort_year", column_name="tahun_angkatan")

    class Meta:
        model = Candidate
        name = gettext_lazy("Kandidat desa OVOP")
        fields = ("kode_desa", "tahun_angkatan")
        import_id_fields = ("kode_desa", "tahun_angkatan")

    def import_table(self, table: importing.Table, *, dry_run: bool) -> importing.ImportReport:
        return import_candidates(table, dry_run=dry_run, preview=PREVIEW_ROWS)

    def get_user_visible_fields(self):
        return [self.fields["kode_desa"], self.fields["tahun_angkatan"]]

    def get_import_headers(self):
        # What the import page lists as the expected columns.
        return list(COLUMNS)
