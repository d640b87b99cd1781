"""Issue 10, item 9: an app server cut off from Redis must not split the truth between app servers.

Each test plays two app servers on one database and one Redis: "this" server loses Redis for a while
(every Redis call raises, as when its network is cut), the other keeps it; then Redis answers again.
What shoppers and staff did during the cut must hold everywhere afterwards.
"""

from __future__ import annotations

import contextlib
import uuid
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from redis.exceptions import ConnectionError as RedisConnectionError

from catalogue import caching
from ovop import cache as tolerant
from tests import factories
from tests.catalogue import backoffice
from tests.catalogue._shop import add, buy
from tests.ovop.test_cache import redis_answers

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379"),
]

LOCATION = "redis://127.0.0.1:6379/3"
REDIS_CALLS = (
    "get",
    "set",
    "add",
    "delete",
    "incr",
    "touch",
    "get_many",
    "set_many",
    "delete_many",
    "has_key",
)


@pytest.fixture(autouse=True)
def redis(settings):
    prefix = f"ovop-q-outage-{uuid.uuid4().hex[:8]}"
    tolerant._circuits.pop(LOCATION, None)
    settings.CACHES = {
        "default": {"BACKEND": "ovop.cache.TolerantRedisCache", "LOCATION": LOCATION, "KEY_PREFIX": prefix}
    }
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 600
    yield
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    tolerant._circuits.pop(LOCATION, None)


@contextlib.contextmanager
def cut_off():
    """This app server cannot reach Redis; afterwards it answers again (the retry delay has passed)."""
    with contextlib.ExitStack() as stack:
        for name in REDIS_CALLS:
            stack.enter_context(
                mock.patch.object(RedisCache, name, side_effect=RedisConnectionError("network cut"))
            )
        yield
    tolerant._circuit_for(LOCATION).open_until = 0.0


def redis_answers_again() -> None:
    """What the recovery watcher does a few seconds after Redis answers (ovop/cache.py)."""
    assert cache.ping() is True


def test_a_logout_during_the_cut_is_final_on_every_server():
    officer = Client()
    officer.force_login(backoffice.staff(superuser=True))
    assert officer.get("/admin/").status_code == 200
    cookie = officer.cookies["sessionid"].value
    with cut_off():
        assert officer.post("/admin/logout/").status_code == 200
    redis_answers_again()
    other_server = Client()
    other_server.cookies["sessionid"] = cookie
    response = other_server.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_cart_change_during_the_cut_is_kept_afterwards():
    kopi = factories.product("Kopi Bajawa", price=60000, stock=9)
    tenun = factories.product("Tenun Ikat Sumba", price=250000, stock=3)
    shopper = Client()
    add(shopper, kopi)
    with cut_off():
        add(shopper, tenun)
    redis_answers_again()
    shopper.get("/")  # shows (and so clears) the "added to the cart" message naming the product
    page = shopper.get("/keranjang/").content.decode()
    assert "Kopi Bajawa" in page and "Tenun Ikat Sumba" in page


def test_an_order_placed_during_the_cut_leaves_the_cart_empty_afterwards():
    kopi = factories.product("Kopi Bajawa", price=60000, stock=9)
    shopper = Client()
    add(shopper, kopi)
    shopper.get("/keranjang/")  # the cart is read (and would be cached) while Redis answers
    with cut_off():
        buy(shopper)
    redis_answers_again()
    shopper.get("/")
    assert "Kopi Bajawa" not in shopper.get("/keranjang/").content.decode()


def test_an_officers_price_change_during_the_cut_shows_on_every_server_once_redis_answers():
    kopi = factories.product("Kopi Bajawa", price=60000, stock=9)
    assert "Rp60.000" in Client().get(kopi.get_absolute_url()).content.decode()  # cached in Redis
    with cut_off():
        kopi.price = 75000
        kopi.save()  # the version bump cannot reach Redis
    # The other server, which kept Redis, would still serve the cached page until the recovery:
    assert "Rp60.000" in Client().get(kopi.get_absolute_url()).content.decode()
    redis_answers_again()
    page = Client().get(kopi.get_absolute_url()).content.decode()
    assert "Rp75.000" in page and "Rp60.000" not in page


def test_an_unpublish_during_the_cut_shows_everywhere_once_redis_answers():
    kopi = factories.product("Kopi Bajawa", price=60000, stock=9)
    assert "Kopi Bajawa" in Client().get("/produk/").content.decode()
    with cut_off():
        kopi.is_published = False
        kopi.save()
    redis_answers_again()
    assert "Kopi Bajawa" not in Client().get("/produk/").content.decode()


def test_the_recovery_watcher_bumps_without_any_request(monkeypatch):
    """Nobody needs to visit the server that missed the write: its watcher notices Redis is back."""
    before = caching.current_version()
    with cut_off():
        caching.bump()
        circuit = tolerant._circuits[LOCATION]
        assert circuit.missed_writes
        circuit.watcher.join(timeout=0.1)  # still watching: Redis does not answer yet
        assert circuit.watcher.is_alive()
    circuit.watcher.join(timeout=10)
    assert not circuit.missed_writes
    assert caching.current_version() > before
