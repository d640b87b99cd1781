"""The vocabulary of the search: every word of the published catalogue's names, kept per version.

Every folded word (3+ letters) of the published products' Indonesian and English names, their
categories, producers, villages and regencies: read in one query, kept per catalogue version
(catalogue/caching.py) in the shared cache and in the process. A search looks its words up here
before any SQL (text.terms): a word found in no name also stands for the names' words within two
edits of it.
"""

from __future__ import annotations

import secrets
import time

from django.core.cache import cache

from catalogue import caching
from catalogue.models import Product
from catalogue.search.text import MIN_WORD, fold

STAMP_KEY = "search:vocabulary"  # (catalogue version, built at, build id): small, read per search
WORDS_KEY = "search:vocabulary:words"  # + ":<build id>": the words themselves
#: With the fragment cache on (production), a vocabulary up to this old serves a newer catalogue
#: version: a cold page after every officer's edit must not re-read 10,000 names. It only widens
#: typos; exact words always search the database itself.
VOCABULARY_MAX_AGE = 60

_memo: dict[str, tuple[str, ...]] = {}  # build id → words, this process's copy


def vocabulary(*, at_hand: bool = False) -> tuple[str, ...] | None:
    """Every folded word (3+ letters) of the published catalogue's names, places and categories:
    this process's copy of the shared build, else the shared cache's, else read from the database
    (one query) and shared. `at_hand=True`: None rather than a query (see search.search)."""
    version = caching.current_version()
    stamp = cache.get(STAMP_KEY)
    if stamp is not None and usable(stamp, version):
        build = stamp[2]
        words_ = _memo.get(build) or cache.get(f"{WORDS_KEY}:{build}")
        if words_ is not None:
            _memo.clear()
            _memo[build] = words_
            return words_
    if at_hand:
        return None
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
