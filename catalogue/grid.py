"""The product grid, rendered with Jinja2 (issue 17).

A page of 24 cards was about 40% of a cold catalogue page's time in the Django template language:
each card's includes, tags and variable lookups cost about 0.5 ms. Jinja2 compiles the same markup to
Python and renders the grid in well under half that time, with the same output
(templates/jinja2/catalogue/product_grid.jinja). The card's rules stay where they were, called
from cards() before the template runs: the image and its alt text, the page's language
(catalogue/templatetags/storefront.py), the price in rupiah (catalogue/money.py), the public
certificates (Product.certificate_badges).

Django templates show a grid with `{% load product_grid %}{% product_grid products %}` (through
templates/catalogue/includes/product_grid.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import NamedTuple

from django.template import defaultfilters, engines
from django.utils.functional import LazyObject, empty
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from catalogue import addresses, english
from catalogue.money import format_rupiah
from catalogue.templatetags import storefront

TEMPLATE = "catalogue/product_grid.jinja"


def environment(**options) -> Environment:
    """The Jinja2 environment of TEMPLATES["jinja2"] (ovop/settings.py): Django's gettext for the
    active language, and the storefront's helpers as the functions and filters of the cards and of
    the pages' bodies (catalogue/product_page.py, regency_page.py, catalogue_page.py)."""
    options.pop("autoescape", None)  # always on, whatever the settings say
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(
        **_LOCALIZED,
        names_its_kind=storefront.names_its_kind,
        select_options=storefront.select_options,
    )
    env.filters.update(
        rupiah=format_rupiah,
        date=defaultfilters.date,
        # Django's own filter, escaping the text as it does in an autoescaped Django template.
        linebreaks=partial(defaultfilters.linebreaks_filter, autoescape=True),
    )
    return env


#: The environment's helpers that depend on the page's language (catalogue/english.py).
_LOCALIZED = {
    "product_image": storefront.product_image,
    "localized": storefront.localized,
    "localized_text": storefront.localized_text,
    "localized_block": storefront.localized_block,
}


def in_page_language() -> dict[str, partial]:
    """The language-dependent helpers with the page's language looked up once, for one render: a
    page of cards asks some hundred times, and each lookup of the active language is a
    context-local read (a tenth of the grid's time). They shadow the environment's globals."""
    in_english = english.wants_english()
    return {name: partial(helper, in_english=in_english) for name, helper in _LOCALIZED.items()}


def render_jinja(name: str, context: dict) -> SafeString:
    """A template of TEMPLATES["jinja2"] rendered with `context`: safe to show as it is, since the
    environment always autoescapes (the grid, the bodies of the product, regency and catalogue pages)."""
    template = engines["jinja2"].get_template(name)
    return mark_safe(template.render({**in_page_language(), **context}))  # noqa: S308  (autoescaped)


def evaluated(value: object) -> object:
    """The object behind a SimpleLazyObject (views hand their pages lazy values, read only on a cache
    miss), for the Jinja2 bodies: the product page's reads the product's attributes some 300 times,
    each a detour through the proxy otherwise (a tenth of the body's time)."""
    if isinstance(value, LazyObject):
        if value._wrapped is empty:
            value._setup()
        return value._wrapped
    return value


def labels() -> dict[str, str]:
    """The card's fixed words in the active language. The same msgids as the product page's parts the
    card stands for (certificate_badges.jinja, add_to_cart.jinja), so `make messages` keeps them.
    (A badge's words are CertificateKind.badges(), as on the product page.)"""
    return {
        "certificates": gettext("Izin dan sertifikat"),
        "add": gettext("Tambah ke keranjang"),
        "sold_out": gettext("Stok habis"),
    }


#: The images of a first screen's first row, loaded at once (a phone shows two cards a row).
EAGER_IMAGES = 2


class Card(NamedTuple):
    """What a card shows that a helper makes, made in Python before the template runs: Jinja2 checks
    every function a template calls (`Context.call`), and for five helpers a card those checks were
    about a fifth of the grid's time (a page of 24 cards: 0.78 to 0.60 ms)."""

    product: object
    url: str
    image: SafeString
    name: SafeString
    unit: SafeString
    price: str
    badges: list[tuple[str, str]]


def cards(products: Iterable, *, first_screen: bool) -> list[Card]:
    """The Cards of these products (Product.objects.for_cards() rows), in the page's language; with
    `first_screen` the first row's two images load eagerly."""
    in_english = english.wants_english()
    product_url = addresses.url_template("catalogue:product", "slug")
    return [
        Card(
            product,
            product_url(product.slug),
            storefront.product_image(
                product.cover,
                "card",
                fallback_alt=english.text(product, "name", in_english=in_english),
                eager=first_screen and index < EAGER_IMAGES,
                in_english=in_english,
            ),
            storefront.localized(product, "name", in_english=in_english),
            storefront.localized(product, "unit", in_english=in_english),
            format_rupiah(product.price),
            product.certificate_badges,
        )
        for index, product in enumerate(products)
    ]


def render(products: Iterable, *, next_path: str, first_screen: bool = False, empty: str = "") -> SafeString:
    """The `<ul class="grid">` of these products' cards (Product.objects.for_cards() rows). `next_path`
    is where the add-to-cart form returns without JavaScript; with `first_screen` the first row's
    images load eagerly; `empty` is the line shown when there is no product."""
    return render_jinja(
        TEMPLATE,
        {
            "cards": cards(products, first_screen=first_screen),
            "empty": empty,
            "labels": labels(),
            "cart_add_url": addresses.fixed("catalogue:cart_add"),
            # The grid sits in cached fragments: the same marker as `{% csrf_slot %}`.
            "csrf_slot": storefront.csrf_slot(),
            "next_path": next_path,
        },
    )
