from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from catalogue.models import Product


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    products = (
        Product.objects.published().for_cards().order_by("producer__village__district__regency", "name")
    )
    return render(request, "home.html", {"products": products})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
