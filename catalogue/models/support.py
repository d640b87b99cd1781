"""The province's support pipeline for each product, and its permits and certificates."""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import identifiers
from catalogue.caching import PublicQuerySet
from catalogue.documents import validate_document_upload
from ovop import storage


class PrivateStorage(storage.PrivateStorage):
    """Kept under this name: the migrations of the stage and certificate files refer to it."""


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

    @classmethod
    def programme_order(cls) -> models.Case:
        """An SQL expression giving each stage its position (0-13) in the programme."""
        return models.Case(
            *(models.When(kind=kind, then=i) for i, kind in enumerate(cls.values)),
            output_field=models.IntegerField(),
        )


class StageStatus(models.TextChoices):
    NOT_STARTED = "belum", _("Belum")
    IN_PROGRESS = "berjalan", _("Berjalan")
    SUBMITTED = "diajukan", _("Diajukan")
    DONE = "selesai", _("Selesai")
    NOT_APPLICABLE = "tidak_berlaku", _("Tidak berlaku")

    @classmethod
    def closed(cls) -> list[str]:
        """Statuses that need no more work: done, or not applicable to this product."""
        return [cls.DONE, cls.NOT_APPLICABLE]


class StageQuerySet(PublicQuerySet):
    def in_programme_order(self) -> StageQuerySet:
        return self.alias(position=StageKind.programme_order()).order_by("product_id", "position")

    def applicable(self) -> StageQuerySet:
        return self.exclude(status=StageStatus.NOT_APPLICABLE)

    def open(self) -> StageQuerySet:
        return self.exclude(status__in=StageStatus.closed())

    def next_due(self) -> StageQuerySet:
        """Open stages, the most urgent first: earliest target date, then the programme's order."""
        return (
            self.open()
            .alias(position=StageKind.programme_order())
            .order_by(models.F("target_date").asc(nulls_last=True), "position")
        )

    def change_status(self, *, to: str, by, note: str = "") -> int:
        """Move every stage here to the status `to`: the one writer of stage statuses and their history.

        One history row (who, when, from, to, why) per stage that actually changes; a stage becoming
        done gets today as its completion date unless it has one. Rows are locked first, so two
        officers moving the same stage write one change each, in turn. Returns how many changed."""
        if to not in StageStatus.values:
            raise ValueError(f"Unknown stage status: {to!r}")
        now = timezone.now()
        with transaction.atomic(using=self.db):
            stages = list(self.exclude(status=to).select_for_update().only("pk", "status"))
            if not stages:
                return 0
            StageChange.objects.bulk_create(
                StageChange(
                    stage=stage,
                    changed_by=by,
                    changed_at=now,
                    from_status=stage.status,
                    to_status=to,
                    note=note,
                )
                for stage in stages
            )
            changed = Stage.objects.filter(pk__in=[stage.pk for stage in stages])
            super(StageQuerySet, changed).update(status=to, updated_at=now)
            if to == StageStatus.DONE:
                changed.filter(completed_on__isnull=True).update(completed_on=timezone.localdate(now))
        return len(stages)

    def update(self, **kwargs) -> int:
        if "status" in kwargs:
            raise TypeError("A stage's status moves only through change_status(), which writes its history.")
        return super().update(**kwargs)


def evidence_path(instance: Stage, filename: str) -> str:
    return f"bukti/{instance.product_id}/{instance.kind}/{filename}"


class Stage(models.Model):
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="stages", verbose_name=_("produk")
    )
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
    evidence = models.FileField(
        _("bukti"),
        upload_to=evidence_path,
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, JPEG atau PNG, paling besar 10 MB. Hanya petugas yang dapat membukanya."),
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = _("tahap pendampingan")
        verbose_name_plural = _("tahap pendampingan")
        constraints = [models.UniqueConstraint(fields=["product", "kind"], name="stage_once_per_product")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        """Save a stage; an existing stage's status is left as stored: it moves only through
        change_status(), which records the change in the history."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "status"
            ]
        super().save(*args, **kwargs)

    def change_status(self, *, to: str, by, note: str = "") -> bool:
        """Move this stage to `to`, recording who, from what and why (StageQuerySet.change_status).
        False when it already had that status."""
        changed = Stage.objects.filter(pk=self.pk).change_status(to=to, by=by, note=note)
        self.refresh_from_db(fields=["status", "completed_on", "updated_at"])
        return bool(changed)

    @property
    def position(self) -> int:
        return StageKind.position(self.kind)


class StageChange(models.Model):
    """One status change of a stage: who, when, from, to, and why. Never edited."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="changes", verbose_name=_("tahap")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
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

    @classmethod
    def families(cls) -> dict[str, list[str]]:
        """What a shopper filters by: BPOM MD and ML are both a BPOM permit."""
        return {"halal": [cls.HALAL], "bpom": [cls.BPOM_MD, cls.BPOM_ML], "pirt": [cls.PIRT]}

    @classmethod
    def family_labels(cls) -> dict[str, str]:
        """A family's short name on a badge, without a number: the product page's badges and the
        cards' (catalogue/grid.py) both print it from here."""
        return {"halal": _("Halal"), "bpom": _("BPOM"), "pirt": _("P-IRT")}

    @classmethod
    def family_of(cls, kind: str) -> str:
        """`halal`, `bpom` or `pirt`: the family a kind belongs to."""
        return next(name for name, kinds in cls.families().items() if kind in kinds)

    @classmethod
    def badges(cls, kinds: list[str]) -> list[tuple[str, str]]:
        """(family, label in the active language) for each of these kinds, in their order."""
        labels = cls.family_labels()
        return [(family, str(labels[family])) for family in map(cls.family_of, kinds)]

    @classmethod
    def family(cls, name: str) -> list[str]:
        """The kinds of a family; KeyError for a name that is not `halal`, `bpom` or `pirt`."""
        return cls.families()[name]

    @classmethod
    def default_validity_years(cls, kind: str) -> int | None:
        """BPOM permits and P-IRT are valid five years from issue; a Halal certificate has no default."""
        return None if kind == cls.HALAL else 5


class CertificateQuerySet(PublicQuerySet):
    def public(self, today: datetime.date | None = None) -> CertificateQuerySet:
        """Only what a shopper may trust: verified and not expired."""
        today = today or timezone.localdate()
        return self.filter(verified_at__isnull=False).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    def expiring_within(self, days: int, today: datetime.date | None = None) -> CertificateQuerySet:
        today = today or timezone.localdate()
        return self.filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days))

    def verified(self) -> CertificateQuerySet:
        return self.filter(verified_at__isnull=False)

    def unverified(self) -> CertificateQuerySet:
        return self.filter(verified_at__isnull=True)

    def of_family(self, family: str) -> CertificateQuerySet:
        """`halal`, `bpom` (MD or ML) or `pirt`: the words of the catalogue's `sertifikat` filter."""
        return self.filter(kind__in=CertificateKind.family(family))

    def for_list(self) -> CertificateQuerySet:
        return self.select_related("product__producer__village__district__regency", "verified_by")

    def mark_verified(self, *, by) -> int:
        return self.update(verified_by=by, verified_at=timezone.now())

    def clear_verification(self) -> int:
        return self.update(verified_by=None, verified_at=None)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def scan_path(instance: Certificate, filename: str) -> str:
    return f"sertifikat/{instance.product_id}/{filename}"


class Certificate(models.Model):
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("produk")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=CertificateKind.choices)
    number = models.CharField(
        _("nomor"),
        max_length=40,
        help_text=_(
            "BPOM: MD/ML + 12 angka (BPOM RI MD 224510107115); P-IRT: 15 angka (P-IRT No. 2153276010281-21); "
            "Halal: ID + angka (ID53110000123450224)."
        ),
    )
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    expires_on = models.DateField(
        _("berlaku sampai"),
        null=True,
        blank=True,
        help_text=_("Kosongkan untuk BPOM dan P-IRT: otomatis lima tahun sejak terbit."),
    )
    scan = models.FileField(
        _("pindaian dokumen"),
        upload_to=scan_path,
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, JPEG atau PNG, paling besar 10 MB. Hanya petugas yang dapat membukanya."),
    )
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
        indexes = [models.Index(fields=["expires_on"], name="certificate_expiry")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs) -> None:
        self.apply_defaults()
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The number as printed on a label: `BPOM RI MD 224510107115`, `P-IRT No. 2153276010281-21`."""
        try:
            return identifiers.format_certificate_number(self.kind, self.number)
        except (ValidationError, ValueError):
            return self.number

    @property
    def family(self) -> str:
        return CertificateKind.family_of(self.kind)

    @property
    def family_label(self) -> str:
        """`Halal`, `BPOM` or `P-IRT`, in the active language."""
        return str(CertificateKind.family_labels()[self.family])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    def is_expired(self, today: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (today or timezone.localdate())

    @property
    def is_public(self) -> bool:
        """What the shop may show: verified and not expired."""
        return self.is_verified and not self.is_expired()

    def default_expiry(self) -> datetime.date | None:
        years = CertificateKind.default_validity_years(self.kind)
        if years is None or self.issued_on is None:
            return None
        return add_years(self.issued_on, years)

    def apply_defaults(self) -> None:
        """Normalise the number (when it is valid) and fill the default expiry of BPOM and P-IRT."""
        if self.kind and self.number:
            with contextlib.suppress(ValidationError, ValueError):
                self.number = identifiers.validate_certificate_number(self.kind, self.number)
        if self.expires_on is None:
            self.expires_on = self.default_expiry()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        number_ok = False
        if self.kind in CertificateKind.values and self.number:
            try:
                self.number = identifiers.validate_certificate_number(self.kind, self.number)
                number_ok = True
            except ValidationError as error:
                errors["number"] = error.error_list
        if self.expires_on is None:
            self.expires_on = self.default_expiry()
        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            errors.setdefault("expires_on", []).append(
                ValidationError(
                    _("Tanggal berlaku sampai harus sesudah tanggal terbit."), code="expiry_before_issue"
                )
            )
        if self.kind == CertificateKind.PIRT and number_ok:
            if self.expires_on is None:
                errors.setdefault("expires_on", []).append(
                    ValidationError(
                        _("P-IRT wajib punya masa berlaku: isi tanggal terbit atau tanggal berlaku sampai."),
                        code="pirt_expiry_missing",
                    )
                )
            else:
                try:
                    identifiers.validate_pirt_expiry(self.number, self.expires_on)
                except ValidationError as error:
                    target = "expires_on" if "expires_on" not in errors else "number"
                    errors.setdefault(target, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    def mark_verified(self, *, by) -> None:
        self.verified_by = by
        self.verified_at = timezone.now()

    def clear_verification(self) -> None:
        self.verified_by = None
        self.verified_at = None
