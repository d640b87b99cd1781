"""django-oscar as the peer of the request benchmark (issue 17): the same 10,000 products in oscar's shop.

Used by bench_requests.py (its --peer rows); also runs alone, to try the peer by hand:

    .venv/bin/python tests/bench/oscar_peer.py [--products 10000] [--port 8183]   # serves until Ctrl-C

On first use django-oscar (pinned, with the sorl-thumbnail extra its docs install), Django and gunicorn
of the versions this project runs, go into their own virtualenv under .bench-peers/oscar/ (gitignored);
oscar never becomes a dependency of the project. The shop is oscar's "Building your own shop" set-up
as its documentation gives it, nothing tuned: `from oscar.defaults import *`, its apps, middleware,
context processors and e-mail auth backend, SQLite with ATOMIC_REQUESTS as the docs' example, DEBUG
off, ALLOWED_HOSTS 127.0.0.1, Django's default cache (local memory in each worker), oscar's default
thumbnailer (sorl-thumbnail). One choice the docs leave open: the search engine. Oscar 4's /catalogue/
is a Haystack faceted search view; the docs' "basic search", Haystack's simple backend, lists no
product there (oscar's browse filters on is_public and structure become words to look for), so the
peer uses what oscar's own sandbox and test suite use, Whoosh (pure Python, a file index, built with
Haystack's update_index after seeding). Served by gunicorn with N sync workers, its defaults otherwise.

The data: one product class, one partner, a tree of 10 categories (2 roots of 4 children each), and
10,000 public standalone products, each in one category with one stock record (a price, 100 in stock),
so oscar's default strategy shows every one as available at its price. Rows go in with bulk_create;
the category tree is built through treebeard (add_root/add_child), so it needs no rebuild; the search
index is built once all rows are in.

Expect failed answers on the product page under load: oscar counts every product view in its
analytics tables (an UPDATE per request), and with the docs' ATOMIC_REQUESTS on SQLite concurrent
requests fail with "database is locked". That is oscar as documented; the table shows the count.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import serving  # tests/bench/serving.py: this folder is on the path of every benchmark script

ROOT = Path(__file__).resolve().parents[2]
VERSION = "4.2.1"
LABEL = f"django-oscar {VERSION}"
#: The search engine of oscar's sandbox and of its test suite (its "test" extra pins Whoosh<2.8).
WHOOSH = "Whoosh==2.7.4"
PEER = ROOT / ".bench-peers" / "oscar"
VENV = PEER / "venv"
PROJECT = PEER / "frobshop"
PYTHON = VENV / "bin" / "python"
GUNICORN = VENV / "bin" / "gunicorn"


class Unavailable(Exception):
    """The peer could not be installed, seeded or served (no network, a failed build): skip its rows."""


def requirements() -> list[str]:
    """Oscar pinned; Django and gunicorn at this project's versions, so the peer runs the same framework."""
    return [
        f"django-oscar[sorl-thumbnail]=={VERSION}",
        f"Django=={importlib.metadata.version('django')}",
        f"gunicorn=={importlib.metadata.version('gunicorn')}",
        WHOOSH,
    ]


def install() -> float | None:
    """The virtualenv, only when missing or of other pins; the seconds it took, or None when it was there."""
    marker = VENV / "bench-requirements.txt"
    wanted = "\n".join(requirements())
    if PYTHON.exists() and marker.exists() and marker.read_text() == wanted:
        return None
    print(f"Installing {LABEL} into {VENV} (first use) ...", flush=True)
    started = time.perf_counter()
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(VENV)],
        [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements()],
    ]
    for step in steps:
        try:
            result = subprocess.run(step, capture_output=True, text=True, timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise Unavailable(f"{' '.join(step[:4])} ...: {error}") from error
        if result.returncode != 0:
            lines = [line for line in result.stderr.splitlines() if not line.startswith("WARNING")]
            raise Unavailable(f"{' '.join(step[:4])} ... failed: {' | '.join(lines[-4:])}")
    marker.write_text(wanted)
    return time.perf_counter() - started


# --- the oscar project (written on every run, so it always matches this file) --------------------------

SETTINGS = '''"""Oscar's "Building your own shop" settings (oscar 4 docs), DEBUG off, nothing tuned."""
import os
from pathlib import Path

from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ["OSCAR_BENCH_DATA"])
SECRET_KEY = os.environ["OSCAR_BENCH_SECRET"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
]
SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
ROOT_URLCONF = "frobshop.urls"
WSGI_APPLICATION = "frobshop.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]
AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "oscar.sqlite3",
        "ATOMIC_REQUESTS": True,
    }
}
# Oscar's sandbox engine. Not the docs' "basic search" SimpleEngine: oscar's browse view filters on
# is_public and structure, which the simple backend turns into words to look for, so it lists nothing.
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": DATA_DIR / "whoosh_index",
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
'''

URLS = """from django.apps import apps
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
"""

WSGI = """import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frobshop.settings")
application = get_wsgi_application()
"""

SEED = '''"""Migrate, seed N products, print the addresses to measure as JSON (the last line)."""
import json
import sys
from decimal import Decimal

import django

django.setup()
from django.core.management import call_command
from django.db import transaction
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

count = int(sys.argv[1])
call_command("migrate", verbosity=0)
with transaction.atomic():
    kind = ProductClass.objects.create(name="Produk", slug="produk", requires_shipping=True, track_stock=True)
    partner = Partner.objects.create(name="Produsen NTT", code="produsen-ntt")
    roots = [Category.add_root(name=name) for name in ("Makanan", "Kerajinan")]
    leaves = [root.add_child(name=f"{root.name} {i}") for root in roots for i in range(1, 5)]
    Product.objects.bulk_create(
        (
            Product(
                structure="standalone",
                title=f"Produk {i:05d}",
                slug=f"produk-{i:05d}",
                description=f"Produk nomor {i} dari Nusa Tenggara Timur.",
                product_class=kind,
                is_public=True,
                upc=f"NTT{i:08d}",
            )
            for i in range(count)
        ),
        batch_size=500,
    )
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    ProductCategory.objects.bulk_create(
        (ProductCategory(product_id=pk, category=leaves[n % len(leaves)]) for n, pk in enumerate(ids)),
        batch_size=500,
    )
    StockRecord.objects.bulk_create(
        (
            StockRecord(
                partner=partner,
                product_id=pk,
                partner_sku=f"SKU{pk:08d}",
                price=Decimal(5 + n % 95),
                num_in_stock=100,
            )
            for n, pk in enumerate(ids)
        ),
        batch_size=500,
    )
call_command("update_index", verbosity=0)  # the bulk inserts sent no signals to Haystack

from oscar.apps.search.facets import base_sqs  # noqa: E402 - needs the apps loaded

product = Product.objects.order_by("pk").first()
print(json.dumps({
    "listed": base_sqs().count(),
    "addresses": {"catalogue": "/catalogue/", "product": product.get_absolute_url()},
    "products": Product.objects.count(),
    "categories": Category.objects.count(),
    "stockrecords": StockRecord.objects.count(),
    "django": django.get_version(),
}))
'''

MANAGE = """import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frobshop.settings")
from django.core.management import execute_from_command_line

execute_from_command_line(sys.argv)
"""


def write_project() -> None:
    package = PROJECT / "frobshop"
    package.mkdir(parents=True, exist_ok=True)
    files = {
        PROJECT / "manage.py": MANAGE,
        PROJECT / "seed_oscar.py": SEED,
        package / "__init__.py": "",
        package / "settings.py": SETTINGS,
        package / "urls.py": URLS,
        package / "wsgi.py": WSGI,
    }
    for path, text in files.items():
        path.write_text(text)


def peer_env(data: Path) -> dict[str, str]:
    """Only what oscar's processes need: none of the shop's DJANGO_*, DATABASE_URL or REDIS_URL."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="frobshop.settings",
        OSCAR_BENCH_DATA=str(data),
        OSCAR_BENCH_SECRET=(data / "secret").read_text(),
        PYTHONPATH=str(PROJECT),
    )
    return env


def prepare(data: Path, products: int) -> dict:
    """Install (first use), write the project, migrate, seed and index into `data` (a fresh folder).

    Returns {"addresses": {"catalogue": ..., "product": ...}, "products": n, "listed": n, "django":
    version, "install_seconds": s or None, "seed_seconds": s, "reused": folder or None}; raises
    Unavailable when any step fails. Seeding and indexing take minutes (oscar's search index asks the
    database for each product's price and stock), so the result is kept under .bench-peers/oscar/ and
    copied on later runs while this file, the pins and the product count stay the same."""
    install_seconds = install()
    write_project()
    data.mkdir(parents=True, exist_ok=True)
    (data / "secret").write_text(secrets.token_urlsafe(50))
    started = time.perf_counter()
    key = hashlib.sha256("\n".join([SEED, SETTINGS, *requirements()]).encode()).hexdigest()[:12]
    kept = PEER / f"seeded-{products}-{key}"
    if (kept / "seeded.json").exists():
        shutil.copy2(kept / "oscar.sqlite3", data / "oscar.sqlite3")
        shutil.copytree(kept / "whoosh_index", data / "whoosh_index")
        seeded = json.loads((kept / "seeded.json").read_text())
        seeded.update(
            install_seconds=install_seconds, seed_seconds=time.perf_counter() - started, reused=kept
        )
        return seeded
    result = subprocess.run(
        [str(PYTHON), str(PROJECT / "seed_oscar.py"), str(products)],
        cwd=PROJECT,
        env=peer_env(data),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise Unavailable(f"seeding failed: {result.stderr[-1500:]}")
    seeded = json.loads(result.stdout.splitlines()[-1])
    for old in PEER.glob(f"seeded-{products}-*"):  # of an earlier version of this file or the pins
        shutil.rmtree(old, ignore_errors=True)
    kept.mkdir()
    shutil.copy2(data / "oscar.sqlite3", kept / "oscar.sqlite3")
    shutil.copytree(data / "whoosh_index", kept / "whoosh_index")
    (kept / "seeded.json").write_text(json.dumps(seeded))
    seeded.update(install_seconds=install_seconds, seed_seconds=time.perf_counter() - started, reused=None)
    return seeded


@contextlib.contextmanager
def serve(data: Path, port: int, workers: int, log: Path):
    """Oscar under gunicorn: N sync workers on a loopback port, gunicorn's defaults otherwise."""
    command = [
        str(GUNICORN),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "frobshop.wsgi",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=PROJECT,
            env=peer_env(data),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            serving.wait_until_answering(base, process, log, timeout=90)
        except serving.ServerDidNotStart as error:
            raise Unavailable(f"gunicorn: {error}") from error
        yield base
    finally:
        serving.stop(process)


def describe(seeded: dict, workers: int) -> str:
    """Oscar's configuration, for the lines that quote its figures."""
    return (
        f"{LABEL} on Django {seeded['django']}, SQLite, DEBUG off, gunicorn {workers} sync workers, "
        "default cache settings (local memory), Haystack with Whoosh (oscar's sandbox search)"
    )


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Serve django-oscar with N seeded products, until Ctrl-C.")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8183)
    parser.add_argument("--workers", type=int, default=5)
    options = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="ovop-bench-oscar-"))
    try:
        seeded = prepare(data, options.products)
        print(json.dumps(seeded, default=str))
        with serve(data, options.port, options.workers, data / "gunicorn.log") as base:
            print(
                f"{describe(seeded, options.workers)}: {base}{seeded['addresses']['catalogue']}", flush=True
            )
            # Ctrl-C or a plain kill: both end here, so gunicorn is stopped and the folder removed.
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, signal.default_int_handler)
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
    except Unavailable as error:
        sys.exit(f"{LABEL} unavailable: {error}")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
