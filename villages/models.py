from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ovop.storage import PrivateStorage

from . import codes


class Region(models.Model):
    """What every level shares: the Kemendagri code is the primary key, so links and imports use it."""

    level: codes.Level
    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def parent_code(self) -> str | None:
        return codes.parent_code(self.code)

    def clean(self) -> None:
        super().clean()
        try:
            codes.validate_code(self.code, self.level)
        except ValidationError as error:
            raise ValidationError({"code": error}) from None


class Province(Region):
    level = codes.Level.PROVINCE

    class Meta(Region.Meta):
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")


NTT_PROVINCE_CODE = "53"  # Nusa Tenggara Timur, the province of the Gerakan Beli Produk NTT


class RegencyQuerySet(models.QuerySet):
    def of_ntt(self) -> RegencyQuerySet:
        """The 22 regencies and cities of NTT, even when the rest of Indonesia is imported too."""
        return self.filter(province_id=NTT_PROVINCE_CODE)


class Regency(Region):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    level = codes.Level.REGENCY
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.KABUPATEN)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)

    objects = RegencyQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("villages:regency", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.province_id:
            codes.validate_parent(self.code, self.province_id)

    @staticmethod
    def kind_for_name(name: str) -> str:
        return Regency.Kind.KOTA if name.strip().lower().startswith("kota ") else Regency.Kind.KABUPATEN


class District(Region):
    level = codes.Level.DISTRICT
    regency = models.ForeignKey(
        Regency, on_delete=models.PROTECT, related_name="districts", verbose_name=_("kabupaten/kota")
    )

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def clean(self) -> None:
        super().clean()
        if self.regency_id:
            codes.validate_parent(self.code, self.regency_id)


class VillageQuerySet(models.QuerySet):
    def loci(self) -> VillageQuerySet:
        return self.filter(is_ovop_locus=True)

    def in_regency(self, regency: Regency | str) -> VillageQuerySet:
        return self.filter(district__regency=regency)

    def with_places(self) -> VillageQuerySet:
        return self.select_related("district__regency")


class Village(Region):
    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    level = codes.Level.VILLAGE
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.DESA)

    # PMD's mapping of the village's potential.
    is_ovop_locus = models.BooleanField(_("lokus OVOP"), default=False, db_index=True)
    commodity = models.CharField(_("komoditas/potensi"), max_length=200, blank=True)
    raw_material_notes = models.TextField(_("catatan bahan baku"), blank=True)
    sustainability_score = models.PositiveSmallIntegerField(
        _("skor keberlanjutan bahan baku"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (rapuh) sampai 5 (sangat berkelanjutan)."),
    )
    satellite_villages = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="supplied_loci",
        verbose_name=_("desa satelit"),
        help_text=_("Desa yang memasok bahan baku ke desa lokus ini."),
    )
    mapped_on = models.DateField(_("tanggal pemetaan"), null=True, blank=True)
    mapped_by = models.CharField(_("petugas pemetaan"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    mapping_notes = models.TextField(_("catatan pemetaan"), blank=True)

    objects = VillageQuerySet.as_manager()

    class Meta(Region.Meta):
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        # django-import-export asks for "<app>.import_<model>" (IMPORT_EXPORT_IMPORT_PERMISSION_CODE).
        permissions = [("import_village", _("Dapat mengimpor wilayah dan pemetaan desa"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sustainability_score__isnull=True)
                | models.Q(sustainability_score__gte=1, sustainability_score__lte=5),
                name="village_sustainability_score_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="village_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="village_longitude_range",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        self.kind = self.kind_for_code(self.code)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("villages:village", kwargs={"code": self.code})

    def clean(self) -> None:
        super().clean()
        if self.district_id:
            codes.validate_parent(self.code, self.district_id)

    @staticmethod
    def kind_for_code(code: str) -> str:
        return Village.Kind.KELURAHAN if codes.is_kelurahan(code) else Village.Kind.DESA

    @property
    def regency(self) -> Regency:
        return self.district.regency


# --- Selecting the next cohort (issue 16): regencies propose villages, PMD scores and accepts -------


class Criterion(models.TextChoices):
    """The five OVOP selection criteria, in the order of the pipeline's first five stages."""

    MAPPING = "pemetaan", _("Pemetaan potensi dan keberlanjutan bahan baku")
    SATELLITES = "desa_satelit", _("Desa satelit")
    BUYERS = "pembeli", _("Pembeli yang sudah teridentifikasi")
    CHANNELS = "distribusi", _("Saluran distribusi")
    LEGALITY = "legalitas", _("Legalitas")


MAX_ACCEPTED_PER_REGENCY = 2


class SelectionWeights(models.Model):
    """How much each criterion counts in a candidate's weighted score (set by Admin PMD). One row."""

    pemetaan = models.PositiveSmallIntegerField(_("bobot pemetaan potensi"), default=25)
    desa_satelit = models.PositiveSmallIntegerField(_("bobot desa satelit"), default=15)
    pembeli = models.PositiveSmallIntegerField(_("bobot pembeli"), default=20)
    distribusi = models.PositiveSmallIntegerField(_("bobot saluran distribusi"), default=20)
    legalitas = models.PositiveSmallIntegerField(_("bobot legalitas"), default=20)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    class Meta:
        verbose_name = _("bobot kriteria seleksi")
        verbose_name_plural = _("bobot kriteria seleksi")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pemetaan__gt=0)
                | models.Q(desa_satelit__gt=0)
                | models.Q(pembeli__gt=0)
                | models.Q(distribusi__gt=0)
                | models.Q(legalitas__gt=0),
                name="selection_weights_not_all_zero",
            )
        ]

    def __str__(self) -> str:
        return ", ".join(f"{label} {self.weight(value)}" for value, label in Criterion.choices)

    @classmethod
    def current(cls) -> SelectionWeights:
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def weight(self, criterion: str) -> int:
        return getattr(self, criterion)

    @property
    def total(self) -> int:
        return sum(self.weight(criterion) for criterion in Criterion.values)

    def clean(self) -> None:
        super().clean()
        if self.total == 0:
            raise ValidationError(_("Paling tidak satu kriteria harus berbobot lebih dari 0."))

    def score_expression(self) -> models.Expression:
        """The weighted score (1.00-5.00) as SQL: sum of score x weight over the sum of weights."""
        weighted = sum(
            (models.F(f"{criterion}_score") * self.weight(criterion) for criterion in Criterion.values),
            models.Value(0),
        )
        return models.ExpressionWrapper(
            models.functions.Cast(weighted, models.FloatField()) / max(self.total, 1),
            output_field=models.FloatField(),
        )


class CandidateStatus(models.TextChoices):
    PROPOSED = "diusulkan", _("Diusulkan")
    ACCEPTED = "diterima", _("Diterima")
    REJECTED = "ditolak", _("Ditolak")


class CandidateQuerySet(models.QuerySet):
    def ranked(self, weights: SelectionWeights | None = None) -> CandidateQuerySet:
        """Annotate `weighted_score` and `rank` (1 = best within its regency and cohort year)."""
        weights = weights or SelectionWeights.current()
        score = weights.score_expression()
        return self.annotate(
            weighted_score=score,
            rank=models.Window(
                models.functions.RowNumber(),
                partition_by=[models.F("regency"), models.F("cohort_year")],
                order_by=[score.desc(), models.F("pk").asc()],
            ),
        )

    def accepted(self) -> CandidateQuerySet:
        return self.filter(status=CandidateStatus.ACCEPTED)


def candidate_evidence_path(instance: Candidate, filename: str) -> str:
    return f"kandidat/{instance.cohort_year}/{instance.village_id}/{filename}"


def _score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (lemah) sampai 5 (kuat)."),
    )


def _evidence_field():
    # Private like a stage's evidence; the back office's admin form checks the file's content.
    return models.FileField(
        _("bukti"),
        upload_to=candidate_evidence_path,
        storage=PrivateStorage(),
        blank=True,
        help_text=_("PDF, JPEG atau PNG, paling besar 10 MB. Hanya petugas yang dapat membukanya."),
    )


class Candidate(models.Model):
    """A village a regency proposes for the next OVOP cohort, with its commodity, scored 1-5 on the
    five selection criteria (each with a note and evidence). At most two are accepted per regency
    and cohort year: `accepted_slot` is 1 or 2 and unique per regency and year, so the database
    refuses a third even when two officers accept at the same moment."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("desa/kelurahan")
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="candidates",
        editable=False,
        verbose_name=_("kabupaten/kota"),
    )
    commodity = models.CharField(_("komoditas"), max_length=200)
    cohort_year = models.PositiveSmallIntegerField(
        _("tahun angkatan"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    proposed_by = models.CharField(_("diusulkan oleh"), max_length=200, blank=True)

    pemetaan_score = _score_field(_("skor pemetaan potensi dan bahan baku"))
    pemetaan_note = models.TextField(_("catatan pemetaan potensi"), blank=True)
    pemetaan_evidence = _evidence_field()
    desa_satelit_score = _score_field(_("skor desa satelit"))
    desa_satelit_note = models.TextField(_("catatan desa satelit"), blank=True)
    desa_satelit_evidence = _evidence_field()
    pembeli_score = _score_field(_("skor pembeli"))
    pembeli_note = models.TextField(_("catatan pembeli"), blank=True)
    pembeli_evidence = _evidence_field()
    distribusi_score = _score_field(_("skor saluran distribusi"))
    distribusi_note = models.TextField(_("catatan saluran distribusi"), blank=True)
    distribusi_evidence = _evidence_field()
    legalitas_score = _score_field(_("skor legalitas"))
    legalitas_note = models.TextField(_("catatan legalitas"), blank=True)
    legalitas_evidence = _evidence_field()

    status = models.CharField(
        _("status"), max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )
    accepted_slot = models.PositiveSmallIntegerField(
        _("urutan diterima"), null=True, blank=True, editable=False
    )
    decided_by = models.CharField(_("diputuskan oleh"), max_length=150, blank=True, editable=False)
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-cohort_year", "regency__name", "village__name"]
        verbose_name = _("kandidat desa OVOP")
        verbose_name_plural = _("kandidat desa OVOP")
        permissions = [
            ("accept_candidate", _("Dapat menerima atau menolak kandidat")),
            ("import_candidate", _("Dapat mengimpor kandidat")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["village", "cohort_year"], name="candidate_once_per_year"),
            models.UniqueConstraint(
                fields=["regency", "cohort_year", "accepted_slot"], name="candidate_two_accepted_per_regency"
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_slot__isnull=True)
                | models.Q(accepted_slot__gte=1, accepted_slot__lte=MAX_ACCEPTED_PER_REGENCY),
                name="candidate_accepted_slot_1_2",
            ),
            models.CheckConstraint(
                condition=models.Q(status="diterima", accepted_slot__isnull=False)
                | (~models.Q(status="diterima") & models.Q(accepted_slot__isnull=True)),
                name="candidate_slot_only_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} ({self.commodity}, {self.cohort_year})"

    def save(self, *args, **kwargs) -> None:
        if self.village_id and not self.regency_id:
            self.regency_id = District.objects.values_list("regency_id", flat=True).get(
                pk=self.village.district_id
            )
        super().save(*args, **kwargs)

    def score(self, criterion: str) -> int:
        return getattr(self, f"{criterion}_score")

    def note(self, criterion: str) -> str:
        return getattr(self, f"{criterion}_note")

    def weighted_score_with(self, weights: SelectionWeights) -> float:
        return sum(self.score(c) * weights.weight(c) for c in Criterion.values) / max(weights.total, 1)
