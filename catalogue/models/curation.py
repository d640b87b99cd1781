"""Curation "Bintang OVOP NTT": a product assessed on a rubric modelled on Vietnam's OCOP.

Three groups, 100 points: community and production 40, marketing and story 25, quality 35. Each
criterion gets points (0 to its maximum), a note and an evidence file. The total gives the stars
(90-100 ★5, 70-89 ★4, 50-69 ★3, 30-49 ★2, below 30 ★1). An assessment is dated and valid for
36 months; a product shows the stars of its latest assessment still valid.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import caching
from catalogue.documents import validate_document_upload

from .support import private_storage

VALID_MONTHS = 36
STAR_FLOORS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))


def stars_for(total: int) -> int:
    """90-100 ★5, 70-89 ★4, 50-69 ★3, 30-49 ★2, below 30 ★1."""
    return next(stars for floor, stars in STAR_FLOORS if total >= floor)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 = 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


class RubricGroup(models.TextChoices):
    COMMUNITY = "komunitas", _("Komunitas dan produksi")
    MARKETING = "pemasaran", _("Pemasaran dan kisah")
    QUALITY = "mutu", _("Mutu")


@dataclass(frozen=True)
class CriterionSpec:
    group: str
    maximum: int


class Criterion(models.TextChoices):
    """The rubric's ten criteria, in order; their maxima add up to 40 + 25 + 35 = 100."""

    RAW_MATERIAL = "bahan_baku", _("Bahan baku lokal dan keberlanjutannya")
    COMMUNITY = "keterlibatan", _("Keterlibatan warga desa dan kelembagaan usaha")
    PRODUCTION = "produksi", _("Proses dan kapasitas produksi")
    IMPACT = "dampak", _("Dampak sosial dan lingkungan")
    STORY = "kisah", _("Kisah produk dan identitas desa")
    PACKAGING = "kemasan", _("Kemasan dan label")
    CHANNELS = "saluran", _("Pemasaran dan saluran penjualan")
    QUALITY = "mutu_produk", _("Mutu dan konsistensi produk")
    LEGALITY = "legalitas", _("Izin edar, halal dan standar")
    SAFETY = "keamanan", _("Keamanan produk dan daya simpan")

    @property
    def spec(self) -> CriterionSpec:
        return RUBRIC[self]

    @property
    def maximum(self) -> int:
        return RUBRIC[self].maximum


RUBRIC: dict[str, CriterionSpec] = {
    Criterion.RAW_MATERIAL: CriterionSpec(RubricGroup.COMMUNITY, 10),
    Criterion.COMMUNITY: CriterionSpec(RubricGroup.COMMUNITY, 10),
    Criterion.PRODUCTION: CriterionSpec(RubricGroup.COMMUNITY, 10),
    Criterion.IMPACT: CriterionSpec(RubricGroup.COMMUNITY, 10),
    Criterion.STORY: CriterionSpec(RubricGroup.MARKETING, 10),
    Criterion.PACKAGING: CriterionSpec(RubricGroup.MARKETING, 8),
    Criterion.CHANNELS: CriterionSpec(RubricGroup.MARKETING, 7),
    Criterion.QUALITY: CriterionSpec(RubricGroup.QUALITY, 15),
    Criterion.LEGALITY: CriterionSpec(RubricGroup.QUALITY, 10),
    Criterion.SAFETY: CriterionSpec(RubricGroup.QUALITY, 10),
}


def group_maximum(group: str) -> int:
    return sum(spec.maximum for spec in RUBRIC.values() if spec.group == group)


class CurationQuerySet(caching.PublicQuerySet):
    def valid(self, today: datetime.date | None = None) -> CurationQuerySet:
        return self.filter(valid_until__gte=today or timezone.localdate())

    def expiring_on(self, day: datetime.date) -> CurationQuerySet:
        return self.filter(valid_until=day)

    def latest_valid_for(self, product_ref, today: datetime.date | None = None) -> CurationQuerySet:
        """The product's latest assessment still valid (a QuerySet of at most one, for a Subquery)."""
        return self.valid(today).filter(product=product_ref).order_by("-assessed_on", "-pk")[:1]


def curation_evidence_path(instance: CurationScore, filename: str) -> str:
    return f"kurasi/{instance.curation.product_id}/{instance.curation_id}/{instance.criterion}/{filename}"


class Curation(models.Model):
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="curations", verbose_name=_("produk")
    )
    assessed_on = models.DateField(_("tanggal penilaian"), default=timezone.localdate)
    valid_until = models.DateField(_("berlaku sampai"), editable=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dinilai oleh"),
    )
    total = models.PositiveSmallIntegerField(_("jumlah nilai"), default=0, editable=False)
    stars = models.PositiveSmallIntegerField(_("bintang"), default=1, editable=False)
    note = models.TextField(_("catatan"), blank=True)
    reminded_on = models.DateField(_("pengingat terakhir"), null=True, blank=True, editable=False)

    objects = CurationQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("kurasi Bintang OVOP")
        verbose_name_plural = _("kurasi Bintang OVOP")
        constraints = [
            models.CheckConstraint(condition=models.Q(stars__gte=1, stars__lte=5), name="curation_stars_1_5"),
            models.CheckConstraint(condition=models.Q(total__lte=100), name="curation_total_at_most_100"),
        ]
        indexes = [models.Index(fields=["product", "-assessed_on"], name="curation_latest")]

    def __str__(self) -> str:
        return f"{self.product} · {'★' * self.stars} ({self.total})"

    def save(self, *args, **kwargs) -> None:
        self.valid_until = add_months(self.assessed_on, VALID_MONTHS) - datetime.timedelta(days=1)
        super().save(*args, **kwargs)

    @staticmethod
    def latest_valid_of(product_ids: list[int], today: datetime.date) -> CurationQuerySet:
        """latest_valid_for() of one product, for compiled.rows() (Product.current_curation)."""
        return Curation.objects.latest_valid_for(product_ids[0], today)

    @property
    def star_text(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars)

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        return self.valid_until >= (day or timezone.localdate())

    def group_totals(self) -> dict[str, int]:
        totals = dict.fromkeys(RubricGroup.values, 0)
        for score in self.scores.all():
            totals[RUBRIC[score.criterion].group] += score.points
        return totals

    @transaction.atomic
    def recount(self) -> None:
        """Add the criteria's points up and set the total and the stars (after the scores change)."""
        total = self.scores.aggregate(total=models.Sum("points"))["total"] or 0
        self.total, self.stars = total, stars_for(total)
        # The QuerySet's UPDATE bumps the public pages' cache: the product page shows the stars.
        Curation.objects.filter(pk=self.pk).update(total=self.total, stars=self.stars)


class CurationScore(models.Model):
    curation = models.ForeignKey(
        Curation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("kurasi")
    )
    criterion = models.CharField(_("kriteria"), max_length=20, choices=Criterion.choices)
    points = models.PositiveSmallIntegerField(_("nilai"), default=0, validators=[MinValueValidator(0)])
    note = models.TextField(_("catatan"), blank=True)
    evidence = models.FileField(
        _("bukti"),
        upload_to=curation_evidence_path,
        storage=private_storage,
        blank=True,
        validators=[validate_document_upload],
        help_text=_("PDF, JPEG atau PNG, paling besar 10 MB. Hanya petugas yang dapat membukanya."),
    )

    class Meta:
        ordering = ["curation", "pk"]
        verbose_name = _("nilai kriteria")
        verbose_name_plural = _("nilai kriteria")
        constraints = [
            models.UniqueConstraint(
                fields=["curation", "criterion"], name="curation_score_once_per_criterion"
            ),
            models.CheckConstraint(condition=models.Q(points__lte=15), name="curation_score_at_most_15"),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.points}"

    def clean(self) -> None:
        super().clean()
        if (
            self.criterion in RUBRIC
            and self.points is not None
            and self.points > RUBRIC[self.criterion].maximum
        ):
            raise ValidationError(
                {
                    "points": _("Nilai paling tinggi untuk kriteria ini %(max)d.")
                    % {"max": RUBRIC[self.criterion].maximum}
                }
            )
