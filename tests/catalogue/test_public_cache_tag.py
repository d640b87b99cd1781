"""`{% load public_cache %}` (catalogue/templatetags/public_cache.py): with the fragment cache off, the
public pages render without a single cache round trip; with it on, fragments are kept as before."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["/", "/produk/", "/kabupaten/kabupaten-ngada/"]


@pytest.fixture
def shop():
    factories.regency("53.09", "Kabupaten Ngada")
    factories.district("53.09.01", "Bajawa", regency_code="53.09")
    village = factories.village("53.09.01.2005", "Beiposo")
    factories.product("Kopi Arabika Bajawa", producer_=factories.producer(village_=village))


def cache_calls(url: str) -> list[str]:
    backend = type(caches["default"])
    calls: list[str] = []

    def spy(name):
        real = getattr(backend, name)

        def call(self, *args, **kwargs):
            calls.append(name)
            return real(self, *args, **kwargs)

        return call

    names = ["get", "get_many", "set", "add", "delete", "incr"]
    with mock.patch.multiple(backend, **{name: spy(name) for name in names}):
        response = Client().get(url)
    assert response.status_code == 200, url
    assert "Kopi Arabika Bajawa" in response.content.decode()
    return calls


@pytest.mark.parametrize("url", PAGES)
def test_with_the_fragment_cache_off_a_page_never_asks_the_cache(shop, settings, url):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    assert cache_calls(url) == []


@pytest.mark.parametrize("url", PAGES)
def test_with_the_fragment_cache_on_a_page_keeps_its_fragments(shop, url):
    assert "set" in cache_calls(url)
