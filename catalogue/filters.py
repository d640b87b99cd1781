"""The catalogue's filter form: a plain GET form that also drives the htmx results swap.

Each filter is two things, so adding one is a few lines:

1. a form field named like its query parameter (a choice field, FixedChoiceField, is rendered as a
   <select> by `templates/catalogue/product_list.html`, in declaration order), with an
   `invalid_choice` message;
2. a method `filter_<parameter>(products, value)` returning the narrowed QuerySet.

For example, a certificate filter::

    sertifikat = FixedChoiceField(
        label=_("Sertifikat"), required=False,
        choices=[("", _("Semua")), ("halal", _("Halal")), ("bpom", _("BPOM")), ("pirt", _("P-IRT"))],
        error_messages={"invalid_choice": _("Sertifikat “%(value)s” tidak dikenal; filter ini diabaikan.")},
    )

    def filter_sertifikat(self, products, value):
        return products.certified(value)

A value that does not validate (unknown slug, unknown sort) never raises: that filter is ignored
and its message is shown above the results (`notices`), so a stale shared link still gives a page.
"""

from __future__ import annotations

import copy
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue import compiled, english, search
from catalogue.models import Category, Product
from catalogue.models.products import ProductQuerySet, cards_of
from villages.models import Regency

PAGE_SIZE = 24


def requested_page(number: str | None) -> int:
    """The page number asked for, read as Paginator.get_page() reads it before it knows the count:
    a page that is not a whole number is the first; below 1 (the last, for get_page()) it is
    guessed as the first, and get_page() then decides."""
    try:
        return max(int(number), 1)
    except (TypeError, ValueError):
        return 1


class Sort(models.TextChoices):
    NEWEST = "terbaru", _("Terbaru")
    PRICE_UP = "harga-naik", _("Harga terendah")
    PRICE_DOWN = "harga-turun", _("Harga tertinggi")
    NAME = "nama", _("Nama (A–Z)")


ORDERINGS: dict[str, tuple[str, ...]] = {
    Sort.NEWEST: ("-created_at", "-pk"),
    Sort.PRICE_UP: ("price", "name", "pk"),
    Sort.PRICE_DOWN: ("-price", "name", "pk"),
    Sort.NAME: ("name", "pk"),
}


def offered_categories(_ids: list[int]) -> models.QuerySet[Category]:
    # The descriptions too: the chosen category's shows with the results (a deferred field would
    # cost a query of its own, for a few lines of text each).
    return Category.objects.only("pk", "name", "name_en", "slug", "description", "description_en")


def offered_regencies(_ids: list[int]) -> models.QuerySet[Regency]:
    return Regency.objects.of_ntt().only("code", "name", "slug").order_by("name")


class FixedChoiceField(forms.ChoiceField):
    """A ChoiceField whose choices are set once, in the class, and never changed in place: a form
    makes a deep copy of its fields for each instance, and copying these choices (and the widget's)
    was half of building the catalogue's filter form, on every page of the catalogue. A form that
    sets new choices assigns a new list, as Django's ChoiceField does, and the class's stay shared."""

    def __deepcopy__(self, memo):
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result


class CatalogueFilter(forms.Form):
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        strip=True,
        error_messages={"null_characters_not_allowed": _("Kata pencarian berisi karakter yang tidak sah.")},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Nama produk, UMKM, desa atau kabupaten"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )
    kategori = FixedChoiceField(
        label=_("Kategori"),
        required=False,
        error_messages={
            "invalid_choice": _("Kategori “%(value)s” tidak dikenal; filter kategori diabaikan.")
        },
    )
    kabupaten = FixedChoiceField(
        label=_("Kabupaten/kota"),
        required=False,
        error_messages={
            "invalid_choice": _("Kabupaten/kota “%(value)s” tidak dikenal; filter wilayah diabaikan.")
        },
    )
    sertifikat = FixedChoiceField(
        label=_("Sertifikat"),
        required=False,
        choices=[("", _("Semua")), ("halal", _("Halal")), ("bpom", _("BPOM")), ("pirt", _("P-IRT"))],
        error_messages={"invalid_choice": _("Sertifikat “%(value)s” tidak dikenal; filter ini diabaikan.")},
    )
    bintang = FixedChoiceField(
        label=_("Bintang OVOP"),
        required=False,
        choices=[
            ("", _("Semua")),
            ("2", _("★2 ke atas")),
            ("3", _("★3 ke atas")),
            ("4", _("★4 ke atas")),
            ("5", _("★5")),
        ],
        error_messages={"invalid_choice": _("Bintang “%(value)s” tidak dikenal; filter ini diabaikan.")},
    )
    urut = FixedChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=Sort.choices,
        error_messages={"invalid_choice": _("Urutan “%(value)s” tidak dikenal; produk diurutkan terbaru.")},
    )

    def __init__(self, data: QueryDict, *, categories: list[Category], regencies: list[Regency]) -> None:
        super().__init__(data)
        self.vocabulary: tuple[str, ...] | None = None  # the search's, for close spellings (page())
        self.categories = {category.slug: category for category in categories}
        self.regencies = {regency.slug: regency for regency in regencies}
        in_english = english.wants_english()  # looked up once, not once a category
        self.fields["kategori"].choices = [
            ("", _("Semua kategori")),
            *((c.slug, english.text(c, "name", in_english=in_english)) for c in categories),
        ]
        self.fields["kabupaten"].choices = [
            ("", _("Semua kabupaten/kota")),
            *((r.slug, r.name) for r in regencies),
        ]

    @classmethod
    def from_query(cls, data: QueryDict) -> CatalogueFilter:
        """Two queries: the categories and the 22 regencies offered in the form (their SQL made once
        per process: catalogue/compiled.py)."""
        return cls(
            data, categories=compiled.rows(offered_categories), regencies=compiled.rows(offered_regencies)
        )

    # --- the filters: one method per parameter --------------------------------------------------

    def filter_q(self, products: ProductQuerySet, value: str) -> ProductQuerySet:
        return search.search(products, value, vocabulary_=self.vocabulary)

    def filter_kategori(self, products: ProductQuerySet, value: str) -> ProductQuerySet:
        return products.in_category(self.categories[value])

    def filter_kabupaten(self, products: ProductQuerySet, value: str) -> ProductQuerySet:
        return products.in_regency(self.regencies[value])

    def filter_sertifikat(self, products: ProductQuerySet, value: str) -> ProductQuerySet:
        """Only verified, unexpired certificates count (issue 5: Product.objects.certified)."""
        return products.certified(value)

    def filter_bintang(self, products: ProductQuerySet, value: str) -> ProductQuerySet:
        """At least this many stars from a valid curation (catalogue/models/curation.py)."""
        return products.with_min_stars(int(value))

    # --- applying them --------------------------------------------------------------------------

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"][: search.MAX_QUERY_LENGTH].split())

    @cached_property
    def values(self) -> dict[str, str]:
        """The valid, non-empty values, in field order (invalid ones are left out). Kept: a form's
        data does not change, and a page asks for them a dozen times."""
        self.is_valid()
        return {name: value for name in self.fields if (value := self.cleaned_data.get(name))}

    @property
    def sort(self) -> str:
        return self.values.get("urut") or Sort.NEWEST

    def apply(self, products: ProductQuerySet) -> ProductQuerySet:
        for name, value in self.values.items():
            method = getattr(self, f"filter_{name}", None)
            if method is not None:
                products = method(products, value)
        if self.values.get("q") and not self.values.get("urut"):
            # A search without a chosen order: the best matches first (name, category, then place).
            return products.order_by("-search_rank", "name", "pk")
        return products.order_by(*ORDERINGS[self.sort])

    @property
    def suggestions(self) -> list[dict[str, str]]:
        """For a search that found nothing: "Mungkin maksud Anda: …", each with its address."""
        query = self.values.get("q", "")
        return [
            {"q": offer, "query": self.query_string(q=offer)}
            for offer in (search.suggestions(query) if query else [])
        ]

    def products(self) -> ProductQuerySet:
        return self.apply(Product.objects.published())

    def page(self, number: str | None) -> Page:
        """One page of results; `page=abc` gives the first page, `page=9999` the last.

        A search asks the database once for the ordered ids of every match (a search matches few
        products, and scanning the texts twice, for the count and for the page, would double the
        cost), then loads the cards of this page's ids.
        """
        if not self.values.get("q"):
            # The ids of the page asked for, each with the count of every product found (one query,
            # not two: a round trip is a tenth of a millisecond on PostgreSQL), then their cards in
            # one query. A first page without ids means that nothing matched: no count needed (a
            # filter that finds nothing, `bintang=3` when no product has stars, counted every
            # product twice: 2.4 ms each on SQLite, 10,000 products). A later page without ids is
            # past the end: counted apart, and the page Paginator settles on is asked for.
            asked = requested_page(number)
            rows = self.counted_page_ids((asked - 1) * PAGE_SIZE)
            found = rows[0][1] if rows else 0 if asked == 1 else self.count()
            page = Paginator(range(found), PAGE_SIZE).get_page(number)
            if page.number == asked:
                ids = [pk for pk, _count in rows]
            else:
                ids = self.page_ids((page.number - 1) * PAGE_SIZE)
            page.object_list = cards_of(ids) if page.paginator.count else []
            return page
        # Typos in the same pass when the search's vocabulary is cached (catalogue/search/); else as
        # typed, and with close spellings only when that found nothing.
        self.vocabulary = search.vocabulary(at_hand=True)
        ids = self.matching_ids()
        if not ids and self.vocabulary is None:
            self.vocabulary = search.vocabulary()
            ids = self.matching_ids()
        page = Paginator(ids, PAGE_SIZE).get_page(number)
        page.object_list = cards_of(page.object_list)
        return page

    # The SQL of the ids is compiled once per state (catalogue/compiled.py): building and compiling
    # a search's QuerySet cost more Python than the database's work. Only the SQL is kept.

    def count(self) -> int:
        """How many products the filters find (no search)."""
        return compiled.keyed_count(("catalogue-count", self.statement_key()), self.products)

    def counted_page_ids(self, first: int) -> list[tuple[int, int]]:
        """(id, how many products the filters find) of the page starting at row `first` (no search):
        the count is a subquery the database runs once."""
        key = ("catalogue-counted-page", self.statement_key(), first)
        return compiled.keyed_values(key, lambda: self.counted_ids()[first : first + PAGE_SIZE])

    def page_ids(self, first: int) -> list[int]:
        """The ids of the page starting at row `first` (no search)."""
        key = ("catalogue-page", self.statement_key(), first)
        return [pk for (pk,) in compiled.keyed_values(key, lambda: self.ids()[first : first + PAGE_SIZE])]

    def matching_ids(self) -> list[int]:
        """The ids of every product the search finds, best first."""
        plan = search.plan(self.values["q"], self.vocabulary, postgresql=connection.vendor == "postgresql")
        key = ("catalogue-search", self.statement_key(), plan)
        return [pk for (pk,) in compiled.keyed_values(key, self.ids)]

    def ids(self) -> models.QuerySet:
        return self.products().values_list("pk")

    def counted_ids(self) -> models.QuerySet:
        """ids(), each with the count of them all (one COUNT subquery, run once)."""
        return self.products().values_list("pk", models.Subquery(compiled.counted(self.products())))

    def statement_key(self) -> tuple:
        """Everything but the search words that the SQL depends on: the filter values, with the
        chosen category and regency by their keys (a slug may move to another), and the day
        (certificates and curations count until a date)."""
        keys = {
            "kategori": lambda slug: self.categories[slug].pk,
            "kabupaten": lambda slug: self.regencies[slug].code,
        }
        values = tuple(
            (name, keys[name](value) if name in keys else value)
            for name, value in self.values.items()
            if name != "q"
        )
        return (connection.vendor, values, timezone.localdate())

    @property
    def notices(self) -> list[str]:
        """Why a filter was ignored, in the shopper's language."""
        return [str(message) for errors in self.errors.values() for message in errors]

    @property
    def is_filtered(self) -> bool:
        return any(name != "urut" for name in self.values)

    def query_string(self, *, leave_out: str = "", **extra: object) -> str:
        """The canonical query string of this state (valid values only), e.g. for the pushed URL;
        without the filter named `leave_out` (a chip's link)."""
        params = {
            name: value
            for name, value in self.values.items()
            if name != leave_out and self.initial_value(name) != value
        }
        params.update({key: value for key, value in extra.items() if value})
        return f"?{urlencode(params)}" if params else ""

    def initial_value(self, name: str) -> str:
        """What a field means when it is left out of the address: the default sort, else nothing."""
        return Sort.NEWEST if name == "urut" else ""

    @property
    def chips(self) -> list[dict[str, str]]:
        """The active filters as removable chips: what each shows, and the address without it."""
        labels = {
            "q": lambda value: f"“{value}”",
            "kategori": lambda value: english.text(self.categories[value], "name"),
            "kabupaten": lambda value: self.regencies[value].name,
            "sertifikat": lambda value: str(dict(self.fields["sertifikat"].choices)[value]),
        }
        return [
            {
                "name": name,
                "label": labels[name](value),
                "query": self.query_string(leave_out=name),
            }
            for name, value in self.values.items()
            if name in labels
        ]

    @property
    def select_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, field in self.fields.items() if isinstance(field, forms.ChoiceField)]

    @property
    def category(self) -> Category | None:
        return self.categories.get(self.values.get("kategori", ""))

    @property
    def regency(self) -> Regency | None:
        return self.regencies.get(self.values.get("kabupaten", ""))
