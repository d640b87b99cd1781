"""The catalogue page's filter form and results, rendered with Jinja2 (issue 17).

The page's two cached fragments (templates/catalogue/product_list.html): the filter form and, in
#hasil, the results (notices, chips, the count, the cards and the pages, or what to try when nothing
matched). In the Django template language their tags and lookups cost about half a millisecond of
a cold catalogue page besides the cards; Jinja2 renders the same markup
(templates/jinja2/catalogue/catalogue_form.jinja, catalogue_results.jinja), as for the grid
(catalogue/grid.py) and the product and regency pages. What they show comes from the filter form
(catalogue/filters.py) and the view (catalogue/views/browse.py); the page around them, its head,
its cached fragments and the `results` partial that htmx asks for stay Django templates.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop, ngettext_lazy

from catalogue import addresses, english, escaping, grid

FORM = "catalogue/catalogue_form.jinja"
RESULTS = "catalogue/catalogue_results.jinja"

# `make messages` reads Python and Django templates, not Jinja2: the two templates' words are listed
# here so that they stay in the catalogue (locale/). Keep them in step.
MESSAGES = (
    # catalogue_form.jinja
    gettext_noop("Cari"),
    gettext_noop("Filter"),
    gettext_noop("Terapkan"),
    # catalogue_results.jinja
    gettext_noop("Filter aktif"),
    gettext_noop("hapus filter"),
    ngettext_lazy("%(counter)s produk", "%(counter)s produk", "counter"),
    gettext_noop("Halaman hasil"),
    gettext_noop("Sebelumnya"),
    gettext_noop("Halaman %(number)s dari %(total)s"),
    gettext_noop("Berikutnya"),
    gettext_noop("Tidak ada produk yang cocok dengan pencarian atau filter ini."),
    gettext_noop("Mungkin maksud Anda:"),
    gettext_noop("Hapus semua filter"),
    gettext_noop("Produk unggulan"),
)


def title(*, filters, page) -> SafeString:
    """The page's <title>: the search, the category, the regency and the page number when they apply,
    then the catalogue's and the site's names ("Cari “kopi” · Halaman 2 · Produk desa NTT · Beli
    Produk NTT"). Escaped here, since it is written into the page as it is. Built in Python: as a
    template (an include with a spaceless block and two blocktranslates) it was about 3% of a cold
    catalogue page."""
    parts = []
    if query := filters.values.get("q"):
        parts.append(gettext("Cari “%(q)s”") % {"q": escaping.escape(query)})
    if filters.category:
        parts.append(escaping.escape(english.text(filters.category, "name")))
    if filters.regency:
        parts.append(escaping.escape(filters.regency.name))
    if page.number > 1:
        parts.append(gettext("Halaman %(number)s") % {"number": page.number})
    parts += [escaping.escape(gettext("Produk desa NTT")), escaping.escape(gettext("Beli Produk NTT"))]
    return mark_safe(" · ".join(parts))  # noqa: S308  (each value escaped above)


def render_form(*, filters) -> SafeString:
    """The filter form of this state of the catalogue (a CatalogueFilter)."""
    return grid.render_jinja(
        FORM,
        {
            "filters": grid.evaluated(filters),
            "urls": {"product_list": addresses.fixed("catalogue:product_list")},
        },
    )


def render_results(
    *, filters, page, featured, path: str, prev_query: str, next_query: str, target: str, next_path: str
) -> SafeString:
    """The results of `filters` on `page`; `featured` are shown when a search found nothing. Links
    go to `path` with the queries of the previous and next pages; `target` is the element their
    htmx swaps, `next_path` where the cards' add-to-cart forms return without JavaScript."""
    return grid.render_jinja(
        RESULTS,
        {
            "filters": grid.evaluated(filters),
            "page": grid.evaluated(page),
            "featured": featured,  # read only when nothing matched
            "path": path,
            "prev_query": prev_query,
            "next_query": next_query,
            "target": target,
            "urls": {"product_list": addresses.fixed("catalogue:product_list")},
            "grid": lambda products, first_screen: grid.render(
                products, next_path=next_path, first_screen=first_screen
            ),
        },
    )
