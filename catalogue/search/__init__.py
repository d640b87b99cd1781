"""Catalogue search that forgives: typos, English words, accents and apostrophes.

The shopper's query is folded in Python (accents and apostrophes removed, lower case) and split into
words (search/text.py). Each word then stands for a few *terms*, decided before any SQL:

- itself;
- its Indonesian meaning when it is an English word of this catalogue (`coffee` → `kopi`,
  `seaweed` → `rumput laut`, `palm` → `aren`, `lontar`…: text.ENGLISH);
- when it is not an English word and is found in no word of the vocabulary (search/wordlist.py:
  every word of the published products' names, categories, producers, villages and regencies, kept
  per catalogue version), the vocabulary's words within two edits of it (one for words of 3-4
  letters; a swap of two letters counts as one edit): `kopii` → `kopi`, `mdu` → `madu`,
  `tenunn` → `tenun`, matched with rapidfuzz (C, a few milliseconds for thousands of words).

Resolving typos against the vocabulary first keeps a search to one pass over the products, typos
included, on both engines. A product matches when every word has a term in its name, English name,
description, category, producer, village or regency:

- SQLite (search/sql.py): `icontains` (LIKE) everywhere: on the product, over the one column that
  holds its four texts without apostrophes (Product.search_text); elsewhere apostrophes removed
  with REPLACE;
- PostgreSQL (search/postgres.py): full-text search (GIN index, 'simple' configuration, prefix
  terms) over the product's names and descriptions; LIKE as `icontains` writes it on the category
  and place tables, answered by pg_trgm GIN indexes (migration 0014_s2_search_indexes); its SQL
  written out as text, cheaper to build than nested QuerySets.

Results are ranked the same way on both: a match in the product's name first, then in its category,
then the rest (place, producer, description). When nothing matches, :func:`suggestions` offers the
closest words of the vocabulary ("Mungkin maksud Anda: …"), and on PostgreSQL trigram-similar
product names.
"""

from __future__ import annotations

from django.db import connection, connections
from django.db.models import QuerySet
from rapidfuzz import process
from rapidfuzz.distance import OSA

from catalogue.search import postgres, sql
from catalogue.search.text import (
    ENGLISH,
    MAX_QUERY_LENGTH,
    MAX_WORDS,
    close_words,
    english,
    fold,
    known,
    terms,
    words,
)
from catalogue.search.wordlist import vocabulary

__all__ = [
    "ENGLISH",
    "MAX_QUERY_LENGTH",
    "MAX_WORDS",
    "close_words",
    "english",
    "fold",
    "plan",
    "search",
    "suggestions",
    "terms",
    "vocabulary",
    "words",
]


def on_postgres(products: QuerySet) -> bool:
    return connections[products.db].vendor == "postgresql"


def search(products: QuerySet, query: str, *, vocabulary_: tuple[str, ...] | None = None) -> QuerySet:
    """The products matching every word of the query (as typed, by its English meaning or, given
    the vocabulary, for a word found in no name, by a close spelling), annotated with `search_rank`
    (3: in the name, 2: in the category, 1: elsewhere) for ordering.

    The catalogue (filters.page) passes the vocabulary at once when it is at hand (this process's
    or the shared cache's copy: nearly always), so a typo costs one pass over the products; when it
    is not (the first search after an edit), an ordinary search is not made to wait for reading it:
    it runs as typed, and again with the vocabulary only if that found nothing."""
    postgresql = on_postgres(products)
    per_word, places = plan(query, vocabulary_, postgresql=postgresql)
    if not per_word:
        return products
    dialect = postgres.PostgresSearch(products.db) if postgresql else sql.LikeSearch()
    return dialect.matching(products, [list(t) for t in per_word], [list(t) for t in places])


def plan(
    query: str, vocabulary_: tuple[str, ...] | None, *, postgresql: bool
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    """What a search asks for, and all its SQL depends on: each word's terms, and each word's terms
    for the place tables. English meanings name products and categories, not places: the place
    tables (thousands of villages) are searched for the word and its close spellings only (and
    always for the word itself, also when it is its own meaning: `tuna`)."""
    query_words = words(query)
    per_word = tuple(tuple(terms(word, vocabulary_, whole_words=postgresql)) for word in query_words)
    places = tuple(
        tuple(term for term in word_terms if term == word or term not in english(word)) or (word,)
        for word, word_terms in zip(query_words, per_word, strict=True)
    )
    return per_word, places


def suggestions(query: str) -> list[str]:
    """For a search that found nothing: the query with each unknown word replaced by the closest
    word of the vocabulary (three edits at most), as whole queries to offer as links."""
    vocabulary_ = vocabulary()
    corrected, changed = [], False
    for word in words(query):
        if known(word, vocabulary_) or english(word):
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
        offers += postgres.trigram_names(query)
    return list(dict.fromkeys(offers))[:3]
