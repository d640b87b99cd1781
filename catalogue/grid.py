"""The product grid, written in Python (issue 17), and the Jinja2 environment of the page bodies.

A page of 24 cards was about 40% of a cold catalogue page's time in the Django template language,
and still a fifth of it as a Jinja2 template: each card's eighteen escaped outputs and lookups. The
grid is now written out in render() with f-strings, every text escaped (its plain texts together,
in one pass: catalogue/escaping.py), with the same markup (compared card for card in both
languages). The card's rules stay where they were: the image and its alt text, the page's language
(catalogue/templatetags/storefront.py), the price in rupiah (catalogue/money.py), the public
certificates (Product.certificate_badges), a producer's break (Product.is_paused_on).

Django templates show a grid with `{% load product_grid %}{% product_grid products %}` (through
templates/catalogue/includes/product_grid.html); the Jinja2 bodies call render() as `grid(…)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.template import defaultfilters, engines
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from jinja2 import Environment

from catalogue import addresses, english, escaping
from catalogue.money import format_rupiah
from catalogue.templatetags import storefront

escape = escaping.escape


def environment(**options) -> Environment:
    """The Jinja2 environment of TEMPLATES["jinja2"] (ovop/settings.py): Django's gettext for the
    active language, and the storefront's helpers as the functions and filters of the pages' bodies
    (catalogue/product_page.py, regency_page.py, catalogue_page.py)."""
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
    body asks dozens of times, and each lookup of the active language is a context-local read.
    They shadow the environment's globals."""
    in_english = english.wants_english()
    return {name: partial(helper, in_english=in_english) for name, helper in _LOCALIZED.items()}


def render_jinja(name: str, context: dict) -> SafeString:
    """A template of TEMPLATES["jinja2"] rendered with `context`: safe to show as it is, since the
    environment always autoescapes (the bodies of the product, regency and catalogue pages)."""
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


#: The images of a first screen's first row, loaded at once (a phone shows two cards a row).
EAGER_IMAGES = 2

# A card's markup is written out in render() below; these are its parts that not every card has. The
# badges and the form are the compact forms of the product page's certificate_badges.jinja (the kind
# only, no numbers) and add_to_cart.jinja (adds 1, no quantity box): keep them alike.
BADGES = '\n<ul class="certificate-badges certificate-badges-compact" aria-label="{label}">{badges}\n</ul>'
BADGE = (
    '\n  <li class="badge certificate-badge badge-{family}">\n'
    '    <span class="badge-kind">{label}</span>\n  </li>'
)
FORM = (
    '<form class="add-to-cart" method="post" action="{url}"\n'
    '      hx-post="{url}" hx-target="find .add-to-cart-status" hx-swap="innerHTML" data-swap-errors>\n'
    "  {csrf_slot}"
)
NEXT_FIELD = '  <input type="hidden" name="next" value="{next_path}">'
PAUSED = '\n    <p class="add-to-cart-out">{text}</p>'
ADD = (
    '\n    <input type="hidden" name="quantity" value="1">\n'
    '    <button type="submit" class="button">{label}<span class="cart-sr"> {name}</span></button>'
)
SOLD_OUT = '\n    <p class="add-to-cart-out">{label}</p>'


class GridPage:
    """What every card of one grid shares, made once per render: the page's language, today (WITA,
    for a producer's break), the form's opening with the CSRF slot and the return address, the
    fixed words, and each set of badges."""

    def __init__(self, *, next_path: str) -> None:
        self.in_english = english.wants_english()
        self.today = timezone.localdate()
        self.product_url = addresses.url_template("catalogue:product", "slug")
        # The grid sits in cached fragments: the same marker as `{% csrf_slot %}`.
        cart_add = escape(addresses.fixed("catalogue:cart_add"))
        self.form = FORM.format(url=cart_add, csrf_slot=storefront.csrf_slot())
        self.next_field = NEXT_FIELD.format(next_path=escape(next_path))
        # The same msgids as the product page's parts the card stands for (certificate_badges.jinja,
        # add_to_cart.jinja, listed in catalogue/product_page.py).
        self.certificates = escape(gettext("Izin dan sertifikat"))
        self.add = escape(gettext("Tambah ke keranjang"))
        self.sold_out = SOLD_OUT.format(label=escape(gettext("Stok habis")))
        self._badges: dict[str, str] = {}

    def badges(self, product) -> str:
        """The card's public certificates by kind (Product.certificate_badges), or "": made once per
        set of kinds that for_cards() read."""
        kinds = getattr(product, "certificate_kinds", None)
        made = self._badges.get(kinds) if kinds is not None else None
        if made is None:
            badges = product.certificate_badges
            items = "".join(BADGE.format(family=escape(kind), label=escape(label)) for kind, label in badges)
            made = BADGES.format(label=self.certificates, badges=items) if badges else ""
            if kinds is not None:
                self._badges[kinds] = made
        return made

    def action(self, product, name: str) -> str:
        """The end of the card's form (`name`: the product's, escaped): on a break, sold out, or the
        button that adds one."""
        if product.is_paused_on(self.today):
            until = escape(defaultfilters.date(product.paused_until, "j M Y"))
            return PAUSED.format(text=gettext("Libur sampai %(until)s") % {"until": until})
        if product.stock > 0:
            return ADD.format(label=self.add, name=name)
        return self.sold_out


def render(products: Iterable, *, next_path: str, first_screen: bool = False, empty: str = "") -> SafeString:
    """The `<ul class="grid">` of these products' cards (Product.objects.for_cards() rows). `next_path`
    is where the add-to-cart form returns without JavaScript; with `first_screen` the first row's
    images load eagerly; `empty` is the line shown when there is no product.

    Written in Python rather than as a template: a grid of 24 cards is a fifth of a cold catalogue
    page, and as a Jinja2 template each card's eighteen escaped outputs and lookups were most of it."""
    products = list(products)
    if not products:
        # conditional_escape: the Jinja2 bodies pass their own translated, already escaped Markup.
        items = f'\n    <li class="empty">{conditional_escape(empty)}</li>' if empty else "\n    "
        return mark_safe(f'<ul class="grid">{items}\n</ul>')  # noqa: S308  (escaped)
    page = GridPage(next_path=next_path)
    in_english = page.in_english
    # The texts every card shows as they are, escaped together: address, place, name, price.
    texts = escaping.escape_each(
        [
            text
            for product in products
            for text in (
                page.product_url(product.slug),
                product.village_name,
                product.regency_name,
                product.name,
                format_rupiah(product.price),
            )
        ]
    )
    cards = []
    for index, product in enumerate(products):
        url, village, regency, name, price = texts[index * 5 : index * 5 + 5]
        image = storefront.product_image(
            product.cover,
            "card",
            fallback_alt=english.text(product, "name", in_english=in_english),
            eager=first_screen and index < EAGER_IMAGES,
            in_english=in_english,
        )
        title = storefront.localized(product, "name", in_english=in_english)
        unit = storefront.localized(product, "unit", in_english=in_english)
        # An f-string rather than a format string or a template: the cheapest way Python has to put
        # fourteen values into markup, a page of cards at a time.
        cards.append(
            f'\n    <li class="card"><a class="card-link" href="{url}">\n  {image}\n'
            f'  <h3 class="card-title">{title}</h3>\n</a>\n'
            f'<p class="price">{price} <span class="unit">/ {unit}</span></p>\n'
            f'<p class="card-meta" title="{village}, {regency}">{village}'
            f'<span class="cart-sr">, {regency}</span></p>{page.badges(product)}\n'
            f"{page.form}\n"
            f'  <input type="hidden" name="product" value="{int(product.pk):d}">\n'
            f"{page.next_field}{page.action(product, name)}\n"
            '  <p class="add-to-cart-status" role="status" aria-live="polite"></p>\n'
            "</form>\n"
            "</li>"
        )
    return mark_safe(f'<ul class="grid">{"".join(cards)}\n</ul>')  # noqa: S308  (every text escaped)
