import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections

from ovop import settings as project_settings
from tests.conftest import on_postgres


@pytest.mark.parametrize("value", ["maybe", "2", "tru"])
def test_a_malformed_boolean_stops_start_up_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        project_settings.env_bool("DJANGO_DEBUG", True)


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("off", False), ("Yes", True), ("", False)])
def test_booleans_accept_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("DJANGO_DEBUG", value)
    assert project_settings.env_bool("DJANGO_DEBUG", True) is expected


def test_a_malformed_integer_stops_start_up(monkeypatch):
    monkeypatch.setenv("ORDER_PAYMENT_HOURS", "24h")
    with pytest.raises(ImproperlyConfigured, match="ORDER_PAYMENT_HOURS"):
        project_settings.env_int("ORDER_PAYMENT_HOURS", 24, minimum=1)


def test_postgres_url_is_parsed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://ovop:rahasia%21@db.internal:6543/ovop?sslmode=require")
    db = project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")
    assert db["ENGINE"] == "ovop.postgresql"  # Django's, its health check cheaper (ovop/postgresql/)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "ovop",
        "rahasia!",
        "db.internal",
        "6543",
        "ovop",
    )
    # Prepared statements on (issue 17): psycopg prepares only with server-side binding. And the
    # planner told that the tables are in memory (random_page_cost), when connecting.
    assert db["OPTIONS"] == {
        "sslmode": "require",
        "server_side_binding": True,
        "prepare_threshold": 5,
        "options": "-c random_page_cost=1.1",
    }


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://ovop@pgbouncer.internal:6432/ovop?sslmode=require")
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "0")
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", "")  # PgBouncer refuses startup options
    db = project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")
    assert db["OPTIONS"] == {"sslmode": "require"}


def test_the_page_cost_can_be_changed_and_the_urls_own_options_come_after_it(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://ovop@db/ovop?options=-c%20statement_timeout%3D5000")
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", " 2 ")
    db = project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")
    assert db["OPTIONS"]["options"] == "-c random_page_cost=2 -c statement_timeout=5000"


@pytest.mark.parametrize("value", ["cheap", "0", "-1", "nan", "inf"])
def test_a_page_cost_that_is_not_a_positive_number_stops_start_up(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", "postgres://ovop@db/ovop")
    monkeypatch.setenv("DATABASE_RANDOM_PAGE_COST", value)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_RANDOM_PAGE_COST"):
        project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")


@pytest.mark.parametrize("value", ["mysql://x@y/z", "postgres://host-only", "postgres:///nohost", "nonsense"])
def test_an_unsupported_database_url_names_the_accepted_forms(monkeypatch, value):
    monkeypatch.setenv("DATABASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match=r"DATABASE_URL.*postgres://"):
        project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")


def test_a_redis_url_must_be_a_redis_url(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://127.0.0.1:6379")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        project_settings.redis_url("REDIS_URL")


def test_secret_key_is_required_without_debug():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import ovop.settings"],
        env={"DJANGO_DEBUG": "0", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=project_settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(not on_postgres(), reason="a PostgreSQL connection's setting")
def test_postgresql_plans_for_tables_held_in_memory_on_every_connection():
    # With the server's default of 4 a page of 24 cards read every producer to join them.
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.skipif(on_postgres(), reason="a SQLite connection's setting")
def test_sqlite_reads_the_database_file_mapped_in_memory_on_every_connection(tmp_path, django_db_blocker):
    # Through SQLite's 2 MB page cache a search reading a thousand products copied page after page
    # in with read() calls; mapped, it reads them in place (3.5 -> 2.2 ms for `kopi`). The tests'
    # own database lives in memory, where nothing is mapped: a file opened as the site opens it.
    site = connections["default"]
    on_file = site.__class__({**site.settings_dict, "NAME": str(tmp_path / "site.sqlite3")}, "probe")
    try:
        with django_db_blocker.unblock(), on_file.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            assert cursor.fetchone()[0] == project_settings.SQLITE_MMAP_BYTES > 0
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        on_file.close()
