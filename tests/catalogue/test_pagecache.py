"""Whole pages kept for visitors without a session (catalogue/pagecache.py): one cache read, and
still a fresh CSP nonce and the visitor's own CSRF token in every response."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from catalogue import caching, pagecache
from tests import factories

from ._shop import add

pytestmark = pytest.mark.django_db

HTMX_TOKEN = re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"')


@pytest.fixture
def kopi():
    village = factories.village("53.09.01.2005", "Beiposo")
    producer = factories.producer("Kelompok Tani Beiposo", village_=village)
    return factories.product("Kopi Arabika Bajawa", producer_=producer, price=85000, stock=5)


def whole_pages() -> list[str]:
    return [key for key in cache._cache if "whole" in key] if hasattr(cache, "_cache") else []


def nonces(response) -> tuple[str, set[str]]:
    header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return header, set(re.findall(r'nonce="([^"]+)"', response.content.decode()))


def test_a_kept_page_carries_this_responses_own_nonce_in_its_header_and_its_scripts(kopi):
    url = kopi.get_absolute_url()
    first, second = Client().get(url), Client().get(url)
    assert whole_pages(), "the first visit kept the page"
    first_nonce, first_in_body = nonces(first)
    second_nonce, second_in_body = nonces(second)
    assert first_in_body == {first_nonce} and second_in_body == {second_nonce}
    assert first_nonce != second_nonce
    assert pagecache.NONCE_SLOT.decode() not in second.content.decode()


def test_the_htmx_token_of_a_kept_page_is_the_visitors_own_and_works(kopi):
    url = kopi.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    html = page.content.decode()
    assert caching.CSRF_TOKEN_SLOT not in html
    token = HTMX_TOKEN.search(html).group(1)
    response = add(visitor, kopi, **{"HX-Request": "true", "X-CSRFToken": token})
    assert response.status_code == 200
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(url)
    assert add(stranger, kopi, **{"HX-Request": "true", "X-CSRFToken": token}).status_code == 403


def test_a_shopper_with_a_cart_never_gets_the_kept_page_nor_leaves_one(kopi, client):
    add(client, kopi)
    html = client.get(kopi.get_absolute_url()).content.decode()
    assert '<span class="cart-badge-count">1<' in html
    assert not whole_pages()
    assert '<span class="cart-badge-count">0<' in Client().get(kopi.get_absolute_url()).content.decode()


def test_an_address_with_tracking_parameters_is_neither_kept_nor_served_a_kept_page(kopi):
    url = kopi.get_absolute_url()
    Client().get(url + "?utm_source=wa")
    assert not whole_pages()
    Client().get(url)
    html = Client().get(url + "?utm_source=wa").content.decode()
    assert "utm_source=wa" in html  # its language links keep the visitor's own address


def test_a_change_in_the_catalogue_replaces_the_kept_page(kopi):
    url = kopi.get_absolute_url()
    assert "Rp85.000" in Client().get(url).content.decode()
    kopi.price = 90000
    kopi.save()
    assert "Rp90.000" in Client().get(url).content.decode()


def test_no_page_is_kept_when_the_fragment_cache_is_off(kopi, settings):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    Client().get(kopi.get_absolute_url())
    assert not whole_pages()


def test_a_visitor_served_a_kept_page_can_switch_language_with_its_own_token(kopi):
    url = kopi.get_absolute_url()
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    switch = re.search(
        r'<form method="post" action="(?P<action>[^"]+)">\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="(?P<token>[A-Za-z0-9]{64})">',
        html,
    )
    assert switch, "the language switch carries a token"
    response = visitor.post(
        switch["action"], {"csrfmiddlewaretoken": switch["token"], "language": "en", "next": "/en" + url}
    )
    assert response.status_code == 302 and response["Location"] == "/en" + url


def test_a_page_that_wrote_a_real_csrf_token_is_never_kept():
    # {% csrf_token %} instead of {% csrf_slot %} somewhere in a page: asking for the token marks the
    # request, and the page must not be handed to other visitors with this visitor's token in it.
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    request = RequestFactory().get("/produk/")
    page = HttpResponse("<p>page</p>")
    assert pagecache.keepable(request, page)
    get_token(request)
    assert not pagecache.keepable(request, page)
