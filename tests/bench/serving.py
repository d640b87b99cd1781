"""Start `make serve` on a scratch PostgreSQL database with the demo data, for the load test and
Lighthouse. Loopback only; the server is this process's child and is stopped at the end.

Environment (all optional):
  BENCH_PG_URL      admin URL of the PostgreSQL server   (postgres://postgres@127.0.0.1:5432/postgres)
  BENCH_DB_NAME     scratch database, dropped and re-created each run             (ovop_load)
  BENCH_REDIS_URL   Redis database for cache and sessions, flushed each run       (redis://127.0.0.1:6379/7)
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():
    PYTHON = Path(sys.executable)

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_NAME = os.environ.get("BENCH_DB_NAME", "ovop_load")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")


@dataclass
class Server:
    base: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen

    def manage(self, *args: str) -> str:
        """A management command against the same database as the server."""
        result = subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def shell_json(self, code: str):
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str) -> str:
    parts = urlsplit(PG_ADMIN_URL)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def recreate_database(name: str) -> None:
    import psycopg
    from psycopg import sql

    admin_url = PG_ADMIN_URL.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()


def require(tool: str, hint: str) -> str:
    path = shutil.which(tool)
    if not path:
        sys.exit(f"{tool} is not installed: {hint}")
    return path


def wait_until_healthy(base: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"make serve stopped (exit {process.returncode}); its log:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{base}/sehat/", timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"make serve did not become healthy in {timeout:.0f} s; its log:\n{log.read_text()[-4000:]}")


@contextlib.contextmanager
def make_serve(extra_env: dict[str, str] | None = None) -> Iterator[Server]:
    """Scratch database + demo data + `make serve` on a free loopback port; stopped on exit."""
    recreate_database(DB_NAME)
    flush_redis(REDIS_URL)
    port = free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ovop-bench-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))},
        "DATABASE_URL": database_url(DB_NAME),
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "DEMO": "1",
        **(extra_env or {}),
    }
    log = workdir / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PORT={port}", "HOST=127.0.0.1", "DEMO=1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: make, gunicorn master and workers
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, process, log)
        # Management commands see the server's settings: production, the key `make serve` generated.
        manage_env = {
            **env,
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECRET_KEY": (ROOT / ".secret_key").read_text().strip(),
            "DJANGO_EMAIL_CONSOLE": "1",
        }
        yield Server(base=base, env=manage_env, log=log, process=process)
    finally:
        stop(process)
        shutil.rmtree(workdir / "media", ignore_errors=True)


class ServerDidNotStart(RuntimeError):
    """A benchmark's server stopped, or did not answer in time; the message ends with its log."""


def wait_until_answering(base: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Until `base`/ answers anything at all (a redirect or a 404 counts: the server is up)."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise ServerDidNotStart(f"the server stopped; its log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/", timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return
        except OSError as error:
            if time.monotonic() > deadline:
                raise ServerDidNotStart(
                    f"the server did not answer in {timeout:.0f} s; its log:\n{log.read_text()[-3000:]}"
                ) from error
            time.sleep(0.3)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def machine() -> dict[str, str]:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return {
        "load average (1, 5, 15 min) at the end": load,
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


#: The front of deploy/nginx.conf that shapes what a phone downloads (gzip, proxy headers), on a
#: loopback port in plain HTTP: no TLS, no certificates, one upstream (`make serve`).
NGINX_CONF = """\
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    upstream ovop_app {{ server {upstream}; keepalive 8; }}
    server {{
        listen 127.0.0.1:{port};
        gzip on;
        gzip_vary on;
        gzip_proxied any;
        gzip_min_length 1024;
        gzip_types text/css application/javascript application/json image/svg+xml text/plain text/xml;
        location / {{
            proxy_pass http://ovop_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""


@contextlib.contextmanager
def nginx_in_front(base: str) -> Iterator[str]:
    """nginx (Debian's package) proxying to the server at `base` with deploy/nginx.conf's gzip
    settings, as production serves pages to phones; yields nginx's own base address."""
    nginx = require("nginx", "apt-get install nginx")
    prefix = Path(tempfile.mkdtemp(prefix="ovop-nginx-"))
    port = free_port()
    (prefix / "nginx.conf").write_text(
        NGINX_CONF.format(prefix=prefix, upstream=urlsplit(base).netloc, port=port)
    )
    (prefix / "error.log").touch()
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    front = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(front, process, prefix / "error.log", timeout=30)
        yield front
    finally:
        stop(process)
        shutil.rmtree(prefix, ignore_errors=True)
