import pytest
from django.core.exceptions import ImproperlyConfigured

from ovop import settings as project_settings


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
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "ovop",
        "rahasia!",
        "db.internal",
        "6543",
        "ovop",
    )
    # Prepared statements on (issue 17): psycopg prepares only with server-side binding.
    assert db["OPTIONS"] == {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_pooler_that_cannot_keep_them(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://ovop@pgbouncer.internal:6432/ovop?sslmode=require")
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "0")
    db = project_settings.database_from_url("DATABASE_URL", project_settings.BASE_DIR / "x.sqlite3")
    assert db["OPTIONS"] == {"sslmode": "require"}


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
