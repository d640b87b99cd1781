import pytest
from django.conf import settings
from django.utils import translation

# tests/bench holds scripts (benchmarks, load tests) run by `make bench`/`make loadtest`: never tests,
# whatever their file or function names.
collect_ignore = ["bench"]


@pytest.fixture(autouse=True)
def _isolated_media(tmp_path, settings):
    """Uploads and generated images go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _no_health_answer_to_reuse():
    """Each test's /sehat/ checks for real, as a new server process's first probe does (the health
    check reuses a healthy answer for a second: ovop/health.py)."""
    from ovop.health import _LastHealthy

    _LastHealthy.forget()
    yield
    _LastHealthy.forget()


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request to /en/ leaves English active in the thread; the next test starts in Indonesian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def end_on_the_server(backend_pid: int) -> None:
    """PostgreSQL ends one connection, as a restart or an idle kill does, through a connection of its
    own; returns once that backend is gone (not while it is still ending)."""
    import psycopg
    from django.db import connection

    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid]).fetchone() == (True,)
