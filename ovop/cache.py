"""A Redis cache that the site can live without.

`TolerantRedisCache` is Django's RedisCache with one difference: when Redis cannot be reached (refused,
timed out, dropped), every read is a miss and every write a no-op, so pages, sessions (kept only
in the database, not in the cache) and the checkout keep working on the database alone.

A failure opens a short circuit: for `RETRY_AFTER` seconds the process does not knock on Redis at all,
so an outage costs one connect timeout every few seconds, not one per cache call. The outage is logged
as a warning at most once per circuit, and the recovery once, never once per request.

A write dropped during an outage (an officer's edit bumping the catalogue's version, say) would leave
other app servers, which still reach Redis, serving what was cached before the edit. So a dropped write
marks the circuit, a watcher thread pings Redis every `RETRY_AFTER` seconds until it answers, and then
the callbacks registered with :func:`on_recovery` run once in that process (catalogue/caching.py
bumps the version again): the edit shows everywhere within seconds of Redis answering.

`ping()` tells the health check the truth (True only when Redis answered), since `get()` alone cannot
tell a miss from an outage.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

# The registry lives in a module without redis, so that registering does not load redis-py.
from ovop.cache_recovery import on_recovery  # noqa: F401  (the public name, kept here too)
from ovop.cache_recovery import run_recovery_callbacks as _run_recovery_callbacks

logger = logging.getLogger("ovop.cache")

#: What "Redis is down" looks like from redis-py and the socket layer.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError, OSError)

#: Short socket timeouts: a cache that takes longer than this is worse than no cache.
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
    "health_check_interval": 30,
}


class _Circuit:
    """Shared by every cache instance (one per thread) that talks to the same Redis location."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.down = False
        self.missed_writes = False
        self.watcher: threading.Thread | None = None

    def miss_write(self, cache: TolerantRedisCache) -> None:
        """A write was dropped: make sure someone notices when Redis is back, even without traffic."""
        with self.lock:
            self.missed_writes = True
            if self.watcher is None or not self.watcher.is_alive():
                self.watcher = threading.Thread(
                    target=self._watch, args=(cache,), name="redis-recovery", daemon=True
                )
                self.watcher.start()

    def _watch(self, cache: TolerantRedisCache) -> None:
        while self.missed_writes and _circuits.get(cache._location) is self:
            time.sleep(max(cache.retry_after, 0.5))
            cache.ping()  # closes the circuit (and runs the callbacks) once Redis answers

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, location: str, error: BaseException, retry_after: float) -> None:
        with self.lock:
            self.open_until = time.monotonic() + retry_after
            if not self.down:
                self.down = True
                logger.warning(
                    "Redis at %s is unavailable (%s: %s); serving without the cache, retrying every %.0f s.",
                    location,
                    type(error).__name__,
                    error,
                    retry_after,
                )

    def close(self, location: str) -> None:
        if self.down:
            with self.lock:
                if self.down:
                    self.down = False
                    logger.warning("Redis at %s answers again; the cache is back.", location)
        if self.missed_writes:
            with self.lock:
                recovered, self.missed_writes = self.missed_writes, False
            if recovered:
                _run_recovery_callbacks()


_circuits: dict[str, _Circuit] = {}
_circuits_lock = threading.Lock()


def _circuit_for(location: str) -> _Circuit:
    with _circuits_lock:
        return _circuits.setdefault(location, _Circuit())


def _tolerant(fallback, *, writes: bool = False):
    """Run the cache call; when Redis is unavailable, return `fallback(*args, **kwargs)` instead
    (and, for a write, remember to run the recovery callbacks once Redis is back)."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._circuit.is_open():
                if writes:
                    self._circuit.miss_write(self)
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                self._drop_connections()
                self._circuit.trip(self._location, error, self.retry_after)
                if writes:
                    self._circuit.miss_write(self)
                return fallback(*args, **kwargs)
            except ResponseError as error:
                # A full Redis under `maxmemory-policy noeviction` refuses writes ("OOM command not
                # allowed"); reads still work, so only this call degrades, the circuit stays closed.
                if not str(error).startswith("OOM"):
                    raise
                _warn_out_of_memory(self._location)
                return fallback(*args, **kwargs)
            self._circuit.close(self._location)
            return result

        return wrapper

    return decorate


_last_oom_warning = 0.0


def _warn_out_of_memory(location: str) -> None:
    global _last_oom_warning  # one warning a minute per process, not one per request
    now = time.monotonic()
    if now - _last_oom_warning > 60:
        _last_oom_warning = now
        logger.warning("Redis at %s is full and refuses writes; set maxmemory-policy allkeys-lru.", location)


def _default(key, default=None, version=None):
    return default


def _false(*args, **kwargs):
    return False


def _none(*args, **kwargs):
    return None


def _empty_dict(*args, **kwargs):
    return {}


def _empty_list(*args, **kwargs):
    return []


def _delta(key, delta=1, version=None):
    # As if the counter had just been created: a rate limit fails open rather than failing the request.
    return delta


class ReusedClients(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool.

    Django builds a new `redis.Redis` for every cache call; redis-py 7 fills ~160 response callbacks
    in each, about 0.1 ms of CPU, several times per page. A `redis.Redis` is thread-safe and holds no
    connection itself (the pool does), so one per pool serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    """RedisCache that degrades to "no cache" while Redis is unreachable (see the module docstring)."""

    def __init__(self, server, params):
        params = dict(params)
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        self.retry_after = float(options.pop("retry_after", 5))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClients
        self._location = ",".join(self._servers)
        self._circuit = _circuit_for(self._location)

    def _drop_connections(self) -> None:
        """Forget pooled sockets so the next attempt after the circuit reopens connects afresh."""
        try:
            for pool in self._cache._pools.values():
                pool.disconnect()
        except Exception:  # noqa: S110 - best effort: the pool may be half-built
            pass

    def ping(self) -> bool:
        """True when Redis answers right now (ignores the circuit, used by /sehat/)."""
        try:
            answered = bool(self._cache.get_client(write=True).ping())
        except UNAVAILABLE as error:
            self._drop_connections()
            self._circuit.trip(self._location, error, self.retry_after)
            return False
        self._circuit.close(self._location)
        return answered

    @_tolerant(_false, writes=True)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_tolerant(_default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_tolerant(_none, writes=True)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_tolerant(_false, writes=True)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_tolerant(_false, writes=True)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_tolerant(_empty_dict)
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_tolerant(_false)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_tolerant(_delta, writes=True)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_tolerant(_empty_list, writes=True)
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_tolerant(_none, writes=True)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_tolerant(_false)
    def clear(self):
        return super().clear()
