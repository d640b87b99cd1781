"""The query side of the search: folding, words, their English meanings and close spellings.

Pure Python, no database: the same terms reach the SQL on every engine, so SQLite and PostgreSQL
find the same products for the same typo or English word.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

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


def close_words(word: str, vocabulary_: tuple[str, ...], *, limit: int = MAX_FUZZY_TERMS) -> list[str]:
    """Words of the vocabulary within the edits allowed for this word's length, closest first."""
    if len(word) < MIN_WORD:
        return []
    allowed = 1 if len(word) <= 4 else 2
    matches = process.extract(word, vocabulary_, scorer=OSA.distance, score_cutoff=allowed, limit=limit)
    return [match for match, _distance, _index in sorted(matches, key=lambda m: (m[1], m[0]))]


def known(word: str, vocabulary_: tuple[str, ...], *, whole_words: bool = False) -> bool:
    """Whether the word is found as typed: inside a word of the vocabulary (LIKE finds it anywhere),
    or, `whole_words` (PostgreSQL's full-text search, which matches words and their beginnings), at
    the beginning of one.

    Looked for in the vocabulary joined into one text, each word after a line break (a query word
    has none): one search in C instead of a Python loop over thousands of words (0.6 ms a word)."""
    text = joined(vocabulary_)
    return f"\n{word}" in text if whole_words else word in text


@lru_cache(maxsize=2)
def joined(vocabulary_: tuple[str, ...]) -> str:
    """The vocabulary as one text, each word after a line break (kept for the current and the
    previous vocabulary)."""
    return "".join(f"\n{entry}" for entry in vocabulary_)


def terms(word: str, vocabulary_: tuple[str, ...] | None = None, *, whole_words: bool = False) -> list[str]:
    """What a query word may be found as: itself, its Indonesian meaning, and, given the vocabulary,
    when the word is neither an English word of the catalogue nor found as typed, its close spellings.

    Deciding this against the vocabulary, before any SQL, keeps a search to one pass over the
    products: the close spellings are asked for together with the word itself."""
    meanings = english(word)
    found = [word, *meanings]
    if vocabulary_ is not None and not meanings and not known(word, vocabulary_, whole_words=whole_words):
        found += close_words(word, vocabulary_)
    return necessary(list(dict.fromkeys(found)), whole_words=whole_words)


def necessary(alternatives: list[str], *, whole_words: bool = False) -> list[str]:
    """The terms without those another term already finds: `kopii` goes when `kopi` is there, as
    whatever contains `kopii` contains `kopi` (with `whole_words`, PostgreSQL's prefixes: whatever
    starts with `kopii` starts with `kopi`). The same products, fewer comparisons per row."""

    def covers(shorter: str, longer: str) -> bool:
        return longer.startswith(shorter) if whole_words else shorter in longer

    return [
        term
        for term in alternatives
        if not any(other != term and covers(other, term) for other in alternatives)
    ]
