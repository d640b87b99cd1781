"""Gunicorn settings for `make serve` and production (`gunicorn -c ovop/gunicorn.conf.py ovop.wsgi`).

Every value can be overridden from the environment (GUNICORN_*), so one file serves a laptop try and
several app servers behind nginx alike.
"""

import multiprocessing
import os

_host = os.environ.get("HOST", "127.0.0.1")
_port = os.environ.get("PORT", "8000")
bind = os.environ.get("GUNICORN_BIND", f"{_host}:{_port}")

# Sync workers, (2 x cores) + 1: Django pages are CPU and database work, and while one worker waits
# on PostgreSQL or Redis another one runs. nginx in front buffers slow phone connections.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
backlog = 2048

# Import Django once in the master: workers fork with the code already loaded (faster start, less memory).
preload_app = True


def when_ready(server):
    """In the master, once the app is loaded and before the workers fork: what each worker would
    otherwise build on its first requests is built once and shared (ovop/wsgi.py)."""
    # Here, not at the top: gunicorn reads this file before it loads Django and the app.
    from ovop.wsgi import freeze_heap, warm_up

    warm_up()
    freeze_heap()  # last: what warm_up() built is frozen with the rest


# Recycle workers now and then so a slow leak in a dependency never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# X-Forwarded-Proto is trusted only from these addresses (the nginx in front of this server).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

proc_name = "ovop"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Access logs cost a write per request; nginx keeps them in production. GUNICORN_ACCESSLOG=- turns them on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
