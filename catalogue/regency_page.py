"""A regency's page body, rendered with Jinja2 (issue 17).

The body (its products, OVOP locus villages, producers and every village by district) loops over two
dozen loci and producers and a score of districts: a fifth of a cold regency page in the Django
template language. Jinja2 renders the same markup (templates/jinja2/villages/regency_body.jinja), as
for the product page (catalogue/product_page.py) and the grid (catalogue/grid.py). What it lists is
read by catalogue/views/places.py (regency_listing); the page around it, its head and its cached
fragment stay Django templates (templates/villages/regency_detail.html: `{% regency_body %}`).
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop, ngettext_lazy

from catalogue import addresses, grid

TEMPLATE = "villages/regency_body.jinja"

# `make messages` reads Python and Django templates, not Jinja2: regency_body.jinja's words are
# listed here so that they stay in the catalogue (locale/). Keep the two in step.
MESSAGES = (
    gettext_noop("Jejak halaman"),
    ngettext_lazy(
        "%(counter)s desa/kelurahan di %(districts)s kecamatan.",
        "%(counter)s desa/kelurahan di %(districts)s kecamatan.",
        "counter",
    ),
    ngettext_lazy("%(counter)s produk tayang.", "%(counter)s produk tayang.", "counter"),
    gettext_noop("Produk"),
    gettext_noop("Belum ada produk yang tayang dari kabupaten/kota ini."),
    gettext_noop("Lihat semua %(count)s produk"),
    gettext_noop("Desa lokus OVOP"),
    gettext_noop("Belum ada desa lokus yang dipetakan."),
    ngettext_lazy(
        "dan %(counter)s desa lokus lainnya, di daftar semua desa di bawah.",
        "dan %(counter)s desa lokus lainnya, di daftar semua desa di bawah.",
        "counter",
    ),
    gettext_noop("UMKM"),
    gettext_noop("Belum ada UMKM terdaftar."),
    ngettext_lazy(
        "dan %(counter)s UMKM lainnya: lihat produk mereka di katalog",
        "dan %(counter)s UMKM lainnya: lihat produk mereka di katalog",
        "counter",
    ),
    gettext_noop("Semua desa dan kelurahan"),
)


def render(*, regency, listing: dict, next_path: str) -> SafeString:
    """The body of `regency`'s page, showing `listing` (catalogue/views/places.py: regency_listing);
    `next_path` is where the cards' add-to-cart forms return without JavaScript."""
    return grid.render_jinja(
        TEMPLATE,
        {
            "regency": grid.evaluated(regency),
            "listing": grid.evaluated(listing),
            "urls": {
                "home": addresses.fixed("home"),
                "product_list": addresses.fixed("catalogue:product_list"),
            },
            "grid": lambda products, empty: grid.render(products, next_path=next_path, empty=empty),
        },
    )
