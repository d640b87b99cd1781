#!/usr/bin/env python
"""The fixed cost of a request, side by side in one run (issue 17): the shop's pages against the floor.

    make bench-requests                                  # SQLite, 10,000 products, wrk
    .venv/bin/python tests/bench/bench_requests.py [--products 10000] [--duration 10] [--profile]
    .venv/bin/python tests/bench/bench_requests.py --database-url postgres://postgres@127.0.0.1:5432/ovop_h

Not a pytest test: it prints figures. Every server runs under gunicorn with ovop/gunicorn.conf.py and
the same number of sync workers (--workers, 5), production settings (DEBUG off, whitenoise's manifest
storage), on loopback ports (BENCH_PORT, default 8180, and the next four), and the load comes from
`wrk -t2 -c16 -d10s` (apt-get install wrk; without it a small Python load loop stands in, with lower
figures). Rows:

- the floor: a bare Django view, no middleware, no database (tests/bench/floor.py), same gunicorn,
  loaded before the shop's rows and again after them; every share is of the mean of the two draws
  (on a shared machine the floor drifts by a fifth within minutes);
- `/sehat/`, the health check (database and cache round trips);
- cold pages: a server with the fragment cache off (PUBLIC_FRAGMENT_CACHE_SECONDS=0), so every request
  renders from the database: the catalogue, a category, a search, a regency, a product;
- warm pages: a server with the fragment cache in Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/8,
  flushed first; without Redis the local-memory cache of each worker);
- the peer (--peer, the default; --no-peer leaves it out): django-oscar 4.2.1 with the same number of
  products, its catalogue and a product page, same workers, same load (tests/bench/oscar_peer.py: a
  virtualenv of its own under .bench-peers/oscar/, installed on first use; when that fails, e.g. without
  network, the rows are skipped and the run goes on), and our /produk/ over oscar's /catalogue/, cold
  and warm (issue 17: at least 100x).

The data: 10,000 products across the 3,442 villages of NTT (the seeding of bench_storefront.py) in a
throwaway SQLite file, or in the PostgreSQL database of --database-url (dropped and re-created: give a
scratch name). --profile adds where the CPU time of one request goes (cProfile, in this process, through
Django's WSGI handler: what a gunicorn worker runs, minus gunicorn's own socket work).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import oscar_peer
import serving

ROOT = Path(__file__).resolve().parents[2]
BENCH = Path(__file__).resolve().parent
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)
GUNICORN = PYTHON.parent / "gunicorn"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
FIRST_PORT = int(os.environ.get("BENCH_PORT", "8180"))

#: (row, server, address key, target share of the floor or None)
ROWS = [
    ("a bare Django view: the floor", "floor", "floor", None),
    ("/sehat/", "warm", "health", 0.50),
    ("/produk/, cold", "cold", "catalogue", 0.08),
    ("/produk/?kategori=…, cold", "cold", "category", 0.06),
    ("/produk/?q=kopi, cold", "cold", "search", 0.06),
    ("/kabupaten/<slug>/, cold", "cold", "regency", 0.06),
    ("/produk/<slug>/, cold", "cold", "product", 0.12),
    ("/produk/, warm", "warm", "catalogue", 0.25),
    ("/produk/?q=kopi, warm", "warm", "search", 0.25),
    ("/kabupaten/<slug>/, warm", "warm", "regency", 0.25),
    ("/produk/<slug>/, warm", "warm", "product", 0.25),
    ("the floor again, at the end", "floor-again", "floor", None),
]
FLOOR_ROWS = {row for row, server, _key, _target in ROWS if server.startswith("floor")}
#: (row, address key) of the peer's server, oscar
PEER_ROWS = [
    (f"{oscar_peer.LABEL}: /catalogue/", "catalogue"),
    (f"{oscar_peer.LABEL}: product", "product"),
]
#: our catalogue over oscar's, cold and warm (issue 17)
PEER_TARGET = 100
#: Seconds of load for oscar's rows at least: its catalogue takes seconds per answer under load, and wrk
#: counts only the answers that arrive within the window (at -d5s, none at all).
PEER_MIN_SECONDS = 30


# --- the environment of every process ------------------------------------------------------------------


def shop_env(workdir: Path, database_url: str, *, fragment_seconds: int, redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="ovop.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=(workdir / "secret").read_text(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_EMAIL_CONSOLE="1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "private"),
        SERVE_MEDIA="1",
        PUBLIC_FRAGMENT_CACHE_SECONDS=str(fragment_seconds),
        PYTHONPATH=os.pathsep.join([str(ROOT), str(BENCH)]),
    )
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def redis_answers() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).flushdb()
        return True
    except Exception:
        return False


def prepare_database(database_url: str) -> None:
    if not database_url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    admin_url, _, name = database_url.replace("postgres://", "postgresql://", 1).rpartition("/")
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


# --- seeding (runs in a child process with the shop's environment) ----------------------------------------


def seed_here(products: int) -> None:
    """Migrate, seed, and print the addresses to measure as JSON (the last line of output)."""
    import random

    import django

    django.setup()
    from bench_storefront import seed
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from catalogue.models import Category, Product
    from villages.models import Regency

    call_command("migrate", verbosity=0)
    seed(products, random.Random(53))
    if connection.vendor == "sqlite":  # the seeding's write-ahead log folded into the file, as on a live site
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    regency = (
        Regency.objects.annotate(n=Count("districts__villages__producers__products")).order_by("-n").first()
    )
    category = Category.objects.annotate(n=Count("products")).order_by("-n").first()
    product = Product.objects.published().order_by("pk").first()
    addresses = {
        "floor": "/",
        "health": "/sehat/",
        "catalogue": "/produk/",
        "category": f"/produk/?kategori={category.slug}",
        "search": "/produk/?q=kopi",
        "regency": regency.get_absolute_url(),
        "product": product.get_absolute_url(),
        # Not rows of this script's table; bench_ab.py --pages compares them too.
        "home": "/",
        "producer": product.producer.get_absolute_url(),
        "village": product.producer.village.get_absolute_url(),
        "nothing": "/produk/?bintang=5",  # a filter that finds nothing: no product has stars
    }
    print(json.dumps({"addresses": addresses, "products": Product.objects.count()}))


# --- servers ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], port: int, workers: int, log: Path):
    server_env = {
        **env,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    command = [str(GUNICORN), "--config", "ovop/gunicorn.conf.py", "--pythonpath", str(BENCH), app]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        try:
            serving.wait_until_answering(base, process, log, timeout=60)
        except serving.ServerDidNotStart as error:
            sys.exit(f"gunicorn {app}: {error}")
        yield base
    finally:
        serving.stop(process)


# --- load ------------------------------------------------------------------------------------------------


def load(url: str, duration: int, connections: int) -> tuple[float, int]:
    """Requests a second, and how many answers were not 2xx/3xx (or failed)."""
    for _ in range(connections):  # the page once in each worker, before timing
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            response.read()
    wrk = shutil.which("wrk")
    if wrk:
        output = subprocess.run(
            [wrk, "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
        if errors:
            bad += sum(int(n) for n in errors.groups())
        return rate, bad
    return python_load(url, duration, connections)


def python_load(url: str, duration: int, connections: int) -> tuple[float, int]:
    """Without wrk: keep-alive connections from threads (the GIL makes this the bottleneck sooner)."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    counts = [0] * connections
    bad = [0] * connections
    stop = time.monotonic() + duration

    def worker(i: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
                counts[i] += 1
                bad[i] += response.status >= 400
            except OSError:
                bad[i] += 1
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / duration, sum(bad)


# --- profile (runs in a child process with the shop's environment) ---------------------------------------


def profile_here(addresses: dict[str, str], requests: int) -> None:
    """CPU per request of each address through Django's WSGI handler, and where it goes."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()

    def environ(address: str) -> dict:
        path, _, query = address.partition("?")
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }

    def get(address: str) -> None:
        status = []
        body = handler(environ(address), lambda s, headers, exc_info=None: status.append(s))
        b"".join(body)
        body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{address} answered {status[0]}")

    print(f"\nCPU per request in one process (mean of {requests}; fragment cache as this server has it):")
    for name, address in addresses.items():
        if name == "floor":
            continue
        for _ in range(20):
            get(address)
        start = time.process_time()
        for _ in range(requests):
            get(address)
        print(f"  {address:<48}{(time.process_time() - start) / requests * 1000:>8.2f} ms")
    for name in ("health", "product"):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            get(addresses[name])
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(18)
        print(f"\nWhere the time of {addresses[name]} goes (own time, top 18 functions):")
        print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


# --- the run ---------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per row (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (dropped)")
    parser.add_argument("--profile", action="store_true", help="also profile one worker's requests")
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=f"also measure {oscar_peer.LABEL} with as many products (default on)",
    )
    parser.add_argument("--seed-here", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--profile-here", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.seed_here:
        return seed_here(options.seed_here)
    if options.profile_here:
        return profile_here(json.loads(options.profile_here), 300)

    workdir = Path(tempfile.mkdtemp(prefix="ovop-bench-requests-"))
    (workdir / "secret").write_text(secrets.token_urlsafe(50))
    database_url = options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    has_redis = redis_answers()
    try:
        prepare_database(database_url)
        cold_env = shop_env(workdir, database_url, fragment_seconds=0, redis=has_redis)
        warm_env = shop_env(workdir, database_url, fragment_seconds=600, redis=has_redis)
        started = time.perf_counter()
        seeded = json.loads(
            run([str(PYTHON), __file__, "--seed-here", str(options.products)], cold_env).splitlines()[-1]
        )
        run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cold_env)
        addresses = seeded["addresses"]
        seed_seconds = time.perf_counter() - started
        peer = prepare_peer(workdir, options) if options.peer else None
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(
            f"\nRequests a second, {engine}, {seeded['products']:,} products (seeded in "
            f"{seed_seconds:.0f} s), gunicorn {options.workers} sync workers, "
            f"{'wrk' if shutil.which('wrk') else 'a Python load loop'} -t2 -c{options.connections} "
            f"-d{options.duration}s, fragment cache in {'Redis' if has_redis else 'each worker (no Redis)'}; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        results = measure(options, workdir, addresses, cold_env, warm_env)
        peer_results = measure_peer(options, workdir, peer) if peer else []
        report(results + peer_results)
        if peer_results:
            peer_seconds = max(options.duration, PEER_MIN_SECONDS)
            compare(results, peer_results, oscar_peer.describe(peer, options.workers), peer_seconds)
        if options.profile:
            print(
                run([str(PYTHON), __file__, "--profile-here", json.dumps(addresses)], warm_env),
                end="",
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(options, workdir: Path, addresses: dict, cold_env: dict, warm_env: dict) -> list[tuple]:
    results = []
    # The floor before and after the shop's rows: on a shared machine its speed drifts within minutes
    # (one run printed 3,831 a second, the one before it 4,005), and every share moves with it.
    servers = {
        "floor": ("floor:application", cold_env),
        "cold": ("ovop.wsgi", cold_env),
        "warm": ("ovop.wsgi", warm_env),
        "floor-again": ("floor:application", cold_env),
    }
    for offset, (server, (app, env)) in enumerate(servers.items()):
        rows = [row for row in ROWS if row[1] == server]
        port = FIRST_PORT + offset
        with gunicorn(app, env, port, options.workers, workdir / f"{server}.log") as base:
            for label, _server, key, target in rows:
                rate, bad = load(base + addresses[key], options.duration, options.connections)
                results.append((label, rate, bad, target))
    return results


def prepare_peer(workdir: Path, options) -> dict | None:
    """Oscar installed (first use), seeded; None, said why, when it cannot be had."""
    try:
        peer = oscar_peer.prepare(workdir / "oscar", options.products)
    except (oscar_peer.Unavailable, OSError, ValueError, KeyError) as error:  # the shop's rows still count
        print(f"\n{oscar_peer.LABEL} rows skipped: {error}")
        return None
    installed = "" if peer["install_seconds"] is None else f"installed in {peer['install_seconds']:.0f} s, "
    print(
        f"{oscar_peer.LABEL} (Django {peer['django']}): {installed}{peer['products']:,} products, "
        f"{peer['listed']:,} listed by its catalogue, "
        + (
            f"seeded and indexed in {peer['seed_seconds']:.0f} s"
            if peer["reused"] is None
            else f"seeded data copied from {peer['reused'].relative_to(ROOT)} (delete it to seed again)"
        )
    )
    return peer


def measure_peer(options, workdir: Path, peer: dict) -> list[tuple]:
    results = []
    port = FIRST_PORT + 4
    duration = max(options.duration, PEER_MIN_SECONDS)
    try:
        with oscar_peer.serve(workdir / "oscar", port, options.workers, workdir / "oscar.log") as base:
            for label, key in PEER_ROWS:
                rate, bad = load(base + peer["addresses"][key], duration, options.connections)
                results.append((label, rate, bad, None))
    except (oscar_peer.Unavailable, OSError, subprocess.CalledProcessError) as error:
        print(f"\n{oscar_peer.LABEL} rows skipped: {error}")
        return []
    return results


def compare(results: list[tuple], peer_results: list[tuple], peer_description: str, duration: int) -> None:
    """Our /produk/ over oscar's /catalogue/, cold and warm, against the issue's 100x."""
    rates = {label: rate for label, rate, _bad, _target in results}
    _label, theirs, bad, _target = peer_results[0]
    print(f"\nour catalogue / oscar's catalogue ({peer_description}; its rows over {duration}s):")
    if not theirs:
        print("  no ratio: oscar's catalogue gave no answer within the window")
        return
    for state in ("cold", "warm"):
        ratio = rates[f"/produk/, {state}"] / theirs
        verdict = ("ok" if ratio >= PEER_TARGET else "UNDER") + (
            f" (oscar: {bad} failed answers)" if bad else ""
        )
        print(f"  /produk/, {state} / {PEER_ROWS[0][0]}: {ratio:,.0f}x (target >= {PEER_TARGET}x)  {verdict}")


def report(results: list[tuple]) -> None:
    """Each row's share of the floor: the mean of the floor's two draws, before and after."""
    floors = [rate for label, rate, _bad, _target in results if label in FLOOR_ROWS]
    floor = sum(floors) / len(floors)
    print(f"\n{'page':<34}{'req/s':>9}{'of the floor':>14}{'target':>9}  verdict")
    print(f"{'the floor: mean of its two draws':<34}{floor:>9,.0f}{1:>14.1%}")
    for label, rate, bad, target in results:
        share = rate / floor
        verdict = "" if target is None else ("ok" if share >= target else "UNDER")
        if bad:
            verdict += f" ({bad} failed answers)"
        target_text = "" if target is None else f"{target:.0%}"
        rate_text = f"{rate:>9,.1f}" if rate < 10 else f"{rate:>9,.0f}"  # oscar's catalogue: a few a second
        print(f"{label:<34}{rate_text}{share:>14.1%}{target_text:>9}  {verdict}")


if __name__ == "__main__":
    main()
