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


def text_and_language(obj: object, field: str) -> tuple[str, str]:
    """The field's text for the active language, and "id" when an English page falls back to the
    Indonesian text ("" otherwise: the page's own language)."""
    indonesian = getattr(obj, field, "") or ""
    if not wants_english():
        return indonesian, ""
    english = getattr(obj, f"{field}_en", "") or ""
    return (english, "") if english else (indonesian, "id" if indonesian else "")


def text(obj: object, field: str) -> str:
    return text_and_language(obj, field)[0]
