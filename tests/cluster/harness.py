"""The pieces `make cluster-check` (cluster_check.py) drives: a fresh database and Redis, the SMTP
sink, the `make serve` app servers, and a cookie-keeping browser. Loopback only."""

from __future__ import annotations

import asyncio
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PG_URL = os.environ.get("CLUSTER_PG_URL", "postgres://postgres@127.0.0.1:5432/ovop_cluster")
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/4")
PORTS = [int(port) for port in os.environ.get("CLUSTER_PORTS", "8120,8121").split(",")]
SMTP_PORT = int(os.environ.get("CLUSTER_SMTP_PORT", "8125"))
HOST = "127.0.0.1"
INBOX = "pesanan@cluster.test"
OFFICER, OFFICER_PASSWORD = "petugas-klaster", secrets.token_urlsafe(16)
LOG_DIR = Path(os.environ.get("CLUSTER_LOG_DIR", ROOT / "tests" / "cluster" / "logs"))

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY = re.compile(r'name="kunci" value="([0-9a-f]{32})"')


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
