"""Catalogue search that forgives: typos, English words, accents and apostrophes.

The shopper's query is folded in Python (accents and apostrophes removed, lower case) and split into
words. Each word then stands for a few *terms*:

- itself;
- its Indonesian meaning when it is an English word of this catalogue (`coffee` → `kopi`,
  `seaweed` → `rumput laut`, `palm` → `aren`, `lontar`…: ENGLISH below);
- when the search as typed found nothing (the catalogue then asks again with `widen=True`) and the
  word is found in no name of the catalogue, the names' words within two edits of it (one for
  words of 3-4 letters; a swap of two letters counts as one edit): `kopii` → `kopi`, `mdu` → `madu`,
  `tenunn` → `tenun`. The vocabulary is every word of the published products' names (Indonesian and
  English), their categories, producers, villages and regencies: read in one query, kept per
  catalogue version (catalogue/caching.py) in the shared cache and in the process, and matched with
  rapidfuzz (C, a few milliseconds for thousands of words).

A product matches when every word has a term in its name, English name, description, category,
producer, village or regency (`icontains`: LIKE on SQLite, UPPER(...) LIKE UPPER(...) on
PostgreSQL, apostrophes removed with REPLACE: `sei` finds `Se'i`). Results are ranked: a match in the
product's name first, then in its category, then the rest (place, producer, description).

When nothing matches, :func:`suggestions` offers the closest words of the vocabulary ("Mungkin maksud
Anda: …"). The migration 0008_s enables pg_trgm on PostgreSQL, where :func:`suggestions` asks the
database for trigram-similar product names too.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from functools import reduce
from operator import and_, or_

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace
from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalogue import caching
from catalogue.models import Category, Producer, Product
from villages.models import Regency, Village

MAX_WORDS = 6  # bounds the size of the SQL a single query can produce
MAX_QUERY_LENGTH = 100
MAX_FUZZY_TERMS = 4  # per word
APOSTROPHES = "'’‘`´ʼ"
MIN_WORD = 3

#: English words of this catalogue → what they are called in Indonesian product names.
ENGLISH: dict[str, tuple[str, ...]] = {
    "coffee": ("kopi",),
    "arabica": ("arabika",),
    "cocoa": ("kakao", "cokelat"),
    "cacao": ("kakao", "cokelat"),
    "chocolate": ("cokelat",),
    "honey": ("madu",),
    "forest": ("hutan",),
    "weaving": ("tenun",),
    "weave": ("tenun",),
    "woven": ("tenun",),
    "cloth": ("kain", "tenun", "sarung", "selendang"),
    "textile": ("tenun", "kain"),
    "sarong": ("sarung",),
    "scarf": ("selendang",),
    "shawl": ("selendang",),
    "palm": ("aren", "lontar", "gula"),
    "sugar": ("gula",),
    "moringa": ("kelor",),
    "candlenut": ("kemiri",),
    "cashew": ("mete",),
    "seaweed": ("rumput laut",),
    "salt": ("garam",),
    "rice": ("beras",),
    "corn": ("jagung",),
    "maize": ("jagung",),
    "vanilla": ("vanili",),
    "coconut": ("kelapa",),
    "oil": ("minyak",),
    "fish": ("ikan",),
    "tuna": ("tuna", "tenggiri"),
    "beef": ("sapi",),
    "smoked": ("asap", "sei"),
    "tea": ("teh",),
    "canarium": ("kenari",),
    "walnut": ("kenari",),
    "almond": ("kenari",),
    "mung": ("kacang hijau",),
    "bean": ("kacang",),
    "nut": ("kacang", "kenari", "kemiri", "mete"),
    "peanut": ("kacang",),
    "powder": ("bubuk", "serbuk"),
    "spice": ("rempah", "bumbu"),
    "herb": ("herbal",),
    "red": ("merah",),
    "green": ("hijau",),
}


def fold(text: str) -> str:
    """Lower case, without accents or apostrophes: `Kópi SE’I` → `kopi sei`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for mark in APOSTROPHES:
        plain = plain.replace(mark, "")
    return plain.casefold()


def words(query: str) -> list[str]:
    """The distinct folded words of a query, at most MAX_WORDS, printable characters only."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in query[:MAX_QUERY_LENGTH])
    seen: list[str] = []
    for word in fold(cleaned).split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def english(word: str) -> tuple[str, ...]:
    """The Indonesian terms of an English word (`cashews` → `mete`), or ()."""
    for form in (word, word.removesuffix("s"), word.removesuffix("es")):
        if form in ENGLISH:
            return ENGLISH[form]
    return ()


# --- the vocabulary -------------------------------------------------------------------------------

STAMP_KEY = "search:vocabulary"  # (catalogue version, built at, build id): small, read per search
WORDS_KEY = "search:vocabulary:words"  # + ":<build id>": the words themselves
#: With the fragment cache on (production), a vocabulary up to this old serves a newer catalogue
#: version: a cold page after every officer's edit must not re-read 10,000 names. It only widens
#: typos; exact words always search the database itself.
VOCABULARY_MAX_AGE = 60

_memo: dict[str, tuple[str, ...]] = {}  # build id → words, this process's copy


def vocabulary() -> tuple[str, ...]:
    """Every folded word (3+ letters) of the published catalogue's names, places and categories:
    this process's copy of the shared build, else the shared cache's, else read from the database
    (one query) and shared."""
    version = caching.current_version()
    stamp = cache.get(STAMP_KEY)
    if stamp is not None and usable(stamp, version):
        build = stamp[2]
        words_ = _memo.get(build) or cache.get(f"{WORDS_KEY}:{build}")
        if words_ is not None:
            _memo.clear()
            _memo[build] = words_
            return words_
    words_, build = read_vocabulary(), secrets.token_hex(8)
    seconds = max(caching.seconds(), VOCABULARY_MAX_AGE)
    cache.set_many({STAMP_KEY: (version, time.time(), build), f"{WORDS_KEY}:{build}": words_}, seconds)
    _memo.clear()
    _memo[build] = words_
    return words_


def usable(stamp: tuple, version: int) -> bool:
    """Built for this catalogue version, or (fragment cache on) less than a minute ago."""
    built_for, built_at, _build = stamp
    return built_for == version or (caching.enabled() and 0 <= time.time() - built_at < VOCABULARY_MAX_AGE)


def read_vocabulary() -> tuple[str, ...]:
    rows = (
        Product.objects.published()
        .values_list(
            "name",
            "name_en",
            "category__name",
            "category__name_en",
            "producer__name",
            "producer__village__name",
            "producer__village__district__regency__name",
        )
        .distinct()
    )
    text = " ".join(" ".join(row) for row in rows)
    return tuple(sorted({word for word in fold(text).split() if len(word) >= MIN_WORD}))


def close_words(word: str, vocabulary_: tuple[str, ...], *, limit: int = MAX_FUZZY_TERMS) -> list[str]:
    """Words of the vocabulary within the edits allowed for this word's length, closest first."""
    if len(word) < MIN_WORD:
        return []
    allowed = 1 if len(word) <= 4 else 2
    matches = process.extract(word, vocabulary_, scorer=OSA.distance, score_cutoff=allowed, limit=limit)
    return [match for match, _distance, _index in sorted(matches, key=lambda m: (m[1], m[0]))]


def terms(word: str, vocabulary_: tuple[str, ...] | None = None) -> list[str]:
    """What a query word may be found as: itself, its Indonesian meaning, and, given the vocabulary
    and when the word is in none of its words, its close spellings."""
    found = [word, *english(word)]
    if vocabulary_ is not None and not any(word in known for known in vocabulary_):
        found += close_words(word, vocabulary_)
    return list(dict.fromkeys(found))


def suggestions(query: str) -> list[str]:
    """For a search that found nothing: the query with each unknown word replaced by the closest
    word of the vocabulary (three edits at most), as whole queries to offer as links."""
    vocabulary_ = vocabulary()
    corrected, changed = [], False
    for word in words(query):
        if any(word in known for known in vocabulary_) or english(word):
            corrected.append(word)
            continue
        close = process.extractOne(word, vocabulary_, scorer=OSA.distance, score_cutoff=3)
        if close is None:
            corrected.append(word)
        else:
            corrected.append(close[0])
            changed = True
    offers = [" ".join(corrected)] if changed else []
    if connection.vendor == "postgresql" and query.strip():
        offers += trigram_names(query)
    return list(dict.fromkeys(offers))[:3]


def trigram_names(query: str) -> list[str]:
    """PostgreSQL: product names most similar to the query by pg_trgm's word similarity."""
    from django.contrib.postgres.search import TrigramWordSimilarity  # needs the pg_trgm extension

    return list(
        Product.objects.published()
        .annotate(similarity=TrigramWordSimilarity(query, "name"))
        .filter(similarity__gt=0.3)
        .order_by("-similarity", "name")
        .values_list("name", flat=True)[:2]
    )


# --- the SQL ------------------------------------------------------------------------------------------


def plain(*fields: str) -> dict[str, Replace]:
    """Aliases `<field>_plain`: the column without apostrophes."""
    return {f"{field}_plain": Replace(F(field), Value("'"), Value("")) for field in fields}


def contains(field: str, term: str) -> Q:
    """`field` contains `term`, ignoring case and apostrophes (use on a QuerySet aliased by plain())."""
    return Q(**{f"{field}_plain__icontains": term})


def any_of(field: str, alternatives: list[str]) -> Q:
    return reduce(or_, (contains(field, term) for term in alternatives))


def matching_producers(alternatives: list[str]) -> QuerySet:
    """Producers whose own name, village name or regency name contains one of the terms.

    These small tables (thousands of rows, not tens of thousands) are searched once per word, and
    products are then matched on their producer: far cheaper than joining four tables for every
    product and comparing five columns per row.
    """
    regencies = Regency.objects.alias(**plain("name")).filter(any_of("name", alternatives)).values("code")
    villages = (
        Village.objects.alias(**plain("name"))
        .filter(any_of("name", alternatives) | Q(district__regency__in=regencies))
        .values("code")
    )
    return (
        Producer.objects.alias(**plain("name"))
        .filter(any_of("name", alternatives) | Q(village__in=villages))
        .values("pk")
    )


def matching_categories(alternatives: list[str]) -> QuerySet:
    return Category.objects.alias(**plain("name", "name_en")).filter(
        any_of("name", alternatives) | any_of("name_en", alternatives)
    )


PRODUCT_FIELDS = ("name", "name_en", "short_description", "short_description_en")


def search(products: QuerySet, query: str, *, widen: bool = False) -> QuerySet:
    """The products matching every word of the query (or its English meaning), annotated with
    `search_rank` (3: in the name, 2: in the category, 1: elsewhere) for ordering. `widen=True` also
    accepts close spellings of unknown words: the catalogue asks for it only when the plain search
    found nothing, so an ordinary search never reads the vocabulary."""
    query_words = words(query)
    if not query_words:
        return products
    vocabulary_ = vocabulary() if widen else None
    per_word = [terms(word, vocabulary_) for word in query_words]
    # English meanings name products and categories, not places: the place tables (thousands of
    # villages) are searched for the word and its close spellings only.
    places = [
        [term for term in t if term not in english(word)]
        for word, t in zip(query_words, per_word, strict=True)
    ]
    in_name = reduce(and_, (any_of("name", t) | any_of("name_en", t) for t in per_word))
    in_category = reduce(and_, (Q(category__in=matching_categories(t).values("pk")) for t in per_word))
    anywhere = reduce(
        and_,
        (
            reduce(or_, (any_of(field, t) for field in PRODUCT_FIELDS))
            | Q(category__in=matching_categories(t).values("pk"))
            | Q(producer__in=matching_producers(place_terms))
            for t, place_terms in zip(per_word, places, strict=True)
        ),
    )
    return (
        products.alias(**plain(*PRODUCT_FIELDS))
        .filter(anywhere)
        .annotate(
            search_rank=Case(
                When(in_name, then=Value(3)),
                When(in_category, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )
