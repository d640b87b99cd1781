"""What every admin export shares (django-import-export): Indonesian file names with the date, and the
field checkboxes labelled with each column's Indonesian header instead of the code name.

Both apps use it (villages may not import catalogue), hence here in the project package.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from import_export.forms import SelectableFieldsExportForm


def column_label(resource, field_name: str) -> str:
    """The header an officer reads: the column name when it differs from the code name, else the
    model field's verbose name, else the code name made readable."""
    field = resource.fields.get(field_name)
    if field is not None and field.column_name and field.column_name != field_name:
        return str(field.column_name)
    model = getattr(resource._meta, "model", None)
    if model is not None and field is not None and field.attribute:
        try:
            return str(model._meta.get_field(field.attribute).verbose_name)
        except FieldDoesNotExist:
            pass
    return field_name.replace("_", " ")


class IndonesianExportForm(SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name: str) -> str:
        return column_label(resource, field_name)


class DatedExportMixin:
    """`produk-2026-11-29.xlsx`: `export_file_stem` (Indonesian), the date in WITA, the extension."""

    export_file_stem = "ekspor"
    export_form_class = IndonesianExportForm

    def get_export_filename(self, request, queryset, file_format) -> str:
        day = timezone.localdate().isoformat()
        return f"{self.export_file_stem}-{day}.{file_format.get_extension()}"
