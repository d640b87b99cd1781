#!/usr/bin/env python
"""Two revisions of the shop side by side under the same load (issue 17): this checkout against --base.

    .venv/bin/python tests/bench/bench_ab.py --base a803db6
    .venv/bin/python tests/bench/bench_ab.py --base a803db6 --database-url postgres://postgres@127.0.0.1:5432/ovop_ab

Not a pytest test: it prints figures. On a shared machine the speed of everything drifts by a fifth
within minutes, more than most single changes move a page: two runs of bench_requests.py minutes
apart cannot tell a gain of 10% from the drift. Here both revisions serve at once, from one database
(seeded as bench_requests.py seeds it, by this checkout: the two must share its schema), each under
gunicorn with ovop/gunicorn.conf.py and the same sync workers, with the fragment cache off (the cold
pages), and the load (`wrk -t2 -c16`, as bench_requests.py) alternates between them page by page,
round after round. Printed: each page's requests a second, the median of the rounds, for each
revision, and the change. The base revision is checked out in a temporary git worktree.
"""

from __future__ import annotations

import argparse
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_requests
import serving

ROOT = bench_requests.ROOT
PYTHON = bench_requests.PYTHON
#: (row, address key): the cold pages of bench_requests.py
PAGES = [
    ("/produk/, cold", "catalogue"),
    ("/produk/?kategori=…, cold", "category"),
    ("/produk/?q=kopi, cold", "search"),
    ("/kabupaten/<slug>/, cold", "regency"),
    ("/produk/<slug>/, cold", "product"),
]
#: Other cold pages, compared with --pages (their address keys, as bench_requests.py seeds them).
OTHER_PAGES = [
    ("/ (home), cold", "home"),
    ("/umkm/<slug>/, cold", "producer"),
    ("/desa/<code>/, cold", "village"),
    ("/produk/?bintang=5 (none), cold", "nothing"),
]


def checkout(revision: str, folder: Path) -> str:
    """The revision in a worktree of its own; returns its short commit name."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision],
        check=True,
        capture_output=True,
    )
    return git_name(folder)


def git_name(folder: Path) -> str:
    """The short commit name, with "+" when the checkout has changes not committed."""

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(folder), *args], check=True, capture_output=True, text=True
        ).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+" if git("status", "--porcelain") else "")


def serve(tree: Path, env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    """gunicorn serving the shop of `tree` (its code, its static files) on a loopback port."""
    server_env = {
        **env,
        "PYTHONPATH": str(tree),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    collected = subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=tree,
        env=server_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if collected.returncode != 0:
        sys.exit(f"collectstatic in {tree} failed:\n{collected.stderr[-3000:]}")
    command = [str(bench_requests.GUNICORN), "--config", "ovop/gunicorn.conf.py", "ovop.wsgi"]
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=tree, env=server_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        serving.wait_until_answering(f"http://127.0.0.1:{port}", process, log, timeout=60)
    except serving.ServerDidNotStart as error:
        serving.stop(process)
        sys.exit(f"gunicorn in {tree}: {error}")
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the revision to compare this checkout with")
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per page and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database (dropped)")
    known = {key: row for row, key in PAGES + OTHER_PAGES}
    parser.add_argument(
        "--pages",
        default=",".join(key for _row, key in PAGES),
        help=f"pages to compare, comma-separated (default: bench_requests.py's): {', '.join(known)}",
    )
    options = parser.parse_args()
    unknown = [key for key in options.pages.split(",") if key not in known]
    if unknown:
        parser.error(f"--pages: unknown {', '.join(unknown)}; known: {', '.join(known)}")
    pages = [(known[key], key) for key in options.pages.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="ovop-bench-ab-"))
    (workdir / "secret").write_text(secrets.token_urlsafe(50))
    database_url = options.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    base_tree = workdir / "base"
    processes: list[subprocess.Popen] = []
    try:
        base_name = checkout(options.base, base_tree)
        head_name = git_name(ROOT)
        bench_requests.prepare_database(database_url)
        env = bench_requests.shop_env(workdir, database_url, fragment_seconds=0, redis=False)
        seeded = bench_requests.run(
            [str(PYTHON), str(Path(bench_requests.__file__)), "--seed-here", str(options.products)], env
        )
        addresses = json.loads(seeded.splitlines()[-1])["addresses"]
        servers = {}
        for offset, (name, tree) in enumerate(((base_name, base_tree), (head_name, ROOT))):
            port = bench_requests.FIRST_PORT + 10 + offset
            processes.append(serve(tree, env, port, options.workers, workdir / f"{name}.log"))
            servers[name] = f"http://127.0.0.1:{port}"
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        print(
            f"\nRequests a second, cold pages, {engine}, {options.products:,} products: {base_name} (--base) "
            f"and {head_name} (this checkout) served at once, gunicorn {options.workers} sync workers "
            f"each, wrk -t2 -c{options.connections} -d{options.duration}s on one at a time, alternating, "
            f"{options.rounds} rounds; median of the rounds\n"
        )
        rates: dict[tuple[str, str], list[float]] = {}
        for _round in range(options.rounds):
            for _row, key in pages:
                for name, base in servers.items():
                    url = base + addresses[key]
                    rate, bad = bench_requests.load(url, options.duration, options.connections)
                    if bad:
                        sys.exit(f"{name} {addresses[key]}: {bad} failed answers")
                    rates.setdefault((name, key), []).append(rate)
        print(f"{'page':<34}{base_name:>12}{head_name:>12}{'change':>10}")
        for row, key in pages:
            before = statistics.median(rates[(base_name, key)])
            after = statistics.median(rates[(head_name, key)])
            print(f"{row:<34}{before:>12,.0f}{after:>12,.0f}{(after / before - 1) * 100:>+9.0f}%")
    finally:
        for process in processes:
            serving.stop(process)
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], capture_output=True
        )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
