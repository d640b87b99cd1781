from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, StringAgg, Value
from django.db.models.functions import Coalesce, Concat, Replace
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from catalogue import compiled, identifiers
from catalogue.caching import PublicQuerySet
from catalogue.fields import StoredGeneratedField
from villages import codes
from villages.models import Regency, Village

from .producers import Producer, kept_regency
from .product_images import Cover, ProductImage
from .support import Certificate, CertificateKind, Stage, StageStatus


class Category(models.Model):
    name = models.CharField(_("nama"), max_length=80, unique=True)
    name_en = models.CharField(_("nama (Inggris)"), max_length=80, blank=True)
    slug = models.SlugField(_("slug"), max_length=90, unique=True)
    description = models.TextField(_("deskripsi"), blank=True)
    description_en = models.TextField(_("deskripsi (Inggris)"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kategori")
        verbose_name_plural = _("kategori")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


#: What a product card reads (catalogue/grid.py) besides its cover,
#: certificates and place (for_cards()): a field left out here costs a query per card (the
#: query-budget tests notice).
CARD_FIELDS = ("name", "name_en", "slug", "unit", "unit_en", "price", "stock", "paused_until")


class ProductQuerySet(PublicQuerySet):
    def published(self) -> ProductQuerySet:
        return self.filter(is_published=True)

    def featured(self) -> ProductQuerySet:
        return self.filter(is_featured=True)

    def in_regency(self, regency: Regency | str) -> ProductQuerySet:
        return self.filter(regency=regency)

    def count_by(self, field: str) -> dict[object, int]:
        """How many of these products each value of `field` has (`regency`, `category`: its key),
        values without any left out. COUNT(*), so that a published product is counted from an index
        that starts with the field (product_regency_listing, product_category_recent) without
        reading the table: the home page's counts through the regencies' villages and districts,
        or a join of every product to its category, read every product (10,000 products on
        PostgreSQL: 11 and 8 ms, against about 1 ms each)."""
        return dict(self.order_by().values_list(field).annotate(count=models.Count("*")))

    def in_village(self, village: Village | str) -> ProductQuerySet:
        return self.filter(producer__village=village)

    def in_category(self, category: Category) -> ProductQuerySet:
        return self.filter(category=category)

    def on_sale(self) -> ProductQuerySet:
        """Not on a holiday pause (``paused_until`` empty or past, WITA): the rule of ``is_paused``."""
        return self.filter(Q(paused_until__isnull=True) | Q(paused_until__lt=timezone.localdate()))

    def with_places(self) -> ProductQuerySet:
        """Everything a product card shows, in one query."""
        return self.select_related("category", "producer__village__district__regency")

    def with_cover(self) -> ProductQuerySet:
        return self.prefetch_related(
            models.Prefetch("images", queryset=ProductImage.objects.order_by("order", "pk"))
        )

    def with_cover_fields(self) -> ProductQuerySet:
        """The first image's file and alt text read in the product query itself: a card shows only
        the cover, so a page of cards needs no images query."""
        first = ProductImage.objects.filter(product=models.OuterRef("pk")).order_by("order", "pk")
        return self.annotate(
            cover_name=models.Subquery(first.values("image")[:1]),
            cover_alt=models.Subquery(first.values("alt_text")[:1]),
        )

    def for_cards(self, today: datetime.date | None = None) -> ProductQuerySet:
        """Everything a product card shows (place, cover image, public certificates), in one query.
        Only the columns the card reads (CARD_FIELDS): a product, its producer and its village carry
        long texts (stories, mapping notes) that a page of cards would otherwise read and build.
        The place is two names read in the same query (`village_name`, `regency_name`), not four
        related instances per card (producer, village, district, regency) built for two strings;
        the public certificates are their kinds (`certificate_kinds`, Product.certificate_badges),
        not a second query and a Certificate per badge."""
        public = (
            Certificate.objects.public(today)
            .filter(product=models.OuterRef("pk"))
            .order_by()
            .values("product")
            .annotate(kinds=StringAgg("kind", Value(",")))
            .values("kinds")
        )
        return (
            self.only(*CARD_FIELDS)
            .annotate(
                village_name=models.F("producer__village__name"),
                regency_name=models.F("regency__name"),
                certificate_kinds=models.Subquery(public),
            )
            .with_cover_fields()
        )

    def cards(self, start: int = 0, stop: int | None = None) -> list[Product]:
        """The cards (for_cards()) of rows [start:stop] of this filtered, ordered QuerySet: 2 queries.

        The window of ids is chosen on the products alone, and only those rows are then joined to
        their places and read with their cover: for_cards() on a filtered QuerySet would join every
        matching product and compute every cover before sorting (a category of 1,000 products:
        12 ms on SQLite, against 6 ms).
        """
        return cards_of(list(self.values_list("pk", flat=True)[start:stop]))

    # --- Back office: the support pipeline and certificates (issue 5) -------------------------

    def with_pipeline_progress(self) -> ProductQuerySet:
        """Annotate `stages_done`, `stages_applicable`, `next_stage_kind` and `next_stage_target`
        with correlated subqueries, so a list of products costs one query whatever its length."""

        def count(queryset: models.QuerySet) -> models.Subquery:
            return models.Subquery(
                queryset.filter(product=models.OuterRef("pk"))
                .order_by()
                .values("product")
                .annotate(n=models.Count("pk"))
                .values("n"),
                output_field=models.IntegerField(),
            )

        next_due = Stage.objects.filter(product=models.OuterRef("pk")).next_due()
        return self.annotate(
            stages_done=Coalesce(count(Stage.objects.filter(status=StageStatus.DONE)), models.Value(0)),
            stages_applicable=Coalesce(count(Stage.objects.applicable()), models.Value(0)),
            next_stage_kind=models.Subquery(next_due.values("kind")[:1]),
            next_stage_target=models.Subquery(next_due.values("target_date")[:1]),
        )

    def with_public_certificates(self) -> ProductQuerySet:
        """Prefetch the certificates a shopper may see (verified, unexpired) into
        `product.public_certificates`: one extra query for the whole page, none per product."""
        return self.prefetch_related(
            models.Prefetch(
                "certificates",
                queryset=Certificate.objects.public().order_by("kind", "pk"),
                to_attr="public_certificates",
            )
        )

    def certified(self, family: str) -> ProductQuerySet:
        """Products holding a public (verified, unexpired) certificate of a family: `halal`, `bpom`
        (MD or ML) or `pirt`. An unknown family raises KeyError; the filter form offers only these."""
        return self.filter(
            models.Exists(
                Certificate.objects.public().of_family(family).filter(product=models.OuterRef("pk"))
            )
        )

    def with_stars(self) -> ProductQuerySet:
        """Annotate `current_stars`: the stars of the latest curation still valid (None without one)."""
        curation = self.model.curations.field.model  # models/curation.py points here: no import back
        latest = curation.objects.latest_valid_for(models.OuterRef("pk"))
        return self.annotate(current_stars=models.Subquery(latest.values("stars")))

    def with_min_stars(self, stars: int) -> ProductQuerySet:
        """Products whose valid "Bintang OVOP NTT" curation gives at least `stars` stars."""
        return self.with_stars().filter(current_stars__gte=stars)


def _card_rows(ids: list[int], today: datetime.date) -> ProductQuerySet:
    return Product.objects.for_cards(today).filter(pk__in=ids)


def _public_certificates_of(ids: list[int], today: datetime.date) -> models.QuerySet:
    return Certificate.objects.public(today).filter(product_id__in=ids).order_by("kind", "pk")


def _images_of(ids: list[int]) -> models.QuerySet:
    return ProductImage.objects.filter(product_id__in=ids).order_by("order", "pk")


def _nearby_cards(values: list, count: int, today: datetime.date) -> ProductQuerySet:
    regency_code, product_id = values
    return (
        Product.objects.for_cards(today)
        .published()
        .in_regency(regency_code)
        .exclude(pk=product_id)
        .order_by("-is_featured", "name")[:count]
    )


def _producer_cards(values: list, today: datetime.date) -> ProductQuerySet:
    return Product.objects.for_cards(today).published().filter(producer_id=values[0]).order_by("name")


def cards_of_producer(producer_id: int) -> list[Product]:
    """The cards of a producer's published products by name (its page): one query, whose SQL is
    compiled once per day (catalogue/compiled.py). Built and compiled by Django on every request,
    it took more time than the rest of the page's work (a producer of three products: 4.2 ms)."""
    return compiled.rows(_producer_cards, [producer_id], timezone.localdate())


def cards_of(ids: Sequence[int]) -> list[Product]:
    """The cards (for_cards()) of these products, in the order of `ids`; unpublished or deleted
    ones are left out by the caller's own filter, missing ones here. One query, whose SQL is
    compiled once per count of ids and day (catalogue/compiled.py): Django's compilation of it cost
    seven times the database's work."""
    found = {card.pk: card for card in compiled.rows(_card_rows, ids, timezone.localdate())}
    return [found[pk] for pk in ids if pk in found]


class Product(models.Model):
    name = models.CharField(_("nama produk"), max_length=140)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("produsen")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="products", verbose_name=_("kategori")
    )
    short_description = models.CharField(_("deskripsi singkat"), max_length=200)
    story = models.TextField(_("kisah produk"), blank=True)
    # English text, shown on /en/ where filled in (else the Indonesian, marked lang="id"): README.
    name_en = models.CharField(_("nama produk (Inggris)"), max_length=140, blank=True)
    short_description_en = models.CharField(_("deskripsi singkat (Inggris)"), max_length=200, blank=True)
    story_en = models.TextField(_("kisah produk (Inggris)"), blank=True)
    unit_en = models.CharField(_("satuan (Inggris)"), max_length=60, blank=True)
    price = models.PositiveIntegerField(
        _("harga (Rp)"),
        validators=[MinValueValidator(1)],
        help_text=_("Rupiah utuh, tanpa sen."),
    )
    unit = models.CharField(_("satuan"), max_length=60, help_text=_("Contoh: botol 250 ml, kg, lembar."))
    net_content = models.CharField(_("berat/isi bersih"), max_length=60, blank=True)
    stock = models.IntegerField(_("stok"), default=0, validators=[MinValueValidator(0)])
    max_per_order = models.PositiveSmallIntegerField(
        _("maks. per pesanan"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Jumlah terbanyak dalam satu pesanan, agar satu pembeli tidak menahan seluruh stok."),
    )
    lead_days = models.PositiveSmallIntegerField(
        _("lama proses (hari)"), default=0, help_text=_("Hari yang dibutuhkan untuk menyiapkan pesanan.")
    )
    paused_until = models.DateField(
        _("libur sampai"),
        null=True,
        blank=True,
        help_text=_("Selama libur produk tidak bisa dimasukkan ke keranjang; kosongkan untuk buka lagi."),
    )
    gtin = models.CharField(
        _("GTIN-13 (barcode)"),
        max_length=13,
        blank=True,
        validators=[identifiers.validate_gtin13],
    )
    # Its producer's regency (Producer.regency), kept for the listings by regency: a product page's
    # neighbours, a regency page, the catalogue's regency filter. Set by save() and by the producer's.
    regency = kept_regency()
    is_published = models.BooleanField(_("tayang"), default=False, db_index=True)
    is_featured = models.BooleanField(_("unggulan"), default=False)
    cohort_year = models.PositiveSmallIntegerField(_("angkatan OVOP (tahun)"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    # The four texts a search reads on the product itself, in one column the database keeps, with
    # no apostrophes (the query is folded without them): SQLite's search compares one LIKE per term
    # with it, instead of one per term and column with REPLACE on each (catalogue/search/sql.py).
    # No index: SQLite 3.40 does not count an index holding a generated column as covering, so a
    # search would still read every row.
    # PostgreSQL searches its full-text index and does not read this column; there, a column that a
    # generated column reads cannot change type, so a migration that changes one of these four
    # fields' max_length must remove this field first and add it back after.
    search_text = StoredGeneratedField(
        expression=Replace(
            Concat(
                "name",
                Value(" "),
                "name_en",
                Value(" "),
                "short_description",
                Value(" "),
                "short_description_en",
                output_field=models.TextField(),
            ),
            Value("'"),
            Value(""),
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
    )

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gte=1), name="product_price_positive"),
            models.CheckConstraint(condition=Q(max_per_order__gte=1), name="product_max_per_order_positive"),
        ]
        indexes = [
            models.Index(fields=["is_published", "-created_at"], name="product_pub_recent"),
            # A category's page: its count and its newest 24 read from the index alone (on SQLite the
            # category's foreign-key index made both read every row of the category: 2.8 ms, 0.2 now).
            models.Index(fields=["category", "is_published", "-created_at"], name="product_category_recent"),
            # A regency's published products in the order its page and a product page's neighbours
            # show them, featured first: the first few and their count read from the index alone.
            models.Index(
                fields=["regency", "is_published", "-is_featured", "name"], name="product_regency_listing"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:160]
        fields = kwargs.get("update_fields")
        if self.producer_id and (fields is None or "producer" in fields):
            # Where its producer is (a save of other fields leaves it: the producer's save keeps it).
            regency = codes.regency_of(self.producer.village_id)
            if regency != self.regency_id:
                self.regency_id = regency
                if fields is not None:
                    kwargs["update_fields"] = {*fields, "regency"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalogue:product", kwargs={"slug": self.slug})

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    @property
    def order_limit(self) -> int:
        """The most one order can take now: the stock, capped by ``max_per_order``."""
        return max(min(self.stock, self.max_per_order), 0)

    @property
    def is_paused(self) -> bool:
        """On a producer's holiday (until and including ``paused_until``, WITA)."""
        return self.is_paused_on(timezone.localdate())

    def is_paused_on(self, day: datetime.date) -> bool:
        """On a producer's holiday on `day` (a grid of cards asks with today looked up once)."""
        return self.paused_until is not None and self.paused_until >= day

    @property
    def village(self) -> Village:
        return self.producer.village

    @property
    def certificate_badges(self) -> list[tuple[str, str]]:
        """(family, label) of each public certificate, by kind, for a card's badges: from the kinds
        that for_cards() reads (no query), else from public_certificates."""
        if "certificate_kinds" in self.__dict__:
            kinds = sorted(self.certificate_kinds.split(",")) if self.certificate_kinds else []
        else:
            kinds = [certificate.kind for certificate in self.public_certificates]
        return CertificateKind.badges(kinds)

    @cached_property
    def public_certificates(self) -> list:
        """Verified, unexpired certificates, by kind. Filled without a query by
        `Product.objects.with_public_certificates()`; else one query here (compiled once)."""
        if not self.pk:
            return []
        return compiled.rows(_public_certificates_of, [self.pk], timezone.localdate())

    def gallery(self) -> list[ProductImage]:
        """The product's images in their order, each knowing its product (the alt text's fallback):
        one query, compiled once (the product page)."""
        images = compiled.rows(_images_of, [self.pk]) if self.pk else []
        for image in images:
            image.product = self
        return images

    def nearby(self, count: int = 4) -> list[Product]:
        """The cards of other published products of the same regency, featured first, then by name
        (the product page's "more from this place"): one query, compiled once. Unlike a filtered
        page of cards (cards()), the regency's index (Meta: product_regency_listing) gives the
        order, so only the `count` rows shown are joined to their places and read with their
        covers (0.14 to 0.09 ms on SQLite, 0.5 to 0.3 ms on PostgreSQL, against ids then cards)."""
        return compiled.rows(_nearby_cards, [self.regency_id, self.pk], count, timezone.localdate())

    @cached_property
    def current_curation(self):
        """The latest "Bintang OVOP NTT" curation still valid, or None (one query, compiled once)."""
        curation = self.curations.model  # models/curation.py points here: no import back
        found = compiled.rows(curation.latest_valid_of, [self.pk], timezone.localdate()) if self.pk else []
        return found[0] if found else None

    @property
    def pipeline_progress(self) -> str:
        """`9/14 selesai`, from the annotations of `with_pipeline_progress()` when present."""
        done = getattr(self, "stages_done", None)
        applicable = getattr(self, "stages_applicable", None)
        if done is None or applicable is None:
            statuses = [stage.status for stage in self.stages.all()]
            done = statuses.count(StageStatus.DONE)
            applicable = len(statuses) - statuses.count(StageStatus.NOT_APPLICABLE)
        return _("%(done)d/%(total)d selesai") % {"done": done, "total": applicable}

    @property
    def gtin_outside_gs1_indonesia(self) -> bool:
        """A GTIN is allowed from any GS1 country, but PMD wants to see the ones without prefix 899."""
        return bool(self.gtin) and not identifiers.is_gs1_indonesia(self.gtin)

    @property
    def cover(self) -> ProductImage | Cover | None:
        """The first image: from `with_cover_fields()` when the QuerySet asked for it (no query, and
        a Cover rather than a ProductImage), else from the (prefetched) images."""
        if "cover_name" in self.__dict__:
            if not self.cover_name:
                return None
            field = ProductImage._meta.get_field("image")
            return Cover(field.attr_class(None, field, self.cover_name), self.cover_alt or "", self)
        images_ = list(self.images.all())
        return images_[0] if images_ else None
