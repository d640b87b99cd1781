"""Village import benchmark: `manage.py import_villages` against django-import-export's best bulk setup.

    .venv/bin/python tests/bench/bench_import.py [PATH] [--pg-url URL] [--no-postgres] [--repeat N]

PATH is a Kemendagri region list (`kode,nama`), e.g. the full 2025 list of Indonesia (91,599 rows).
Without PATH a file of the national shape (38 provinces, 514 regencies, 7,285 districts, 83,762
villages, made-up names) is generated in a temporary folder. Nothing here is committed data.

For SQLite (a temporary file) and PostgreSQL (scratch database `ovop_bench`, dropped and created), on
the same file and the same freshly migrated database, every measurement is a WHOLE PROCESS, timed from
its start to its exit (interpreter and Django start-up included, as a user waits for it), with its
peak memory (ru_maxrss from wait4):

1. ours, first import into an empty database: `python manage.py import_villages PATH`;
2. ours, unchanged re-import: the same command again;
3. django-import-export 4.x, first import, in a process of its own that starts Django, reads and
   splits the same CSV per level and imports it: one ModelResource per level with use_bulk,
   batch_size 1000, CachedForeignKeyWidget for the parent, skip_diff and force_init_instance
   (create-only);
4. django-import-export, unchanged re-import: CachedInstanceLoader (chunked so SQLite's variable
   limit is not hit; its queryset select_related to the parent, so that skip_unchanged's comparison
   of the parent does not cost a query per row), skip_unchanged (which needs the diff's original),
   skip_html_diff;
5. the admin import of tests/data/wilayah-ntt-2025.csv (3,780 rows) through the Django test client:
   the upload-and-preview request and the confirm request, each timed.

With `--repeat N` the five steps run in N rounds (ours and theirs alternating, so a busy moment of
the machine does not fall on one side only) and each figure is the best of its N runs. All runs use
DEBUG off (no query log). The script prints the figures and the ratios against the
targets (issue 17: at least 5x on a first import, 20x on an unchanged re-import), and exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NTT_FILE = ROOT / "tests" / "data" / "wilayah-ntt-2025.csv"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/ovop_bench"
TARGET_FIRST = 5.0
TARGET_AGAIN = 20.0
TARGET_MB = 300
TARGET_ADMIN_S = 10.0


# ------------------------------------------------------------------------------------------------
# Parent: set up databases, run workers, print
# ------------------------------------------------------------------------------------------------


def generate_national_file(folder: Path) -> Path:
    """A Kemendagri-shaped file: 38 / 514 / 7,285 / 83,762, codes valid, names made up."""
    path = folder / "wilayah-generated.csv"
    provinces, regencies, districts, villages = 38, 514, 7285, 83762
    lines = ["kode,nama"]

    def spread(total: int, over: int) -> list[int]:
        base, extra = divmod(total, over)
        return [base + (1 if i < extra else 0) for i in range(over)]

    regency_counts = spread(regencies, provinces)
    district_counts = spread(districts, regencies)
    village_counts = spread(villages, districts)
    r = d = 0
    for p in range(provinces):
        pcode = f"{11 + p:02d}"
        lines.append(f"{pcode},Provinsi Contoh {p + 1}")
        for rr in range(regency_counts[p]):
            rcode = f"{pcode}.{rr + 1:02d}"
            kind = "Kota" if rr % 7 == 6 else "Kabupaten"
            lines.append(f"{rcode},{kind} Contoh {r + 1}")
            for dd in range(district_counts[r]):
                dcode = f"{rcode}.{dd + 1:02d}"
                lines.append(f"{dcode},Kecamatan Contoh {d + 1}")
                for v in range(village_counts[d]):
                    prefix = "1" if v % 11 == 0 else "2"
                    lines.append(f'{dcode}.{prefix}{v + 1:03d},"Desa Contoh {d + 1}-{v + 1}"')
                d += 1
            r += 1
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def worker_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    return env


SUMMARY = re.compile(r"(\d+) baru, (\d+) diperbarui, (\d+) tidak berubah, (\d+) galat")


def run_process(command: list[str], database_url: str) -> tuple[float, float, float, str]:
    """Run `command` to its end: wall seconds from start to exit, its CPU seconds and peak MB (wait4),
    its stdout. CPU time (user + system, this process only: not the PostgreSQL server's) is printed
    beside the wall time because it moves less when other jobs share the machine."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=worker_env(database_url), stdout=out, stderr=err)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.stderr.write(stdout[-4000:] + stderr[-4000:])
        raise SystemExit(f"{' '.join(command[1:3])} failed on {database_url}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout  # maxrss in KiB


def run_ours(path: Path, database_url: str) -> dict:
    """`python manage.py import_villages PATH`, the whole process."""
    seconds, cpu, peak, stdout = run_process(
        [sys.executable, "manage.py", "import_villages", str(path)], database_url
    )
    new, updated, unchanged, errors = (int(n) for n in SUMMARY.search(stdout).groups())
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "rows": new + updated + unchanged + errors,
        "summary": f"{new} new, {updated} updated, {unchanged} unchanged",
    }


def run_measured(mode: str, path: Path, database_url: str) -> dict:
    """A worker of this script as a whole process; its figures plus the process's own time and memory."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", mode, str(path)]
    seconds, cpu, peak, stdout = run_process(command, database_url)
    result = {}
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[7:])
    result["inner_seconds"] = result.get("seconds", 0.0)
    result["seconds"] = seconds
    result["cpu"] = cpu
    result["peak_mb"] = peak
    return result


def reset_database(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        file = Path(database_url.removeprefix("sqlite://"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{file}{suffix}").unlink(missing_ok=True)
    else:
        import psycopg
        from psycopg import sql

        base, _slash, name = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=worker_env(database_url),
        check=True,
    )


def postgres_reachable(database_url: str) -> bool:
    try:
        import psycopg

        base = database_url.rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def bench_backend(label: str, database_url: str, path: Path, repeat: int = 1) -> dict:
    """Each measurement `repeat` times, in rounds (ours and theirs alternate); the best of each kept."""
    print(f"\n== {label}: {database_url}", flush=True)
    figures: dict[str, dict] = {}
    reset_database(database_url)
    steps = [
        ("ours", "ours: first import"),
        ("ours", "ours: unchanged re-import"),
        ("clear", None),
        ("theirs-first", "import-export: first import (create-only)"),
        ("theirs-again", "import-export: unchanged re-import"),
        ("clear", None),
    ]
    for _round in range(repeat):
        for mode, title in steps:
            result = (
                run_ours(path, database_url) if mode == "ours" else run_measured(mode, path, database_url)
            )
            if title is not None and (title not in figures or result["seconds"] < figures[title]["seconds"]):
                figures[title] = result
    for title, result in figures.items():
        print(
            f"  {title:<44} {result['seconds']:7.2f} s  {result['rows'] / result['seconds']:9,.0f} rows/s"
            f"  cpu {result['cpu']:6.2f} s  peak {result['peak_mb']:4.0f} MB  [{result['summary']}]",
            flush=True,
        )
    reset_database(database_url)
    admin = run_measured("admin", NTT_FILE, database_url)
    figures["admin"] = admin
    print(
        f"  admin import of {NTT_FILE.name} ({admin['rows']} rows):"
        f" upload + preview {admin['preview_s']:.2f} s, confirm {admin['confirm_s']:.2f} s"
        f"  [{admin['summary']}]",
        flush=True,
    )
    return figures


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", type=Path, help="a kode,nama CSV (generated when omitted)")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best time of each is kept")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.path)

    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        folder = Path(folder)
        path = args.path or generate_national_file(folder)
        import django
        import import_export

        print(
            f"Village import benchmark on {path}, every figure a whole process (start-up included),"
            f" best of {args.repeat}"
        )
        print(
            f"Python {platform.python_version()}, Django {django.get_version()}, django-import-export"
            f" {import_export.__version__}, {os.cpu_count()} CPUs"
        )
        print(
            "Peer: django-import-export's best bulk configuration, one ModelResource per level: use_bulk,"
            " batch_size 1000, CachedForeignKeyWidget; first import skip_diff + force_init_instance;"
            " re-import CachedInstanceLoader + skip_unchanged + skip_html_diff"
        )
        backends = [("SQLite", f"sqlite://{folder / 'bench.sqlite3'}")]
        if not args.no_postgres:
            if postgres_reachable(args.pg_url):
                backends.append(("PostgreSQL", args.pg_url))
            else:
                print(f"PostgreSQL at {args.pg_url} does not answer: skipped.")
        all_figures = {label: bench_backend(label, url, path, args.repeat) for label, url in backends}

    failures = 0
    print("\n== Targets")
    for label, figures in all_figures.items():
        ours_first = figures["ours: first import"]
        ours_again = figures["ours: unchanged re-import"]
        their_first = figures["import-export: first import (create-only)"]
        their_again = figures["import-export: unchanged re-import"]
        first_ratio = their_first["seconds"] / ours_first["seconds"]
        again_ratio = their_again["seconds"] / ours_again["seconds"]
        peak = max(ours_first["peak_mb"], ours_again["peak_mb"])
        admin = figures["admin"]
        checks = [
            (
                f"first import {first_ratio:.1f}x faster than import-export (>= {TARGET_FIRST:.0f}x)",
                first_ratio >= TARGET_FIRST,
            ),
            (
                f"unchanged re-import {again_ratio:.1f}x faster (>= {TARGET_AGAIN:.0f}x)",
                again_ratio >= TARGET_AGAIN,
            ),
            (f"peak memory {peak:.0f} MB (<= {TARGET_MB} MB)", peak <= TARGET_MB),
            (
                f"admin import of the NTT file {admin['preview_s'] + admin['confirm_s']:.2f} s"
                f" in two requests, each < {TARGET_ADMIN_S:.0f} s",
                max(admin["preview_s"], admin["confirm_s"]) < TARGET_ADMIN_S,
            ),
        ]
        for text, ok in checks:
            failures += not ok
            print(f"  {label:<10} {text:<86} {verdict(ok)}")
        cpu_first = their_first["cpu"] / ours_first["cpu"]
        cpu_again = their_again["cpu"] / ours_again["cpu"]
        print(
            f"  {label:<10} (for information, in CPU seconds of the processes: first import"
            f" {cpu_first:.1f}x, re-import {cpu_again:.1f}x)"
        )
    return 1 if failures else 0


# ------------------------------------------------------------------------------------------------
# Workers: one measurement each, in a fresh process
# ------------------------------------------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def emit(result: dict) -> int:
    print("RESULT " + json.dumps(result), flush=True)
    return 0


def table_counts() -> dict[str, int]:
    from villages.models import District, Province, Regency, Village

    return {m._meta.model_name: m.objects.count() for m in (Province, Regency, District, Village)}


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def worker(mode: str, path: Path) -> int:
    setup_django()
    from django.db import connection

    if mode == "clear":
        from villages.models import District, Province, Regency, Village

        with connection.cursor() as cursor:
            for model in (Village.satellite_villages.through, Village, District, Regency, Province):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        return emit({"seconds": 0, "rows": 0})
    if mode in {"theirs-first", "theirs-again"}:
        return worker_theirs(path, first=mode == "theirs-first")
    if mode == "admin":
        return worker_admin(path)
    raise SystemExit(f"unknown worker {mode}")


def their_resources(first: bool) -> list:
    """One ModelResource per level, configured as the issue describes for import-export 4.x."""
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import CachedInstanceLoader

    from villages.models import District, Province, Regency, Village

    class ChunkedCachedInstanceLoader(CachedInstanceLoader):
        """CachedInstanceLoader, loading the existing rows 10,000 codes per query (SQLite's limit)."""

        def __init__(self, resource, dataset=None):
            self.resource, self.dataset = resource, dataset
            self.pk_field = resource.fields[resource.get_import_id_fields()[0]]
            ids = [self.pk_field.clean(row) for row in dataset.dict]
            self.all_instances = {}
            for start in range(0, len(ids), 10000):
                queryset = self.get_queryset().filter(code__in=ids[start : start + 10000])
                self.all_instances.update({instance.code: instance for instance in queryset})

    if first:
        options = {"skip_diff": True, "force_init_instance": True}
    else:
        options = {
            "instance_loader_class": ChunkedCachedInstanceLoader,
            "skip_unchanged": True,
            "skip_html_diff": True,
            "report_skipped": False,
        }

    def make(model, parent=None, parent_model=None, extra=()):
        attrs = {}
        names = ["code", "name"]
        if parent:
            attrs[parent] = fields.Field(
                attribute=parent,
                column_name=parent,
                widget=widgets.CachedForeignKeyWidget(parent_model, "code"),
            )
            names.append(parent)
            # Kinder than the plain setup: skip_unchanged compares the parent object, which would
            # otherwise be fetched with one query per row.
            attrs["get_queryset"] = lambda self, model=model, parent=parent: model.objects.select_related(
                parent
            )
        names.extend(extra)
        meta = type(
            "Meta",
            (),
            {
                "model": model,
                "fields": tuple(names),
                "import_id_fields": ("code",),
                "use_bulk": True,
                "batch_size": 1000,
                **options,
            },
        )
        attrs["Meta"] = meta
        metaclass = type(resources.ModelResource)
        return metaclass(f"{model.__name__}Resource", (resources.ModelResource,), attrs)

    return [
        make(Province),
        make(Regency, "province", Province, ("kind", "slug")),
        make(District, "regency", Regency),
        make(Village, "district", District, ("kind",)),
    ]


def their_datasets(path: Path) -> list:
    import csv

    import tablib
    from django.utils.text import slugify

    from villages import codes
    from villages.models import Regency, Village

    levels = {level: [] for level in codes.Level}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code, name = row["kode"].strip(), row["nama"].strip()
            level = codes.level_of(code)
            parent = codes.parent_code(code)
            if level is codes.Level.PROVINCE:
                levels[level].append((code, name))
            elif level is codes.Level.REGENCY:
                levels[level].append((code, name, parent, str(Regency.kind_for_name(name)), slugify(name)))
            elif level is codes.Level.DISTRICT:
                levels[level].append((code, name, parent))
            elif level is codes.Level.VILLAGE:
                levels[level].append((code, name, parent, str(Village.kind_for_code(code))))
    headers = [
        ["code", "name"],
        ["code", "name", "province", "kind", "slug"],
        ["code", "name", "regency"],
        ["code", "name", "district", "kind"],
    ]
    return [tablib.Dataset(*levels[level], headers=h) for level, h in zip(codes.Level, headers, strict=True)]


def worker_theirs(path: Path, *, first: bool) -> int:
    from django.db import connection

    datasets = their_datasets(path)
    counter = QueryCounter()
    totals = {"new": 0, "update": 0, "skip": 0}
    seconds = 0.0
    with connection.execute_wrapper(counter):
        for resource_class, dataset in zip(their_resources(first), datasets, strict=True):
            resource = resource_class()
            started = time.perf_counter()
            result = resource.import_data(dataset, dry_run=False, raise_errors=True, use_transactions=True)
            seconds += time.perf_counter() - started
            if result.has_errors() or result.has_validation_errors():
                raise SystemExit(f"import-export refused {resource_class.__name__}")
            for key in totals:
                totals[key] += result.totals[key]
    return emit(
        {
            "seconds": seconds,
            "rows": sum(len(d) for d in datasets),
            "queries": counter.count,
            "summary": f"{totals['new']} new, {totals['update']} updated, {totals['skip']} skipped; "
            + ", ".join(f"{k} {v}" for k, v in table_counts().items()),
        }
    )


def worker_admin(path: Path) -> int:
    import re

    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client, override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    admin.site.get_urls()  # the ModelAdmins load on the admin's first use: a running server did that already
    with override_settings(STORAGES=storages):
        user = get_user_model().objects.create_user("bench-admin", is_staff=True)
        user.groups.add(Group.objects.get(name="Admin PMD"))
        client = Client()
        client.force_login(user)
        data = path.read_bytes()
        upload = SimpleUploadedFile(path.name, data, content_type="text/csv")
        started = time.perf_counter()
        response = client.post("/admin/villages/village/import/", {"format": "0", "import_file": upload})
        preview_s = time.perf_counter() - started
        html = response.content.decode()
        confirm = dict(
            re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html)
        )
        if response.status_code != 200 or "import_file_name" not in confirm:
            raise SystemExit(f"admin preview failed: {response.status_code}")
        started = time.perf_counter()
        response = client.post("/admin/villages/village/process_import/", confirm)
        confirm_s = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"admin confirm failed: {response.status_code}")
    counts = table_counts()
    return emit(
        {
            "seconds": preview_s + confirm_s,
            "preview_s": preview_s,
            "confirm_s": confirm_s,
            "rows": sum(counts.values()),
            "queries": 0,
            "summary": ", ".join(f"{k} {v}" for k, v in counts.items()),
        }
    )


if __name__ == "__main__":
    raise SystemExit(main())
