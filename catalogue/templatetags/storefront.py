"""Template helpers of the storefront: responsive product images, JSON-LD, the language switcher.

{% load storefront %}
{% product_image image "card" %}                 lazy <img> with srcset, width and height
{% product_image image "detail" eager=True %}    the first image of a product page
{% if certificate|names_its_kind %}             its label already says BPOM or P-IRT
<script type="application/ld+json" nonce="{{ csp_nonce }}">{{ data|json_ld }}</script>
{% language_links as links %}                    the current page in every language
{% csrf_slot %}                                  a form's CSRF token, also inside a cached fragment
{% product_thumb line.product.cover %}           a cart/checkout/order line's small square image
{% localized product "name" %}                   English on /en/ when filled in, else <span lang="id">
"""

from __future__ import annotations

import json
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.context import Context
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info, override

from catalogue import caching, english, escaping, thumbnails

register = template.Library()

# Like django.utils.html.json_script: nothing in the data can close the <script> element.
_JSON_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@register.filter(name="json_ld")
def json_ld(data: object) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, safe against `</script>` injection."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return mark_safe(text.translate(_JSON_ESCAPES))  # noqa: S308  (escaped above)


def _alt_and_language(image: object, fallback_alt: str, in_english: bool | None) -> tuple[str, str]:
    """An image's alt text and, on an English page, "id" when that text is Indonesian: officers write
    alt texts in Indonesian only (there is no English alt field), so screen readers are told; without
    one the product's name in the page's language stands in (catalogue/english.py)."""
    own = getattr(image, "alt_text", "") or ""
    if own:
        return own, "id" if english.english_page(in_english) else ""
    product = getattr(image, "product", None) if image is not None else None
    if product is not None:
        return english.text_and_language(product, "name", in_english=in_english)
    return fallback_alt, ""


@register.simple_tag
def product_image(
    image: object,
    size: str = "card",
    fallback_alt: str = "",
    eager: bool = False,
    *,
    in_english: bool | None = None,
) -> str:
    """An <img> of a ProductImage in a thumbnail size, or a sized placeholder when there is none.
    The alt text is the image's own (its alt text, else its product's name), else `fallback_alt`;
    an Indonesian alt text on an English page is marked lang="id"."""
    field = getattr(image, "image", None)
    made = thumbnails.thumbnails(field, size) if field else []
    text, language = _alt_and_language(image, fallback_alt, in_english)
    # Built with catalogue/escaping.py rather than format_html(): a page of cards calls this 24 times,
    # and format_html's lazy-aware escaping of eight values was a third of a card's rendering.
    lang = f' lang="{escaping.escape(language)}"' if language else ""
    # SafeString rather than mark_safe(): the same for a str, without mark_safe's check for a lazy
    # value (a page of cards asks 24 times).
    if not made:
        width, height = thumbnails.SIZES[size][0].width, thumbnails.SIZES[size][0].height
        return SafeString(  # every value escaped
            f'<span class="no-image" role="img" aria-label="{escaping.escape(text)}"{lang}'
            f' data-size="{width:d}x{height:d}"></span>'
        )
    first = made[0]
    srcset = ", ".join(f"{thumb.url} {thumb.width}w" for thumb in made)
    loading = 'fetchpriority="high" decoding="async"' if eager else 'loading="lazy" decoding="async"'
    return SafeString(  # every value escaped
        f'<img src="{escaping.escape(first.url)}" srcset="{escaping.escape(srcset)}"'
        f' sizes="{escaping.escape(thumbnails.SIZES_ATTR[size])}"'
        f' width="{first.width:d}" height="{first.height:d}" alt="{escaping.escape(text)}"{lang} {loading}>'
    )


# Labels that already name their kind: the badge shows them alone ("P-IRT P-IRT No." otherwise).
_LABELS_NAMING_THEIR_KIND = ("BPOM", "P-IRT")


@register.filter(name="names_its_kind")
def names_its_kind(certificate: object) -> bool:
    """Whether a certificate's label (`BPOM RI MD 224510107115`, `P-IRT No. 2153276010281-21`)
    already starts with its kind, so its badge need not repeat it (a Halal number does not)."""
    return str(getattr(certificate, "label", "") or "").startswith(_LABELS_NAMING_THEIR_KIND)


@register.simple_tag
def product_thumb(image: object) -> str:
    """A small square thumbnail for a line of the cart, the checkout or the order page. Decorative
    (alt=""): the product's name is written beside it."""
    field = getattr(image, "image", None)
    made = thumbnails.thumbnails(field, "thumb") if field else []
    if not made:
        return mark_safe('<span class="thumb no-image" aria-hidden="true"></span>')
    return format_html(
        '<img class="thumb" src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="" loading="lazy" '
        'decoding="async">',
        made[0].url,
        ", ".join(f"{thumb.url} {thumb.width}w" for thumb in made),
        thumbnails.SIZES_ATTR["thumb"],
        made[0].width,
        made[0].height,
    )


@register.simple_tag
def select_options(field: object) -> SafeString:
    """A bound choice field's `<option>`s, its current value selected: one call where a template
    loop cost about 10 microseconds an option (the catalogue's filter form has some fifty).

    A field that still has its form class's own choices (catalogue.filters.FixedChoiceField: the
    certificate, stars and sort filters) has them translated and written once per language and
    selected value (each label is a lazy translation: some forty microseconds a field, on every
    catalogue page); choices a form set for itself (categories, regencies) are written each time."""
    current = str(field.value() or "")
    declared = field.form.base_fields.get(field.name)
    if declared is not None and field.field.choices is declared.choices:
        return _declared_options(declared, get_language(), current)
    return _options(field.field.choices, current)


def _options(choices, current: str) -> SafeString:
    """The `<option>`s of these choices. Not escaping.join_html(): that escapes every column, and
    the " selected" column is fixed markup (join_html made the categories' and regencies' options
    twice as slow)."""
    values = [str(value) for value, _label in choices]
    labels = escaping.escape_each([label for _value, label in choices])
    return SafeString(  # every value and label escaped
        "".join(
            f'<option value="{value}"{" selected" if raw == current else ""}>{label}</option>'
            for raw, value, label in zip(values, escaping.escape_each(values), labels, strict=True)
        )
    )


@lru_cache(maxsize=256)
def _declared_options(declared: object, language: str, current: str) -> SafeString:
    """_options() of a form class's field (`declared`), written while `language` is the active one.
    Bounded: `current` comes from the visitor's query."""
    return _options(declared.choices, current)


@register.filter(name="get_cover")
def get_cover(covers: dict | None, product_id: int) -> object:
    """`covers|get_cover:line.product_id`: the order page's first image of an ordered product."""
    return (covers or {}).get(product_id)


@register.simple_tag
def localized(obj: object, field: str, *, in_english: bool | None = None) -> str:
    """A field in the page's language: `{% localized product "name" %}`. On /en/ the English text
    when filled in, else the Indonesian one in `<span lang="id">` (catalogue/english.py)."""
    value, language = english.text_and_language(obj, field, in_english=in_english)
    # SafeString rather than mark_safe(), as in product_image().
    if language:
        return SafeString(f'<span lang="{escaping.escape(language)}">{escaping.escape(value)}</span>')
    return SafeString(escaping.escape(value))


@register.simple_tag
def localized_block(obj: object, field: str, *, in_english: bool | None = None) -> dict[str, str]:
    """For long text: `{% localized_block product "story" as story %}` → story.text, story.lang
    ("id" on an English page without English text), for `<div lang="{{ story.lang }}">`."""
    value, language = english.text_and_language(obj, field, in_english=in_english)
    return {"text": value, "lang": language}


@register.filter(name="localized_text")
def localized_text(obj: object, field: str, *, in_english: bool | None = None) -> str:
    """Plain text of a field in the page's language, for attributes and titles (no markup)."""
    return english.text(obj, field, in_english=in_english)


@lru_cache(maxsize=4096)
def address_in(path: str, code: str, current: str) -> str:
    """translate_url(), remembered: it resolves and reverses the path on every page (a tenth of a
    warm page's time), and its answer depends only on the path, the language asked for and the
    language the path is read in. Bounded, since paths come from visitors."""
    with override(current):
        return translate_url(path, code)


@register.simple_tag(takes_context=True)
def language_links(context: Context) -> list[dict]:
    """For each language: its code, its own name, this page's address in it, and whether it is the
    current one. The switcher posts that address as `next` to Django's set_language."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": address_in(path, code, current),
                "current": code == current,
            }
        )
    return links


@register.simple_tag
def csrf_slot() -> str:
    """`{% csrf_token %}` for forms that may be inside a `{% cache %}` fragment: a fixed marker that
    catalogue.middleware.CsrfSlotMiddleware replaces with this visitor's own token, so a cached
    fragment never carries one visitor's token to another. Always the marker, never a token: if the
    middleware were missing, the form fails the CSRF check (403) rather than leak tokens through
    the cache (and `manage.py check` reports catalogue.E001)."""
    return mark_safe(caching.CSRF_SLOT)  # noqa: S308  (a constant)


@register.simple_tag
def csrf_token_slot() -> str:
    """`{{ csrf_token }}` (the token alone, for the `<body>`'s htmx headers) as a marker that
    catalogue.middleware.CsrfSlotMiddleware fills with this visitor's token, so that a page kept
    whole (catalogue/pagecache.py) never carries one visitor's token to another."""
    return mark_safe(caching.CSRF_TOKEN_SLOT)  # noqa: S308  (a constant)
