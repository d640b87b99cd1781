"""Settings for Beli Produk NTT, read from the environment.

Every variable goes through one of the small helpers below, which refuse a malformed value with
ImproperlyConfigured naming the variable and the forms it accepts, so a typo in a deployment stops
start-up instead of silently running with a default.
"""

from __future__ import annotations

import datetime
import math
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_cost(name: str, default: float) -> float | None:
    """A positive number (a PostgreSQL planner cost), or None when set empty: the server's own."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip() == "":
        return None
    try:
        value = float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number; use e.g. 1.1, or empty.") from None
    if not (math.isfinite(value) and value > 0):
        raise ImproperlyConfigured(f"{name}={raw!r} must be a positive number.")
    return value


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(name: str, default_sqlite: Path) -> dict:
    """DATABASE_URL: postgres://user:password@host:port/dbname, or sqlite:///absolute/path."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": default_sqlite}
    accepted = "postgres://USER:PASSWORD@HOST:PORT/NAME (or postgresql://) or sqlite:///PATH"
    url = urlsplit(raw)
    if url.scheme in {"postgres", "postgresql", "pgsql"}:
        dbname = unquote(url.path.lstrip("/"))
        if not dbname or not url.hostname:
            raise ImproperlyConfigured(f"{name} needs a host and a database name; use {accepted}.")
        try:
            port = url.port
        except ValueError:
            raise ImproperlyConfigured(f"{name} has a bad port; use {accepted}.") from None
        options = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            # The storefront sends the same SQL again and again (catalogue/compiled.py), and
            # PostgreSQL parsed and planned it anew each time: 0.5 ms for a product with its places,
            # more than running it. psycopg prepares a statement on its connection once it has run
            # five times, with server-side binding only (issue 17). Turn off behind a pooler in
            # transaction mode that cannot keep prepared statements (PgBouncer before 1.21).
            options = {"server_side_binding": True, "prepare_threshold": 5, **options}
        if (page_cost := env_cost("DATABASE_RANDOM_PAGE_COST", 1.1)) is not None:
            # The catalogue's tables fit in memory many times over, where reading a page by an index
            # costs about what reading the next page does. With PostgreSQL's default of 4 (a disk's
            # seek) the planner read all 3,442 producers to join a page of 24 cards (1.05 ms against
            # 0.6 ms by their keys) and every village to list one regency's (0.78 against 0.39 ms).
            # Sent when connecting; an `options` of the URL comes after, so it can say otherwise.
            # Empty: the server's own (behind a pooler that refuses startup options, PgBouncer
            # unless told to ignore them, set it on the database: ALTER DATABASE … SET).
            given = options.get("options", "")
            options["options"] = f"-c random_page_cost={page_cost:g} {given}".strip()
        return {
            # Django's, with a health check that asks the server only when needed (ovop/postgresql).
            "ENGINE": "ovop.postgresql",
            "NAME": dbname,
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname,
            "PORT": str(port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    if url.scheme == "sqlite":
        path = unquote(url.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"{name} needs a file path; use {accepted}.")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    raise ImproperlyConfigured(f"{name}={raw!r} is not understood; use {accepted}.")


def redis_url(name: str) -> str:
    raw = env_str(name)
    if raw and urlsplit(raw).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"{name}={raw!r} must start with redis://, rediss:// or unix://.")
    return raw


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-key-never-used-in-production"  # noqa: S105
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for production: use at least 50 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ovop.apps.OvopAdminConfig",  # the admin: guarded "view on site", admin modules loaded on first use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "import_export",
    "axes",
    "django_tasks_db",
    "villages",
    "catalogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Response-only; this high, it also covers the answers that the layers below give early.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "ovop.health.HealthCheckMiddleware",  # /sehat/ answered here, past sessions, locale, CSRF and auth
    "ovop.middleware.ServiceUnavailableMiddleware",  # DB down -> 503 page; above sessions and auth
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "catalogue.middleware.CsrfSlotMiddleware",  # each visitor's token into cached fragments; after CSRF
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out sign-in into the lock-out page
]

ROOT_URLCONF = "ovop.urls"
WSGI_APPLICATION = "ovop.wsgi.application"
ASGI_APPLICATION = "ovop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ovop.context_processors.site",
                "catalogue.context_processors.public_cache",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
    {
        # The product grid only (catalogue/grid.py): most of a cold catalogue page's rendering.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "catalogue.grid.environment"},
    },
]

DATABASES = {"default": database_from_url("DATABASE_URL", BASE_DIR / "db.sqlite3")}
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL and a busy timeout let the dev server and a management command share the file. Connections
    # are kept between requests, as on PostgreSQL: opening one costs a connect and the PRAGMAs below.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # mmap_size: pages read from the operating system's cache in place, shared by every worker.
        # Through SQLite's own cache (2 MB a connection by default) a search that reads a thousand
        # products scattered over the 14 MB file copied each page in with a read() call: the query
        # for `kopi` took 3.5 ms, 2.2 ms mapped (10,000 products). A limit, not an allocation; the
        # write-ahead log is still read as before, and writes still go through write().
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size={SQLITE_MMAP_BYTES};"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = redis_url("REDIS_URL")
if REDIS_URL:
    # Redis down = cache misses, not errors (ovop/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "ovop.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ovop",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "ovop",
            "TIMEOUT": 300,
        }
    }
# Sessions (the login and the cart) live in the database only, with or without Redis: a cached copy
# could outlive a logout or an emptied cart on an app server that missed the write during a Redis
# outage (issue 10, item 9). One indexed primary-key read per request is cheap.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Makassar"  # WITA, the time of every clock in NTT
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ovop.formats"]  # "29 Nov 2026 18.11" (ovop/formats/id/formats.py)

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Production serves /media/ from nginx (README "Beyond one machine"); SERVE_MEDIA=1 lets gunicorn
# serve it for `make serve` on one machine (ovop/media.py).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Evidence files and certificate scans are personal and official documents: they live outside
# MEDIA_ROOT so no web server serves them directly, and only staff views stream them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "ovop.static_storage.StaticStorage"
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "ovop.views.csrf_failure"  # the Indonesian 403 page, not Django's English one

# Password guessing (django-axes, ovop/lockout.py): a username is locked from one client address after
# AXES_FAILURE_LIMIT failures, for LOGIN_LOCKOUT_MINUTES; Admin PMD unlocks in the admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in before the password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "ovop.lockout.client_address"  # honours RATELIMIT_TRUST_X_FORWARDED_FOR
AXES_LOCKOUT_CALLABLE = "ovop.lockout.page"
AXES_DISABLE_ACCESS_LOG = True  # keep failures only: no log of every successful sign-in and its address

# Content-Security-Policy, enforced: nothing but this site, scripts and styles only with the nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language switcher's cookie like the others: never read by scripts, not sent from other sites.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token travels in hx-headers on <body>
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Mail: the console locally; SMTP when EMAIL_HOST is set (Django 6.1's MAILERS setting). In production
# without EMAIL_HOST, SMTP to the machine's own MTA (localhost:25), never silently to the console;
# DJANGO_EMAIL_CONSOLE=1 keeps the console for a local production-like try (`make serve`).
if env_str("EMAIL_HOST") or (not DEBUG and not env_bool("DJANGO_EMAIL_CONSOLE", False)):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost") or "localhost",
                "port": env_int("EMAIL_PORT", 587 if env_str("EMAIL_HOST") else 25, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", bool(env_str("EMAIL_HOST"))),
                # A mail server that hangs must not hold a worker: the task retries later.
                "timeout": env_int("EMAIL_TIMEOUT", 10, minimum=1),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Beli Produk NTT <noreply@beliprodukntt.id>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ORDER_INBOX_EMAIL = env_str("ORDER_INBOX_EMAIL", "pesanan@beliprodukntt.id")

ORDER_PAYMENT_HOURS = env_int("ORDER_PAYMENT_HOURS", 24, minimum=1)
# Cash (pay on pickup/delivery) parts nobody confirmed within this many hours are cancelled.
COD_CONFIRM_HOURS = env_int("COD_CONFIRM_HOURS", 48, minimum=1)
# Unpaid or unconfirmed orders one WhatsApp number may hold at a time.
MAX_OPEN_ORDERS_PER_CONTACT = env_int("MAX_OPEN_ORDERS_PER_CONTACT", 3, minimum=1)
CHECKOUT_RATE_LIMIT_PER_MINUTE = env_int("CHECKOUT_RATE_LIMIT_PER_MINUTE", 30, minimum=1)
# Behind a reverse proxy every request comes from the proxy: count visitors by X-Forwarded-For instead.
RATELIMIT_TRUST_X_FORWARDED_FOR = env_bool("RATELIMIT_TRUST_X_FORWARDED_FOR", False)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Producer portal (/produsen/): one-time sign-in links, and how often the sign-in form may be used.
PRODUCER_LINK_MINUTES = env_int("PRODUCER_LINK_MINUTES", 30, minimum=1)
PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE = env_int("PRODUCER_SIGNIN_RATE_LIMIT_PER_MINUTE", 5, minimum=1)
PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS = env_int("PRODUCER_SIGNIN_LOCKOUT_ATTEMPTS", 5, minimum=1)
PRODUCER_SIGNIN_LOCKOUT_MINUTES = env_int("PRODUCER_SIGNIN_LOCKOUT_MINUTES", 15, minimum=1)
# Public page fragments (product grids, region listings, the product page body) in the cache, seconds;
# 0 turns them off (catalogue/caching.py). Off by default in production without Redis: each gunicorn
# worker would have its own local-memory cache, and an edit would invalidate only one of them.
# /sehat/ reuses a healthy answer this long in each process (ovop/health.py); 0 checks every time.
HEALTH_CHECK_REUSE_SECONDS = env_int("HEALTH_CHECK_REUSE_SECONDS", 1)
PUBLIC_FRAGMENT_CACHE_SECONDS = env_int("PUBLIC_FRAGMENT_CACHE_SECONDS", 600 if REDIS_URL or DEBUG else 0)

# Background work (README "Background work"). TASK_QUEUE=database: tasks are rows in the database
# (django-tasks-db), run by `manage.py run_worker` on any machine, and survive every restart;
# TASK_QUEUE=immediate: a task runs inside the call that enqueues it (development and tests).
TASK_QUEUE = env_str("TASK_QUEUE", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASK_QUEUE not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASK_QUEUE={TASK_QUEUE!r} is not understood; use database or immediate.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASK_QUEUE]}}
# Mail and notification tasks retry with a doubling delay capped at TASK_RETRY_MAX_DELAY seconds,
# for TASK_RETRY_MAX_ATTEMPTS tries (about a day at the cap); then the task shows as failed in the
# admin, where Admin PMD can run it again.
TASK_RETRY_MAX_DELAY = env_int("TASK_RETRY_MAX_DELAY", 60, minimum=1)
TASK_RETRY_MAX_ATTEMPTS = env_int("TASK_RETRY_MAX_ATTEMPTS", 1500, minimum=1)
# Producer notifications (catalogue/orders/notifications.py): the console unless both are set, then the
# WhatsApp Business Cloud API's template messages. WHATSAPP_API_URL is for a local stub in tests.
WHATSAPP_TOKEN = env_str("WHATSAPP_TOKEN")
WHATSAPP_PHONE_ID = env_str("WHATSAPP_PHONE_ID")
WHATSAPP_API_URL = env_str("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
# A worker writes a heartbeat every few seconds; a task left running by a worker silent for longer
# than TASK_WORKER_TIMEOUT seconds (killed, machine gone) is put back in the queue.
TASK_WORKER_TIMEOUT = env_int("TASK_WORKER_TIMEOUT", 30, minimum=5)

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_without_traceback": {"()": "ovop.logfilters.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 is one warning line, never a traceback (it is a refusal, not a fault).
    "loggers": {"django.request": {"filters": ["refusals_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING") or "WARNING"},
}
