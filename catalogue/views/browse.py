"""The storefront: the catalogue with its filters, a product, a producer.

Each page's expensive parts are `{% cache %}` fragments of its template, and its head data (title,
canonical URL, JSON-LD) is kept with them (catalogue/caching.py). So views hand the templates lazy
values: on a warm cache nothing is read from the database.
"""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from catalogue import caching, catalogue_page, compiled, english, thumbnails
from catalogue.filters import CatalogueFilter
from catalogue.models import Producer, Product
from catalogue.models.producers import ProducerQuerySet
from catalogue.models.products import ProductQuerySet, cards_of_producer
from catalogue.pagecache import whole_page

SCHEMA_IN_STOCK = "https://schema.org/InStock"
SCHEMA_OUT_OF_STOCK = "https://schema.org/OutOfStock"


def whatsapp_link(producer: Producer, text: str) -> str:
    """A click-to-chat link, or "" when the producer has no (valid) WhatsApp number."""
    try:
        return producer.whatsapp_link(text)
    except ValidationError:
        return ""


def page_param(number: int) -> int | None:
    """The `page` query parameter: left out for the first page, so each state has one address."""
    return number if number > 1 else None


def wants_partial(request: HttpRequest) -> bool:
    """An htmx swap gets the fragment; a history restore (back button, cache miss) the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
@whole_page("catalogue")
@vary_on_headers("HX-Request")
def product_list(request: HttpRequest) -> HttpResponse:
    # Lazy: on a warm cache (catalogue/caching.py) neither the filter form's choices nor the page of
    # results is read; the head data and the `{% cache %}` fragments of the template are enough.
    filters = SimpleLazyObject(partial(CatalogueFilter.from_query, request.GET))
    page = SimpleLazyObject(lambda: filters.page(request.GET.get("page")))
    data = caching.page_data(request, "catalogue", partial(catalogue_page_data, filters, page))
    # Shown only under a search that found nothing (read inside the cached fragment, on a miss).
    featured = SimpleLazyObject(lambda: Product.objects.published().featured().cards(0, 4))
    context = {"filters": filters, "page": page, "target": "hasil", "featured": featured, **data}
    context["canonical_url"] = request.build_absolute_uri(request.path + data["canonical_query"])
    if wants_partial(request):
        response = render(request, "catalogue/product_list.html#results", context)
        # The address bar shows the clean state (valid filters, the page actually shown).
        return push_url(response, request.path + data["canonical_query"])
    return render(request, "catalogue/product_list.html", context)


def catalogue_page_data(filters: CatalogueFilter, page: Page) -> dict:
    """What the catalogue page needs outside its cached fragments (and the pagination inside)."""
    return {
        "canonical_query": filters.query_string(page=page_param(page.number)),
        "prev_query": filters.query_string(page=page_param(page.number - 1)) if page.has_previous() else "",
        "next_query": filters.query_string(page=page_param(page.number + 1)) if page.has_next() else "",
        "title": catalogue_page.title(filters=filters, page=page),
        "noindex": bool(filters.values.get("q")),
    }


def product_json_ld(request: HttpRequest, product: Product, images: list, url: str) -> dict:
    """schema.org Product with its Offer (price in IDR and availability); `url` is the page's."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": english.text(product, "name"),
        "description": english.text(product, "short_description"),
        "sku": product.slug,
        "url": url,
        "category": english.text(product.category, "name"),
        "brand": {"@type": "Brand", "name": product.producer.name},
        "image": [request.build_absolute_uri(image.url) for image in images],
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": product.price,
            "priceCurrency": "IDR",
            "availability": SCHEMA_IN_STOCK if product.in_stock else SCHEMA_OUT_OF_STOCK,
            "seller": {"@type": "Organization", "name": product.producer.name},
        },
    }
    if product.gtin:
        data["gtin13"] = product.gtin
    return data


# A page's own row, with its places, by slug: compiled once (catalogue/compiled.py).


def published_product(slugs: list[str]) -> ProductQuerySet:
    return Product.objects.published().with_places().filter(slug=slugs[0])


def producer_with_places(slugs: list[str]) -> ProducerQuerySet:
    return Producer.objects.with_places().filter(slug=slugs[0])


@require_safe
@whole_page("product")
def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = SimpleLazyObject(lambda: compiled.one_or_404(published_product, [slug]))
    gallery = SimpleLazyObject(lambda: product.gallery())
    head = caching.page_data(request, "product", partial(product_head, request, product, gallery))
    context = {
        "product": product,  # read only inside the cached body, like everything below
        "gallery": gallery,
        "nearby": SimpleLazyObject(lambda: product.nearby(4)),
        "whatsapp_link": SimpleLazyObject(
            lambda: whatsapp_link(
                product.producer,
                _("Halo %(producer)s, saya tertarik dengan %(product)s di Beli Produk NTT.")
                % {"producer": product.producer.name, "product": product.name},
            )
        ),
        "head": head,
        "canonical_url": head["canonical_url"],
    }
    return render(request, "catalogue/product_detail.html", context)


def product_head(request: HttpRequest, product: Product, gallery: list) -> dict:
    """The product page's title, description, OpenGraph and JSON-LD (cached with the page; a missing
    product raises Http404 here, before anything is cached)."""
    share_images = [
        made[0] for image in gallery[:3] if (made := thumbnails.thumbnails(image.image, "detail"))
    ]
    url = request.build_absolute_uri(product.get_absolute_url())
    return {
        "name": english.text(product, "name"),
        "village": product.producer.village.name,
        "description": english.text(product, "short_description"),
        "price": product.price,
        "canonical_url": url,
        "og_image": request.build_absolute_uri(share_images[0].url) if share_images else "",
        "json_ld": product_json_ld(request, product, share_images, url),
    }


@require_safe
@whole_page("producer")
def producer_detail(request: HttpRequest, slug: str) -> HttpResponse:
    producer = SimpleLazyObject(lambda: compiled.one_or_404(producer_with_places, [slug]))
    head = caching.page_data(
        request,
        "producer",
        lambda: {
            "name": producer.name,
            "village": producer.village.name,
            "story": english.text(producer, "story"),
            "canonical_url": request.build_absolute_uri(producer.get_absolute_url()),
        },
    )
    context = {
        "producer": producer,  # read only inside the cached body, like everything below
        "products": SimpleLazyObject(lambda: cards_of_producer(producer.pk)),
        "whatsapp_link": SimpleLazyObject(
            lambda: whatsapp_link(
                producer,
                _("Halo %(producer)s, saya melihat produk Anda di Beli Produk NTT.")
                % {"producer": producer.name},
            )
        ),
        "head": head,
        "canonical_url": head["canonical_url"],
    }
    return render(request, "catalogue/producer_detail.html", context)
