"""Production settings pass Django's deployment checklist, and refuse to start when they would not."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR


def production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "REDIS_", "SERVE_")) and key != "DATABASE_URL"
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="beliprodukntt.id,www.beliprodukntt.id",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {
            "DATABASE_URL": "postgres://ovop:rahasia@db.internal:5432/ovop",
            "REDIS_URL": "redis://cache:6379/0",
        },
        {"EMAIL_HOST": "smtp.example.org", "EMAIL_HOST_USER": "toko", "EMAIL_HOST_PASSWORD": "x"},
    ],
    ids=["minimal", "postgres-and-redis", "smtp"],
)
def test_check_deploy_reports_nothing_under_production_settings(extra):
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_env(**extra))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_turn_on_every_transport_protection():
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_PROXY_SSL_HEADER, s.SECURE_REDIRECT_EXEMPT, s.X_FRAME_OPTIONS, "
        "s.STORAGES['staticfiles']['BACKEND'], s.MAILERS['default']['BACKEND'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "['^sehat/$']",
        "DENY",
        "ovop.static_storage.StaticStorage",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


@pytest.mark.parametrize(
    "key",
    ["short-key", "a" * 60, "django-insecure-" + secrets.token_urlsafe(50)],
    ids=["short", "one-character", "django-insecure"],
)
def test_a_weak_secret_key_stops_production_start_up(key):
    result = manage("check", env=production_env(DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_redis_url_wires_the_tolerant_cache_and_database_backed_sessions():
    code = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE)"
    result = manage(
        "shell", "--no-imports", "-c", code, env=production_env(REDIS_URL="redis://127.0.0.1:6379/7")
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "ovop.cache.TolerantRedisCache",
        # Never cached_db: a cached copy could outlive a logout or an emptied cart (issue 10, item 9).
        "django.contrib.sessions.backends.db",
    ]


def test_the_language_cookie_is_secure_in_production_like_the_session_cookie():
    code = (
        "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "True"]
