from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

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
    def with_products(self) -> RegencyQuerySet:
        return self.filter(districts__villages__producers__products__is_published=True).distinct()

    def of_ntt(self) -> RegencyQuerySet:
        """The 22 regencies and cities of NTT, even when the rest of Indonesia is imported too."""
        return self.filter(province_id=NTT_PROVINCE_CODE)

    def with_product_counts(self) -> RegencyQuerySet:
        """Annotate `product_count`: published products of the regency's producers."""
        return self.annotate(
            product_count=models.Count(
                "districts__villages__producers__products",
                filter=models.Q(districts__villages__producers__products__is_published=True),
            )
        )


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
