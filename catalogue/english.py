"""English text of the catalogue, with the Indonesian as the fallback.

Products (name, short description, story, unit), categories (name, description) and producers (story)
carry plain `<field>_en` columns beside the Indonesian ones (README: why not django-modeltranslation). On an
English page a field shows its English text when an officer filled it in, else the Indonesian text,
which templates then mark `lang="id"` so screen readers pronounce it right.

    text(product, "name")            → "Bajawa Arabica Coffee" on /en/, "Kopi Arabika Bajawa" elsewhere
    text_and_language(product, "story") → ("…", "id") when the English story is empty on /en/
"""

from __future__ import annotations

from django.utils.translation import get_language

ENGLISH = "en"


def wants_english() -> bool:
    return (get_language() or "").split("-")[0] == ENGLISH


def english_page(in_english: bool | None) -> bool:
    """`in_english` as a caller passed it, else wants_english()."""
    return wants_english() if in_english is None else in_english


def text_and_language(obj: object, field: str, *, in_english: bool | None = None) -> tuple[str, str]:
    """The field's text for the active language, and "id" when an English page falls back to the
    Indonesian text ("" otherwise: the page's own language). `in_english`: wants_english(), when the
    caller already knows it (a page of cards asks a hundred times; the active language is a
    context-local read each time)."""
    indonesian = getattr(obj, field, "") or ""
    if not english_page(in_english):
        return indonesian, ""
    english = getattr(obj, f"{field}_en", "") or ""
    return (english, "") if english else (indonesian, "id" if indonesian else "")


def text(obj: object, field: str, *, in_english: bool | None = None) -> str:
    return text_and_language(obj, field, in_english=in_english)[0]
