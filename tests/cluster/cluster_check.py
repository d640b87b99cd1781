"""`make cluster-check`: the shop on two app servers sharing one PostgreSQL and one Redis.

Starts two `make serve` app servers (gunicorn + one task worker each) on loopback ports, with a fresh
PostgreSQL database (CLUSTER_PG_URL) and Redis database (CLUSTER_REDIS_URL), mail going to a local
SMTP sink (aiosmtpd) that this script starts and stops. Then it shows that:

1. an officer's edit on one server shows on the other at once;
2. a login and a cart carry from one server to the other;
3. 40 buyers split across both servers for 10 units make exactly 10 orders;
4. with the mail server down during the burst and started afterwards, every order email arrives
   exactly once within 2 minutes;
5. killing one worker (SIGKILL) mid-queue loses no task and sends nothing twice; the other worker
   is then the one scheduler.

It prints each check and exits non-zero when one fails. Loopback only, bounded in time (about 3-4
minutes here). Not collected by pytest (no test_ prefix): run it with `make cluster-check`.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("CLUSTER_PG_URL", "postgres://postgres@127.0.0.1:5432/ovop_cluster")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/4")
PORTS = [int(port) for port in os.environ.get("CLUSTER_PORTS", "8120,8121").split(",")]
SMTP_PORT = int(os.environ.get("CLUSTER_SMTP_PORT", "8125"))
HOST = "127.0.0.1"
BUYERS, UNITS = 40, 10
MAIL_DEADLINE = 120
INBOX = "pesanan@cluster.test"
OFFICER, OFFICER_PASSWORD = "petugas-klaster", secrets.token_urlsafe(16)
LOG_DIR = Path(os.environ.get("CLUSTER_LOG_DIR", ROOT / "tests" / "cluster" / "logs"))

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="kunci" value="([0-9a-f]{32})"')

results: list[tuple[bool, str]] = []


def check(ok: bool, what: str) -> bool:
    results.append((ok, what))
    print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
    return ok


def say(text: str) -> None:
    print(f"      {text}", flush=True)


# --- the database, Redis and Django in this process (setup and verification only) ------------------


def fresh_database() -> None:
    import psycopg

    url = urllib.parse.urlsplit(PG_URL)
    name = url.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def fresh_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def setup_django() -> None:
    os.environ.update(DATABASE_URL=PG_URL, REDIS_URL=REDIS_URL, DJANGO_SETTINGS_MODULE="ovop.settings")
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()


# --- the SMTP sink ---------------------------------------------------------------------------------


class Sink:
    """aiosmtpd on loopback, in a thread; `slow` makes each message wait before its recipient is
    accepted, so a worker can be killed while it is sending (before anything was delivered)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str]] = []  # (recipient, subject)
        self.slow = 0.0
        self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.slow:
            await asyncio.sleep(self.slow)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content)
        subject = str(make_header(decode_header(message.get("Subject", ""))))
        for recipient in envelope.rcpt_tos:
            self.messages.append((recipient, subject))
        return "250 Message accepted"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname=HOST, port=SMTP_PORT)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- the app servers ----------------------------------------------------------------------------------


def server_env(port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PG"))}
    env.update(
        DATABASE_URL=PG_URL,
        REDIS_URL=REDIS_URL,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_HOST=HOST,
        EMAIL_PORT=str(SMTP_PORT),
        EMAIL_USE_TLS="0",
        EMAIL_TIMEOUT="5",
        ORDER_INBOX_EMAIL=INBOX,
        SITE_URL=f"http://{HOST}:{port}",
        CHECKOUT_RATE_LIMIT_PER_MINUTE="100000",
        GUNICORN_WORKERS="3",
        TASK_WORKER_TIMEOUT="10",
        DJANGO_LOG_LEVEL="WARNING",
    )
    return env


SECRET_KEY = secrets.token_urlsafe(50)


class Server:
    def __init__(self, port: int) -> None:
        self.port = port
        self.base = f"http://{HOST}:{port}"
        self.process: subprocess.Popen | None = None

    def start(self, *, demo: bool) -> None:
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = (LOG_DIR / f"serve-{self.port}.log").open("w")
        command = ["make", "--no-print-directory", "serve", f"HOST={HOST}", f"PORT={self.port}"]
        if demo:
            command.append("DEMO=1")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(self.port),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 300) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.base}/sehat/", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(1)
        return False

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# --- a browser: cookies shared by both servers (cookies ignore the port, like nginx in front) -------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class LoopbackPolicy(http.cookiejar.DefaultCookiePolicy):
    """DEBUG is off, so the session and CSRF cookies are `Secure`; on plain-http loopback (as a
    browser treats 127.0.0.1) they are still sent."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class Browser:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar(LoopbackPolicy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, url: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            request = urllib.request.Request(url, data=body)  # noqa: S310 - loopback http only
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), response.headers.get("Location", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers.get("Location", "")

    def get(self, url: str) -> tuple[int, str, str]:
        return self.request(url)

    def post(self, url: str, page: str, data: dict) -> tuple[int, str, str]:
        token = TOKEN.search(page)
        return self.request(url, {**data, "csrfmiddlewaretoken": token.group(1) if token else ""})

    def login(self, server: Server) -> bool:
        _, page, _ = self.get(f"{server.base}/admin/login/")
        status, _, _ = self.post(
            f"{server.base}/admin/login/",
            page,
            {"username": OFFICER, "password": OFFICER_PASSWORD, "next": "/admin/"},
        )
        return status == 302

    def add_to_cart(self, server: Server, product) -> bool:
        _, page, _ = self.get(server.base + product.get_absolute_url())
        status, _, _ = self.post(
            f"{server.base}/keranjang/tambah/", page, {"product": product.pk, "quantity": 1}
        )
        return status == 302

    def checkout_form(self, server: Server) -> str:
        return self.get(f"{server.base}/checkout/")[1]

    def checkout(self, server: Server, page: str, n: int) -> tuple[int, str]:
        key = KEY.search(page)
        data = {
            "nama": f"Pembeli Klaster {n}",
            "whatsapp": f"0812-7000-{n:04d}",
            "email": f"pembeli{n}@cluster.test",
            "pengiriman": "ambil",
            "alamat": "",
            "kabupaten": "",
            "catatan": "",
            "pembayaran": "qris",
            "kunci": key.group(1) if key else "",
        }
        status, _, location = self.post(f"{server.base}/checkout/", page, data)
        return status, location


def rupiah(amount: int) -> str:
    return f"Rp{amount:,}".replace(",", ".")


# --- the checks ----------------------------------------------------------------------------------------


def prepare_data():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from catalogue import caching
    from catalogue.models import Product

    user = get_user_model().objects.create_user(
        OFFICER, f"{OFFICER}@cluster.test", OFFICER_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Admin PMD"))
    products = list(Product.objects.filter(is_published=True, stock__gt=0).order_by("pk")[:2])
    burst, other = products
    Product.objects.filter(pk=burst.pk).update(stock=UNITS)
    caching.bump()
    burst.refresh_from_db()
    return burst, other


def officer_edit_shows_on_the_other_server(a: Server, b: Server, product) -> None:
    from tests.catalogue.backoffice import form_data

    shopper = Browser()
    before = shopper.get(b.base + product.get_absolute_url())[1]
    shopper.get(b.base + product.get_absolute_url())  # now certainly in the shared cache
    officer = Browser()
    if not check(officer.login(a), f"an officer signs in on :{a.port}"):
        return
    address = f"{a.base}/admin/catalogue/product/{product.pk}/change/"
    page = officer.get(address)[1]
    data = form_data(page, "product_form")
    new_price = product.price + 1000
    data["price"] = str(new_price)
    status, _, _ = officer.post(address, page, data)
    check(status == 302, f"the officer saves a new price ({rupiah(new_price)}) on :{a.port}")
    after = shopper.get(b.base + product.get_absolute_url())[1]
    check(
        rupiah(product.price) in before and rupiah(new_price) in after,
        f"the product page on :{b.port} shows {rupiah(new_price)} at once (was {rupiah(product.price)})",
    )
    product.refresh_from_db()


def login_and_cart_carry_over(a: Server, b: Server, product) -> None:
    officer = Browser()
    officer.login(a)
    status, page, _ = officer.get(f"{b.base}/admin/")
    if check(status == 200 and OFFICER in page, f"a login on :{a.port} is valid on :{b.port}"):
        officer.post(f"{b.base}/admin/logout/", page, {})
        status, _, _ = officer.get(f"{a.base}/admin/")
        check(status == 302, f"a logout on :{b.port} is final on :{a.port}")
    shopper = Browser()
    shopper.add_to_cart(a, product)
    check(
        product.name in shopper.get(f"{b.base}/keranjang/")[1],
        f"a cart filled on :{a.port} shows on :{b.port}",
    )


def burst_of_buyers(a: Server, b: Server, product) -> list[str]:
    from catalogue.models import Order, Product

    buyers = [(Browser(), (a, b)[n % 2], n) for n in range(BUYERS)]
    forms: dict[int, str] = {}

    def prepare(buyer) -> None:
        browser, server, n = buyer
        browser.add_to_cart(server, product)
        forms[n] = browser.checkout_form(server)

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(prepare, buyers))
    start = threading.Barrier(BUYERS)

    def buy(buyer) -> bool:
        browser, server, n = buyer
        start.wait(timeout=60)
        status, location = browser.checkout(server, forms[n], n)
        return status == 302 and "/pesanan/" in location

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        placed = sum(pool.map(buy, buyers))
    say(f"{BUYERS} checkouts in {time.monotonic() - started:.1f} s")
    orders = Order.objects.filter(parts__lines__product=product).distinct()
    stock = Product.objects.get(pk=product.pk).stock
    check(
        placed == UNITS and orders.count() == UNITS and stock == 0,
        f"{BUYERS} buyers on two servers for {UNITS} units: {placed} orders placed, "
        f"{orders.count()} in the database, stock left {stock}",
    )
    return list(orders.values_list("number", flat=True))


def expected_mail(numbers: list[str]) -> set[tuple[str, str]]:
    from catalogue.models import Order

    wanted = set()
    for order in Order.objects.filter(number__in=numbers):
        wanted.add((order.buyer_email, order.number))
        wanted.add((INBOX, order.number))
    return wanted


def delivered(sink: Sink, numbers: list[str]) -> Counter:
    count: Counter = Counter()
    for recipient, subject in list(sink.messages):
        for number in numbers:
            if number in subject:
                count[(recipient, number)] += 1
    return count


def mail_after_the_outage(sink: Sink, numbers: list[str]) -> None:
    from django_tasks_db.models import DBTaskResult

    time.sleep(5)
    waiting = DBTaskResult.objects.filter(task_path__endswith="send_order_emails", status="READY").count()
    check(waiting >= 1, f"with the mail server down, {waiting} order-email tasks wait to try again")
    sink.start()
    say(f"mail server started on {HOST}:{SMTP_PORT}")
    wanted = expected_mail(numbers)
    started = time.monotonic()
    while time.monotonic() - started < MAIL_DEADLINE and set(delivered(sink, numbers)) < wanted:
        time.sleep(1)
    took = time.monotonic() - started
    time.sleep(5)  # a duplicate would come now
    count = delivered(sink, numbers)
    missing = wanted - set(count)
    twice = [key for key, n in count.items() if n > 1]
    check(
        len(wanted) == 2 * len(numbers) > 0 and not missing and not twice and took <= MAIL_DEADLINE,
        f"all {len(wanted)} order emails arrived after the outage, each exactly once, in {took:.0f} s"
        + (f" (missing {sorted(missing)[:3]}, twice {twice[:3]})" if missing or twice else ""),
    )


def scheduler_holders() -> int:
    from django.db import connection

    from catalogue.background.scheduler import LOCK_KEY

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND granted", [LOCK_KEY]
        )
        return cursor.fetchone()[0]


def killed_worker_loses_nothing(a: Server, b: Server, sink: Sink, product) -> None:
    from django_tasks_db.models import DBTaskResult

    from catalogue import caching
    from catalogue.models import Order, Product, WorkerBeat

    check(scheduler_holders() == 1, "two workers running: exactly one holds the scheduler lock")
    Product.objects.filter(pk=product.pk).update(stock=6)
    caching.bump()
    sink.slow = 1.5
    before = set(Order.objects.values_list("number", flat=True))
    for n in range(6):
        browser = Browser()
        server = (a, b)[n % 2]
        browser.add_to_cart(server, product)
        browser.checkout(server, browser.checkout_form(server), 100 + n)
    numbers = sorted(set(Order.objects.values_list("number", flat=True)) - before)
    victim = None
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline:
        running = DBTaskResult.objects.filter(
            status="RUNNING", task_path__endswith="send_order_emails"
        ).first()
        if running is not None:
            beat = WorkerBeat.objects.filter(pk=running.worker_ids[-1]).first()
            if beat is not None:
                victim = (running, beat)
                break
        time.sleep(0.1)
    if not check(victim is not None, "a worker is caught sending an order email"):
        return
    task, beat = victim
    os.kill(beat.pid, signal.SIGKILL)
    say(f"killed worker pid {beat.pid} (SIGKILL) while it ran task {task.pk}")
    wanted = expected_mail(numbers)
    started = time.monotonic()
    while time.monotonic() - started < 90 and set(delivered(sink, numbers)) < wanted:
        time.sleep(1)
    time.sleep(5)
    count = delivered(sink, numbers)
    task.refresh_from_db()
    left = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exclude(
        task_path__endswith="expire_orders"
    )
    check(
        task.status == "SUCCESSFUL" and len(task.worker_ids) == 2,
        f"the killed worker's task went back to the queue and another worker finished it ({task.status})",
    )
    check(
        wanted and set(count) == wanted and all(n == 1 for n in count.values()) and not left.exists(),
        f"after the kill all {len(wanted)} emails of {len(numbers)} new orders arrived once; queue empty",
    )
    deadline = time.monotonic() + 25
    while scheduler_holders() != 1 and time.monotonic() < deadline:
        time.sleep(1)
    check(scheduler_holders() == 1, "after the kill exactly one worker holds the scheduler lock")


def main() -> int:
    started = time.monotonic()
    fresh_database()
    fresh_redis()
    sink = Sink()  # not started: the mail server is down until after the burst
    a, b = Server(PORTS[0]), Server(PORTS[1])
    try:
        a.start(demo=True)
        if not check(a.wait_healthy(), f"app server A answers on :{a.port} (make serve, with its worker)"):
            return 1
        b.start(demo=False)
        if not check(b.wait_healthy(), f"app server B answers on :{b.port} (make serve, with its worker)"):
            return 1
        setup_django()
        burst, other = prepare_data()
        say(f"setup took {time.monotonic() - started:.0f} s; product for the burst: {burst.name}")
        officer_edit_shows_on_the_other_server(a, b, other)
        login_and_cart_carry_over(a, b, other)
        numbers = burst_of_buyers(a, b, burst)
        mail_after_the_outage(sink, numbers)
        killed_worker_loses_nothing(a, b, sink, burst)
    finally:
        a.stop()
        b.stop()
        sink.stop()
    failed = sum(not ok for ok, _ in results)
    print(
        f"cluster-check: {len(results) - failed} passed, {failed} failed "
        f"in {time.monotonic() - started:.0f} s"
    )
    print(f"(server logs in {LOG_DIR})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
