"""`make loadtest`: the public pages under load, side by side with the trivial /sehat/ endpoint, and a
checkout burst. Against `make serve` (gunicorn, DEBUG off) on PostgreSQL and Redis on this machine.

1. A scratch database (ovop_load) gets the demo data; `make serve` starts on a free 127.0.0.1 port.
2. wrk (Debian's `wrk`: apt-get install wrk), 16 connections, one thread, LOADTEST_SECONDS (10) per
   page after a 2 s warm-up: requests/s and p50/p95/p99 latency. Target per page: at least 30% of
   /sehat/'s requests/s and p95 <= 50 ms, no error answer. PASS/FAIL per line.
3. Checkout burst: 50 buyers at once for the last 10 units of one product. Each buyer: GET the
   product page (session + CSRF token), POST add-to-cart, GET /checkout/ (the one-time key `kunci`),
   then all POST the checkout together. Expected: exactly 10 orders, stock 0, no 5xx; p95 reported.
4. The server is stopped; exit status 0 only when every line passed.

Bounded: loopback only, a fixed number of runs of fixed length, 50 buyers, one burst.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving

CONNECTIONS = 16
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "10"))
WARMUP_SECONDS = 2
MIN_RATIO = 0.30
MAX_P95_MS = 50.0
BUYERS = 50
UNITS = 10

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"status_errors": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


@dataclass
class Figures:
    name: str
    path: str
    rps: float
    p50: float
    p95: float
    p99: float
    errors: int

    @classmethod
    def parse(cls, name: str, path: str, output: str) -> Figures:
        line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
        data = json.loads(line)
        return cls(
            name=name,
            path=path,
            rps=data["requests"] / (data["duration_us"] / 1e6),
            p50=data["p50_us"] / 1000,
            p95=data["p95_us"] / 1000,
            p99=data["p99_us"] / 1000,
            errors=data["status_errors"] + data["socket_errors"],
        )


def wrk(url: str, seconds: int, script: Path) -> str:
    result = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(CONNECTIONS),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "--script",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    return result.stdout


def measure(base: str, pages: dict[str, str], script: Path) -> list[Figures]:
    figures = []
    for name, path in pages.items():
        for _ in range(3):  # one visitor first: lazy per-process work is done before the crowd arrives
            with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310 - loopback
                response.read()
        wrk(base + path, WARMUP_SECONDS, script)
        figures.append(Figures.parse(name, path, wrk(base + path, SECONDS, script)))
        print(f"  measured {name:<22} {figures[-1].rps:8.1f} req/s", flush=True)
    return figures


# ---- checkout burst --------------------------------------------------------------------------------


@dataclass
class Buyer:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    statuses: list[tuple[str, int, float]] = field(default_factory=list)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        html = response.read().decode("utf-8", "replace")
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        self.statuses.append((f"{method} {path.split('?')[0]}", response.status, elapsed))
        return response.status, response.headers.get("Location", ""), html


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(name)}"', html
    )
    if not match:
        raise RuntimeError(f"no field {name!r} in the page")
    return match.group(1)


def checkout_burst(server: serving.Server) -> tuple[bool, list[str]]:
    product = server.shell_json(
        "import json; from catalogue.models import Product; "
        "p = Product.objects.published().filter(producer__qris_payload__gt='').order_by('pk').first(); "
        f"Product.objects.filter(pk=p.pk).update(stock={UNITS}); "
        "print(json.dumps({'id': p.pk, 'path': p.get_absolute_url(), 'name': p.name}))"
    )
    parts = urlsplit(server.base)
    buyers = [Buyer(parts.hostname, parts.port) for _ in range(BUYERS)]
    ready = threading.Barrier(BUYERS, timeout=300)
    checkout_times: list[float] = []
    outcomes: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()

    def shop(buyer: Buyer, number: int) -> None:
        try:
            status, _, html = buyer.request("GET", product["path"])
            assert status == 200, f"product page {status}"
            form = {"csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"), "product": str(product["id"])}
            status, _, _ = buyer.request("POST", "/keranjang/tambah/", {**form, "quantity": "1"})
            assert status in {200, 302, 303}, f"add to cart {status}"
            status, _, html = buyer.request("GET", "/checkout/")
            assert status == 200, f"checkout page {status}"
            order = {
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "kunci": hidden(html, "kunci"),
                "nama": f"Pembeli Uji {number}",
                "whatsapp": f"0812{number:08d}",
                "pengiriman": "ambil",
                "pembayaran": "qris",
                "catatan": "",
            }
        except Exception as error:
            with lock:
                failures.append(f"buyer {number} before checkout: {error}")
            ready.abort()
            return
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            return
        status, location, _ = buyer.request("POST", "/checkout/", order)
        # Placed: a redirect to the order page. Refused: "stok tidak cukup", either a redirect back to
        # the cart with a message or the checkout page again with a 4xx. Anything else is a problem.
        outcome = "placed" if status in {302, 303} and "/pesanan/" in location else "refused"
        with lock:
            outcomes.append((outcome, status))
            checkout_times.append(buyer.statuses[-1][2])
            if outcome == "refused" and not (
                (status in {302, 303} and "/keranjang/" in location) or 400 <= status < 500
            ):
                failures.append(f"buyer {number}: answer {status} {location}")

    threads = [threading.Thread(target=shop, args=(buyer, n)) for n, buyer in enumerate(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    after = server.shell_json(
        "import json; from catalogue.models import Product, Order; "
        f"p = Product.objects.get(pk={product['id']}); "
        "orders = Order.objects.filter(parts__lines__product=p).distinct().count(); "
        "print(json.dumps({'stock': p.stock, 'orders': orders}))"
    )
    every_status = [status for buyer in buyers for (_, status, _) in buyer.statuses]
    server_errors = sum(1 for status in every_status if status >= 500)
    placed = sum(1 for outcome, _ in outcomes if outcome == "placed")
    refused = len(outcomes) - placed
    refusals = sorted({status for outcome, status in outcomes if outcome == "refused"})
    times = sorted(checkout_times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)] * 1000 if times else float("nan")
    p50 = statistics.median(times) * 1000 if times else float("nan")
    passed = (
        not failures
        and after["orders"] == UNITS == placed
        and after["stock"] == 0
        and server_errors == 0
        and len(outcomes) == BUYERS
    )
    lines = [
        f"Checkout burst: {BUYERS} buyers at once for {UNITS} units of {product['name']}",
        f"  orders in the database {after['orders']} (buyers sent to their order page: {placed}), "
        f"refused {refused} (answers {refusals}), stock left {after['stock']}, 5xx answers {server_errors}",
        f"  checkout POST latency p50 {p50:.0f} ms, p95 {p95:.0f} ms (all {BUYERS} posted at once)",
        *[f"  problem: {failure}" for failure in failures[:10]],
        f"  {'PASS' if passed else 'FAIL'}: exactly {UNITS} orders, stock 0, no 5xx",
    ]
    return passed, lines


# ---- report ----------------------------------------------------------------------------------------


def pages_of(server: serving.Server) -> dict[str, str]:
    found = server.shell_json(
        "import json; from catalogue.models import Product; from villages.models import Village; "
        "p = Product.objects.published().with_places().order_by('pk').first(); "
        "v = Village.objects.filter(producers__products__is_published=True).order_by('code').first(); "
        "print(json.dumps({'product': p.get_absolute_url(), 'village': v.get_absolute_url(), "
        "'regency': p.producer.village.district.regency.slug, 'category': p.category.slug}))"
    )
    return {
        "home": "/",
        "catalogue": "/produk/",
        "filtered catalogue": f"/produk/?kabupaten={found['regency']}&urut=harga-naik",
        "product": found["product"],
        "village": found["village"],
    }


def versions(server: serving.Server) -> dict[str, str]:
    import redis

    info = server.shell_json(
        "import json, django; from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW server_version'); "
        "print(json.dumps({'postgres': c.fetchone()[0], 'django': django.get_version()}))"
    )
    info["redis"] = redis.Redis.from_url(serving.REDIS_URL).info("server")["redis_version"]
    info["wrk"] = (
        subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
    )
    workers = os.cpu_count() * 2 + 1 if os.cpu_count() else "?"
    info["gunicorn"] = f"{workers} sync workers"
    return info


def main() -> int:
    serving.require("wrk", "apt-get install wrk (Debian's package)")
    serving.require("make", "apt-get install make")
    script = Path(tempfile.mkdtemp(prefix="ovop-wrk-")) / "report.lua"
    script.write_text(WRK_REPORT)
    extra = {"CHECKOUT_RATE_LIMIT_PER_MINUTE": "100000"}  # the burst comes from one address
    print(
        f"Starting make serve on PostgreSQL ({serving.DB_NAME}) and Redis ({serving.REDIS_URL}) ...",
        flush=True,
    )
    started = time.monotonic()
    with serving.make_serve(extra) as server:
        print(f"  serving at {server.base} ({time.monotonic() - started:.0f} s to start)", flush=True)
        pages = {"sehat (trivial)": "/sehat/", **pages_of(server)}
        figures = measure(server.base, pages, script)
        burst_passed, burst_lines = checkout_burst(server)
        about = {**serving.machine(), **versions(server)}

    baseline = figures[0]
    print()
    print(f"Load test: {CONNECTIONS} concurrent clients, {SECONDS} s per page, wrk on the same machine")
    for key, value in about.items():
        print(f"  {key}: {value}")
    print()
    columns = ["page", "req/s", "ratio", "p50 ms", "p95 ms", "p99 ms", "errors", "result"]
    widths = [20, 8, 6, 7, 7, 7, 6, 8]
    print("| " + " | ".join(f"{c:<{w}}" for c, w in zip(columns, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    all_passed = burst_passed
    for row in figures:
        ratio = row.rps / baseline.rps
        if row is baseline:
            verdict = "baseline"
        else:
            ok = ratio >= MIN_RATIO and row.p95 <= MAX_P95_MS and row.errors == 0
            all_passed &= ok
            verdict = "PASS" if ok else "FAIL"
        print(
            f"| {row.name:<20} | {row.rps:8.1f} | {ratio:6.2f} | {row.p50:7.1f} | {row.p95:7.1f} | "
            f"{row.p99:7.1f} | {row.errors:6d} | {verdict:<8} |"
        )
    print(
        f"\nTarget: every page >= {MIN_RATIO:.0%} of /sehat/ req/s and p95 <= {MAX_P95_MS:.0f} ms, no errors."
    )
    print()
    print("\n".join(burst_lines))
    print(f"\n{'ALL PASS' if all_passed else 'SOME TARGETS MISSED'}")
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())
