"""List filters of the back office admin. Each costs at most one query for its choices."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Certificate, CertificateKind, Stage, StageKind, StageStatus
from villages.models import Regency


class RegencyFilter(admin.SimpleListFilter):
    """By regency (kabupaten/kota), through the producer's village. `regency_path` is the lookup
    from the listed model to the regency."""

    title = _("kabupaten/kota")
    parameter_name = "kabupaten"
    regency_path = "producer__village__district__regency"

    def lookups(self, request, model_admin):
        # Only regencies with a producer: a national region import must not flood the filter.
        regencies = Regency.objects.filter(districts__villages__producers__isnull=False).distinct()
        return list(regencies.order_by("name").values_list("slug", "name"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.regency_path}__slug": self.value()})
        return queryset


class ProducerRegencyFilter(RegencyFilter):
    regency_path = "village__district__regency"


class CertificateRegencyFilter(RegencyFilter):
    regency_path = "product__producer__village__district__regency"


class StageKindFilter(admin.SimpleListFilter):
    """With a status chosen below: products whose stage has that status. Alone: products for which
    this stage is still open (neither done nor not applicable)."""

    title = _("tahap")
    parameter_name = "tahap"

    def lookups(self, request, model_admin):
        return StageKind.choices

    def queryset(self, request, queryset):
        kind = self.value()
        if kind not in StageKind.values:
            return queryset
        status = request.GET.get(StageStatusFilter.parameter_name)
        if status in StageStatus.values:
            return queryset  # both chosen: StageStatusFilter applies the pair
        return queryset.filter(Exists(Stage.objects.open().filter(product=OuterRef("pk"), kind=kind)))


class StageStatusFilter(admin.SimpleListFilter):
    """With a stage chosen above: that stage has this status. Alone: any stage has this status."""

    title = _("status tahap")
    parameter_name = "status_tahap"

    def lookups(self, request, model_admin):
        return StageStatus.choices

    def queryset(self, request, queryset):
        status = self.value()
        if status not in StageStatus.values:
            return queryset
        kind = request.GET.get(StageKindFilter.parameter_name)
        stages = Stage.objects.filter(product=OuterRef("pk"), status=status)
        if kind in StageKind.values:
            stages = stages.filter(kind=kind)
        return queryset.filter(Exists(stages))


class CertificateKindFilter(admin.SimpleListFilter):
    title = _("jenis izin/sertifikat")
    parameter_name = "sertifikat"
    NONE = "tanpa"

    def lookups(self, request, model_admin):
        return [*CertificateKind.choices, (self.NONE, _("Tanpa izin/sertifikat"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.exclude(Exists(Certificate.objects.filter(product=OuterRef("pk"))))
        if value in CertificateKind.values:
            return queryset.filter(Exists(Certificate.objects.filter(product=OuterRef("pk"), kind=value)))
        return queryset


class ExpiryFilter(admin.SimpleListFilter):
    """Certificates that expire soon (or already did): on products, any of their certificates."""

    title = _("masa berlaku")
    parameter_name = "kedaluwarsa"
    certificate_path = None  # None: the listed model is Certificate itself

    def lookups(self, request, model_admin):
        return [
            ("30", _("Habis dalam 30 hari")),
            ("90", _("Habis dalam 90 hari")),
            ("lewat", _("Sudah kedaluwarsa")),
        ]

    def condition(self, today: datetime.date) -> Q | None:
        value = self.value()
        if value in {"30", "90"}:
            return Q(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=int(value)))
        if value == "lewat":
            return Q(expires_on__lt=today)
        return None

    def queryset(self, request, queryset):
        condition = self.condition(timezone.localdate())
        if condition is None:
            return queryset
        if self.certificate_path is None:
            return queryset.filter(condition)
        return queryset.filter(Exists(Certificate.objects.filter(condition, product=OuterRef("pk"))))


class ProductExpiryFilter(ExpiryFilter):
    title = _("izin/sertifikat segera habis")
    certificate_path = "certificates"


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verifikasi")
    parameter_name = "verifikasi"

    def lookups(self, request, model_admin):
        return [
            ("ya", _("Terverifikasi")),
            ("belum", _("Belum diverifikasi")),
            ("publik", _("Tampil di toko")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "ya":
            return queryset.verified()
        if value == "belum":
            return queryset.unverified()
        if value == "publik":
            return queryset.public()
        return queryset


class OverdueStageFilter(admin.SimpleListFilter):
    """Open stages whose target date has passed (WITA): the officers' home links here."""

    title = _("target")
    parameter_name = "terlambat"

    def lookups(self, request, model_admin):
        return [("ya", _("Terlambat"))]

    def queryset(self, request, queryset):
        if self.value() == "ya":
            return queryset.open().filter(target_date__lt=timezone.localdate())
        return queryset
