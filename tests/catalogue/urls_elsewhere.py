"""A URLconf for tests/catalogue/test_addresses.py: the same names at other addresses."""

from django.http import HttpResponse
from django.urls import path


def _page(request):
    return HttpResponse("")


urlpatterns = [path("di-tempat-lain/", _page, name="home")]
