"""The province's support pipeline for each product, and its permits and certificates."""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .products import Product


class PrivateStorage(FileSystemStorage):
    """Evidence and scans live in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT: no web server serves
    them, and only staff views stream them. The folder is read from settings at each use."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


class StageKind(models.TextChoices):
    """The fourteen stages every OVOP product goes through, in the programme's order."""

    MAPPING = "pemetaan", _("Pemetaan potensi dan keberlanjutan bahan baku")
    SATELLITES = "desa_satelit", _("Kajian desa satelit")
    BUYERS = "pembeli", _("Identifikasi pembeli")
    CHANNELS = "distribusi", _("Saluran distribusi")
    LEGALITY = "legalitas", _("Analisis legalitas")
    QUALITY = "mutu", _("Mutu produksi")
    EQUIPMENT = "peralatan", _("Peralatan produksi")
    PACKAGING = "kemasan", _("Kemasan")
    LABELLING = "label", _("Pelabelan")
    PERMIT = "izin_edar", _("Izin edar (BPOM MD atau P-IRT)")
    HALAL = "halal", _("Sertifikat Halal")
    BARCODE = "barcode", _("Barcode GS1")
    QRIS = "qris", _("QRIS")
    MARKETING = "pemasaran", _("Pemasaran digital dan promosi")

    @classmethod
    def position(cls, value: str) -> int:
        return cls.values.index(value)


class StageStatus(models.TextChoices):
    NOT_STARTED = "belum", _("Belum")
    IN_PROGRESS = "berjalan", _("Berjalan")
    SUBMITTED = "diajukan", _("Diajukan")
    DONE = "selesai", _("Selesai")
    NOT_APPLICABLE = "tidak_berlaku", _("Tidak berlaku")


class StageQuerySet(models.QuerySet):
    def in_programme_order(self) -> StageQuerySet:
        order = models.Case(
            *(models.When(kind=kind, then=i) for i, kind in enumerate(StageKind.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(position=order).order_by("product_id", "position")

    def done(self) -> StageQuerySet:
        return self.filter(status=StageStatus.DONE)

    def open(self) -> StageQuerySet:
        return self.exclude(status__in=[StageStatus.DONE, StageStatus.NOT_APPLICABLE])


def evidence_path(instance: Stage, filename: str) -> str:
    return f"bukti/{instance.product_id}/{instance.kind}/{filename}"


class Stage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("tahap"), max_length=20, choices=StageKind.choices)
    status = models.CharField(
        _("status"), max_length=15, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petugas penanggung jawab"),
    )
    target_date = models.DateField(_("target"), null=True, blank=True)
    completed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    evidence = models.FileField(_("bukti"), upload_to=evidence_path, storage=private_storage, blank=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("tahap pendampingan")
        verbose_name_plural = _("tahap pendampingan")
        constraints = [models.UniqueConstraint(fields=["product", "kind"], name="stage_once_per_product")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    @property
    def position(self) -> int:
        return StageKind.position(self.kind)

    @property
    def is_done(self) -> bool:
        return self.status == StageStatus.DONE


class StageChange(models.Model):
    """One status change of a stage: who, when, from, to, and why. Never edited."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("waktu"), default=timezone.now)
    from_status = models.CharField(_("dari"), max_length=15, choices=StageStatus.choices, blank=True)
    to_status = models.CharField(_("menjadi"), max_length=15, choices=StageStatus.choices)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("riwayat status tahap")
        verbose_name_plural = _("riwayat status tahap")

    def __str__(self) -> str:
        return f"{self.stage}: {self.from_status or '-'} → {self.to_status}"


class CertificateKind(models.TextChoices):
    BPOM_MD = "bpom_md", _("BPOM MD")
    BPOM_ML = "bpom_ml", _("BPOM ML")
    PIRT = "pirt", _("P-IRT")
    HALAL = "halal", _("Halal")


class CertificateQuerySet(models.QuerySet):
    def public(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Only what a shopper may trust: verified and not expired."""
        today = today or timezone.localdate()
        return self.filter(verified_at__isnull=False).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    def expiring_within(self, days: int, today: datetime.date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days))


def scan_path(instance: Certificate, filename: str) -> str:
    return f"sertifikat/{instance.product_id}/{filename}"


class Certificate(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("jenis"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(_("nomor"), max_length=40)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(_("berlaku sampai"), null=True, blank=True)
    scan = models.FileField(_("pindaian dokumen"), upload_to=scan_path, storage=private_storage, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diverifikasi oleh"),
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "-expires_on"]
        verbose_name = _("izin/sertifikat")
        verbose_name_plural = _("izin dan sertifikat")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="certificate_number_unique_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"
