from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from catalogue import charts, reports
from catalogue.models import Category, Producer, Product
from catalogue.pagecache import whole_page
from villages.models import Regency, Village

FEATURED_ON_HOME = 8


@require_safe
@whole_page("home")
def home(request: HttpRequest) -> HttpResponse:
    """The Gerakan Beli Produk NTT: what OVOP is, featured products, the 22 regencies, the categories.

    The lists are read only when the page's cached fragment is not in the cache (catalogue/caching.py).
    """
    context = {
        "featured": SimpleLazyObject(featured_products),
        "regencies": SimpleLazyObject(regencies_with_counts),
        "categories": SimpleLazyObject(categories_with_counts),
        "canonical_url": request.build_absolute_uri(reverse("home")),
    }
    return render(request, "home.html", context)


def regencies_with_counts() -> list[Regency]:
    """NTT's regencies in code order, each with `product_count`: its published products."""
    counts = Product.objects.published().count_by("regency")
    regencies = list(Regency.objects.of_ntt().order_by("code"))
    for regency in regencies:
        regency.product_count = counts.get(regency.code, 0)
    return regencies


def categories_with_counts() -> list[Category]:
    """The categories in their order, each with `product_count`: its published products."""
    counts = Product.objects.published().count_by("category")
    categories = list(Category.objects.all())
    for category in categories:
        category.product_count = counts.get(category.pk, 0)
    return categories


def featured_products() -> list[Product]:
    published = Product.objects.published()
    featured = published.featured().order_by("-created_at", "pk").cards(0, FEATURED_ON_HOME)
    if not featured:  # a fresh catalogue without featured flags still shows something
        featured = published.order_by("-created_at", "pk").cards(0, FEATURED_ON_HOME)
    return featured


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers may read the shop, not the back office or the shopper's own pages."""
    private = ["/keranjang/", "/checkout/", "/pesanan/", "/dasbor/"]  # carts, orders, staff pages
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /i18n/",
        *(f"Disallow: {prefix}{path}" for path in private for prefix in ("", "/en")),
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def _refusal(request: HttpRequest, reason: str) -> HttpResponse:
    """The Indonesian 403 page with a way back: the page the visitor came from (when it is on this
    site) and the home that suits them (the back office's for staff, the shop's for everyone else)."""
    referer = request.META.get("HTTP_REFERER", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    staff = getattr(request, "user", None) is not None and request.user.is_staff
    context = {
        "reason": reason,
        "back_url": referer if same_site and referer != request.build_absolute_uri() else "",
        "home_url": reverse("admin:index") if staff else reverse("home"),
        "home_label": _("Ke beranda kantor OVOP") if staff else _("Ke beranda Beli Produk NTT"),
    }
    return render(request, "403.html", context, status=403)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _refusal(request, _("Maaf, akun Anda tidak punya izin untuk membuka halaman ini."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _refusal(
        request,
        _(
            "Formulir ini sudah kedaluwarsa atau cookie browser dimatikan. Muat ulang halaman "
            "sebelumnya, lalu kirim lagi."
        ),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_safe
@whole_page("about")
def about(request: HttpRequest) -> HttpResponse:
    """`/tentang/`: what OVOP NTT is and the programme's progress, in aggregate (no personal data).

    The figures are read only when the page's cached fragment is not in the cache (catalogue/caching.py):
    they count every product, stage and certificate (10,000 products: 10 ms of a cold page)."""
    context = {
        "figures": SimpleLazyObject(programme_figures),
        "canonical_url": request.build_absolute_uri(reverse("about")),
    }
    return render(request, "about.html", context)


def programme_figures() -> dict:
    """The about page's figures: the pipeline's progress and its chart, and the counts."""
    summary = reports.progress(Product.objects.all())
    return {
        "summary": summary,
        "stage_chart": charts.stacked_bar_chart(
            [charts.Bar(stage.label, stage.percent, f"{stage.percent}%") for stage in summary.stages],
            title=_("Tahap pendampingan yang selesai (persen)"),
            maximum=100,
        ),
        "published_count": Product.objects.published().count(),
        "producer_count": Producer.objects.count(),
        "locus_count": Village.objects.loci().count(),
        "regency_count": Regency.objects.filter(districts__villages__is_ovop_locus=True).distinct().count(),
        "certificates": reports.certificate_counts(),
    }
