"""The product page's body, rendered with Jinja2 (issue 17).

The body (crumbs, gallery, price and stock, badges, stars, the add-to-cart form, the facts, the story
and the products nearby) was about a third of a cold product page's time in the Django template
language. Jinja2 compiles the same markup to Python (templates/jinja2/catalogue/product_body.jinja
and the three parts it includes), as the grid already does (catalogue/grid.py, whose environment
this shares). The page around it, its head and its cached fragment stay Django templates
(templates/catalogue/product_detail.html shows the body with `{% product_body %}`).

The rules stay where they were, called from the templates: the images and the page's language
(catalogue/templatetags/storefront.py), the price in rupiah (catalogue/money.py), the public
certificates and the valid curation (Product), the cards (catalogue/grid.py).
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop, ngettext_lazy

from catalogue import addresses, grid
from catalogue.templatetags import storefront

TEMPLATE = "catalogue/product_body.jinja"

# `make messages` reads Python and Django templates, not Jinja2: the words of product_body.jinja and
# its parts are listed here so that they stay in the catalogue (locale/). Keep the two in step.
MESSAGES = (
    gettext_noop("Jejak halaman"),
    gettext_noop("Produk"),
    gettext_noop("Stok tersedia: %(stock)s"),
    ngettext_lazy("Disiapkan dalam %(days)s hari.", "Disiapkan dalam %(days)s hari.", "days"),
    gettext_noop("Stok habis"),
    gettext_noop("Minta penawaran untuk instansi"),
    gettext_noop("Produsen"),
    gettext_noop("Desa"),
    gettext_noop("Kecamatan %(district)s"),
    gettext_noop("Kabupaten/kota"),
    gettext_noop("Kategori"),
    gettext_noop("Isi bersih"),
    gettext_noop("Angkatan OVOP"),
    gettext_noop("Tanya penjual lewat WhatsApp"),
    gettext_noop("Kisah produk"),
    gettext_noop("Produk lain dari %(regency)s"),
    # certificate_badges.jinja
    gettext_noop("Izin dan sertifikat"),
    gettext_noop("berlaku s.d."),
    # curation_stars.jinja
    ngettext_lazy("Bintang OVOP NTT: %(n)s bintang", "Bintang OVOP NTT: %(n)s bintang", "n"),
    gettext_noop("dinilai %(on)s"),
    # add_to_cart.jinja (and the cards' compact form, catalogue/grid.py)
    gettext_noop("Libur sampai %(until)s"),
    gettext_noop("Jumlah"),
    gettext_noop("Maks. %(limit)s per pesanan"),
    gettext_noop("Tambah ke keranjang"),
)


def render(*, product, gallery, nearby, whatsapp_link: str, next_path: str) -> SafeString:
    """The body of `product`'s page. `gallery` are its images, `nearby` the cards of other products of
    its regency, `whatsapp_link` a click-to-chat link or ""; `next_path` is where the add-to-cart
    forms return without JavaScript (the page's address as cached)."""
    product, gallery, nearby = grid.evaluated(product), grid.evaluated(gallery), grid.evaluated(nearby)
    village = product.producer.village
    return grid.render_jinja(
        TEMPLATE,
        {
            "product": product,
            "village": village,
            "regency": village.district.regency,
            "gallery": gallery,
            "nearby": nearby,
            "whatsapp_link": whatsapp_link,
            "next_path": next_path,
            "urls": {
                "product_list": addresses.fixed("catalogue:product_list"),
                "quote": addresses.url_template("catalogue:quote_new", "slug")(product.slug),
                "stars": addresses.fixed("catalogue:stars"),
                "cart_add": addresses.fixed("catalogue:cart_add"),
            },
            # The body sits in a cached fragment: the same marker as `{% csrf_slot %}`.
            "csrf_slot": storefront.csrf_slot(),
            "grid": lambda products: grid.render(products, next_path=next_path),
        },
    )
