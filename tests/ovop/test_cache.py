"""ovop.cache.TolerantRedisCache: Redis when it answers, a harmless miss when it does not."""

import logging
import socket
from unittest import mock

import pytest

from ovop import cache as tolerant

REDIS_UP = "redis://127.0.0.1:6379/7"
REDIS_CLOSED = "redis://127.0.0.1:1/7"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def make(location: str, **options) -> tolerant.TolerantRedisCache:
    tolerant._circuits.pop(location, None)
    return tolerant.TolerantRedisCache(location, {"KEY_PREFIX": "ovop-uji", "OPTIONS": options})


def test_with_redis_down_reads_miss_and_writes_do_nothing():
    cache = make(REDIS_CLOSED)
    assert cache.get("produk:1") is None
    assert cache.get("produk:1", "bawaan") == "bawaan"
    assert cache.set("produk:1", "isi") is None
    assert cache.add("produk:1", "isi") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == []
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.touch("a") is False
    assert cache.clear() is False
    assert cache.ping() is False


def test_with_redis_down_get_or_set_computes_the_value_every_time():
    cache = make(REDIS_CLOSED)
    calls = []

    def compute():
        calls.append(1)
        return "kartu produk"

    assert cache.get_or_set("kartu", compute) == "kartu produk"
    assert cache.get_or_set("kartu", compute) == "kartu produk"
    assert len(calls) == 2


def test_with_redis_down_counters_fail_open():
    """A rate limit counted in the cache lets people through rather than failing their request."""
    cache = make(REDIS_CLOSED)
    assert cache.incr("batas:127.0.0.1") == 1
    assert cache.incr("batas:127.0.0.1", 5) == 5
    assert cache.decr("batas:127.0.0.1") == -1


def test_after_a_failure_redis_is_not_asked_again_until_the_retry_delay(monkeypatch):
    cache = make(REDIS_CLOSED, retry_after=30)
    assert cache.get("a") is None
    with mock.patch.object(tolerant.RedisCache, "get", side_effect=AssertionError("asked Redis")) as asked:
        for _ in range(100):
            assert cache.get("a") is None
        assert asked.call_count == 0
    clock = tolerant.time.monotonic() + 31
    monkeypatch.setattr(tolerant.time, "monotonic", lambda: clock)
    with mock.patch.object(tolerant.RedisCache, "get", return_value="lagi") as asked:
        assert cache.get("a") == "lagi"
        assert asked.call_count == 1


def test_the_outage_and_the_recovery_are_each_logged_once(caplog, monkeypatch):
    cache = make(REDIS_CLOSED, retry_after=0)
    with caplog.at_level(logging.WARNING, logger="ovop.cache"):
        for _ in range(20):
            cache.get("a")
            cache.set("a", 1)
        with mock.patch.object(tolerant.RedisCache, "get", return_value=None):
            cache.get("a")
            cache.get("a")
    messages = [r.getMessage() for r in caplog.records if r.name == "ovop.cache"]
    assert len(messages) == 2
    assert "unavailable" in messages[0] and "answers again" in messages[1]


def test_errors_other_than_an_outage_are_not_hidden():
    """A wrong command or type is a bug to see, not an outage to paper over."""
    from redis.exceptions import ResponseError

    cache = make(REDIS_CLOSED)
    wrong_type = mock.patch.object(tolerant.RedisCache, "incr", side_effect=ResponseError("WRONGTYPE"))
    with wrong_type, pytest.raises(ResponseError):
        cache.incr("a")


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_with_redis_up_it_is_an_ordinary_redis_cache():
    cache = make(REDIS_UP)
    cache.delete_many(["a", "n"])
    assert cache.ping() is True
    cache.set("a", {"harga": 25000}, 30)
    assert cache.get("a") == {"harga": 25000}
    assert cache.add("a", "lain") is False
    cache.set("n", 0)
    assert cache.incr("n") == 1
    assert cache.get("n") == 1
    cache.delete_many(["a", "n"])
    assert cache.get("a") is None


def test_a_full_redis_refusing_writes_leaves_the_page_working(monkeypatch, caplog):
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ResponseError

    cache = make(REDIS_UP)
    refused = ResponseError("OOM command not allowed when used memory > 'maxmemory'.")
    monkeypatch.setattr(RedisCache, "set", mock.Mock(side_effect=refused))
    with caplog.at_level(logging.WARNING, logger="ovop.cache"):
        assert cache.set("produk:1", "isi") is None
        assert cache.set("produk:2", "isi") is None
    assert not cache._circuit.is_open()  # reads keep going to Redis
    assert "allkeys-lru" in caplog.text


def test_every_cache_call_reuses_one_redis_client():
    """Building a redis.Redis costs ~0.1 ms of CPU; Django's client built one for every cache call."""
    cache = make(REDIS_CLOSED)
    first = cache._cache.get_client(write=True)
    assert cache._cache.get_client("produk:1") is first
    assert cache._cache.get_client(write=True) is first
