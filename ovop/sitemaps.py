"""/sitemap.xml: the shop's public pages, in Indonesian and English (hreflang alternates)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from catalogue.models import Producer, Product
from villages.models import Regency, Village


class ShopSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class StaticPagesSitemap(ShopSitemap):
    priority = 0.8
    changefreq = "daily"
    # URL names of pages without an object; a name that does not exist (yet) is left out.
    names = ("home", "catalogue:product_list", "about")

    def items(self) -> list[str]:
        items = []
        for name in self.names:
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            items.append(name)
        return items

    def location(self, item: str) -> str:
        return reverse(item)


class ProductSitemap(ShopSitemap):
    priority = 0.9
    changefreq = "weekly"

    def items(self):
        return Product.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, product: Product):
        return product.updated_at


class ProducerSitemap(ShopSitemap):
    priority = 0.6

    def items(self):
        return (
            Producer.objects.filter(products__is_published=True)
            .distinct()
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, producer: Producer):
        return producer.updated_at


class RegencySitemap(ShopSitemap):
    priority = 0.6

    def items(self):
        return Regency.objects.of_ntt().only("code", "slug").order_by("code")


class VillageSitemap(ShopSitemap):
    """Only villages with something to show: OVOP loci and villages with a producer."""

    priority = 0.5

    def items(self):
        return (
            Village.objects.filter(Q(is_ovop_locus=True) | Q(producers__products__is_published=True))
            .distinct()
            .only("code")
            .order_by("code")
        )


SITEMAPS = {
    "halaman": StaticPagesSitemap,
    "produk": ProductSitemap,
    "umkm": ProducerSitemap,
    "kabupaten": RegencySitemap,
    "desa": VillageSitemap,
}
