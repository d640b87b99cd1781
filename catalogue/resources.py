"""Exports of the back office (django-import-export): products, producers and the support pipeline,
as CSV and XLSX, safe to open in a spreadsheet.

Formula injection: the formats below escape every cell a spreadsheet would run as a formula with the
one rule every import and export follows (ovop/tabular.py), whatever the library's own setting says.
Numbers stay numbers in XLSX.
"""

from __future__ import annotations

import contextlib

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.formats import base_formats

from catalogue.models import Producer, Product, StageKind, StageStatus
from ovop.tabular import FormulaSafeMixin, yes_no


class SafeCSV(FormulaSafeMixin, base_formats.CSV):
    pass


class SafeXLSX(FormulaSafeMixin, base_formats.XLSX):
    pass


EXPORT_FORMATS = [SafeCSV, SafeXLSX]
FORMATS_BY_NAME = {"csv": SafeCSV, "xlsx": SafeXLSX}


class VerboseResource(resources.ModelResource):
    """Headers in the officers' language: a model field's verbose name instead of its code name."""

    def get_export_headers(self, selected_fields=None) -> list[str]:
        headers = []
        for field in self.get_export_fields(selected_fields):
            header = field.column_name
            if field.attribute and field.column_name == field.attribute:
                with contextlib.suppress(FieldDoesNotExist):
                    header = self._meta.model._meta.get_field(field.attribute).verbose_name
            headers.append(str(header))
        return headers


class ProductResource(VerboseResource):
    producer = fields.Field(attribute="producer__name", column_name=_("produsen"))
    village = fields.Field(attribute="producer__village__name", column_name=_("desa"))
    village_code = fields.Field(attribute="producer__village__code", column_name=_("kode desa"))
    regency = fields.Field(attribute="producer__village__district__regency__name", column_name=_("kabupaten"))
    category = fields.Field(attribute="category__name", column_name=_("kategori"))
    progress = fields.Field(column_name=_("pendampingan"), dehydrate_method="dehydrate_progress")
    certificates = fields.Field(
        column_name=_("izin dan sertifikat"), dehydrate_method="dehydrate_certificates"
    )

    class Meta:
        model = Product
        fields = (
            "id",
            "name",
            "slug",
            "producer",
            "village",
            "village_code",
            "regency",
            "category",
            "price",
            "unit",
            "net_content",
            "stock",
            "gtin",
            "is_published",
            "cohort_year",
            "progress",
            "certificates",
        )
        export_order = fields

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return (
            queryset.select_related("category", "producer__village__district__regency")
            .with_pipeline_progress()
            .with_public_certificates()
        )

    def dehydrate_progress(self, product: Product) -> str:
        return str(product.pipeline_progress)

    def dehydrate_is_published(self, product: Product) -> str:
        return yes_no(product.is_published)

    def dehydrate_certificates(self, product: Product) -> str:
        return "; ".join(certificate.label for certificate in product.public_certificates)


class ProducerResource(VerboseResource):
    village = fields.Field(attribute="village__name", column_name=_("desa"))
    village_code = fields.Field(attribute="village__code", column_name=_("kode desa"))
    district = fields.Field(attribute="village__district__name", column_name=_("kecamatan"))
    regency = fields.Field(attribute="village__district__regency__name", column_name=_("kabupaten"))
    has_qris = fields.Field(column_name=_("punya QRIS"), dehydrate_method="dehydrate_has_qris")
    product_count = fields.Field(attribute="product_count", column_name=_("jumlah produk"))

    class Meta:
        model = Producer
        fields = (
            "id",
            "name",
            "slug",
            "village",
            "village_code",
            "district",
            "regency",
            "contact_person",
            "whatsapp",
            "nib",
            "has_qris",
            "product_count",
        )
        export_order = fields

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return queryset.with_places().annotate(product_count=Count("products", distinct=True))

    def dehydrate_has_qris(self, producer: Producer) -> str:
        return yes_no(producer.has_qris)


def _stage_status(kind: str):
    def dehydrate(product: Product) -> str:
        statuses = getattr(product, "_stage_statuses", None)
        if statuses is None:
            statuses = {stage.kind: stage.status for stage in product.stages.all()}
            product._stage_statuses = statuses
        status = statuses.get(kind)
        return str(StageStatus(status).label) if status else ""

    return dehydrate


class _PipelineBase(VerboseResource):
    producer = fields.Field(attribute="producer__name", column_name=_("produsen"))
    village = fields.Field(attribute="producer__village__name", column_name=_("desa"))
    regency = fields.Field(attribute="producer__village__district__regency__name", column_name=_("kabupaten"))
    progress = fields.Field(column_name=_("progres"), dehydrate_method="dehydrate_progress")

    def filter_export(self, queryset: QuerySet, **kwargs) -> QuerySet:
        return (
            queryset.select_related("producer__village__district__regency")
            .with_pipeline_progress()
            .prefetch_related("stages")
        )

    def dehydrate_progress(self, product: Product) -> str:
        return str(product.pipeline_progress)


_STAGE_FIELDS = {
    f"stage_{kind}": fields.Field(column_name=label, dehydrate_method=_stage_status(kind))
    for kind, label in StageKind.choices
}


class _PipelineMeta:
    model = Product
    name = _("Matriks pendampingan")
    fields = ("id", "name", "producer", "village", "regency", *_STAGE_FIELDS, "progress")
    export_order = fields


PipelineResource = type(
    "PipelineResource",
    (_PipelineBase,),
    {**_STAGE_FIELDS, "Meta": _PipelineMeta, "__module__": __name__, "__doc__": "Products × the 14 stages."},
)
ProductResource.Meta.name = _("Produk")
