"""Backup and restore: the database and both media folders, in one dated folder.

    python -m ovop.backup backup [--into backups]     (make backup)
    python -m ovop.backup restore backups/<stamp>      (make restore BACKUP=backups/<stamp>)

PostgreSQL (DATABASE_URL=postgres://...): `pg_dump --format=custom` into db.dump, restored with
`pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error`
into the database named by DATABASE_URL (created when it does not exist). SQLite: an online copy
through sqlite3's backup API into db.sqlite3. MEDIA_ROOT and PRIVATE_MEDIA_ROOT (evidence files and
certificate scans) go into media.tar.gz and private_media.tar.gz; restoring extracts them in place
(existing files with the same name are replaced; nothing else is deleted). manifest.json records the
row counts of the main tables at backup time, and restore prints the restored counts beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
COUNTED_TABLES = [
    "villages_regency",
    "villages_village",
    "catalogue_producer",
    "catalogue_product",
    "catalogue_productimage",
    "catalogue_order",
]


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ovop.settings")
    import django
    from django.conf import settings

    django.setup()
    return settings


def _postgres_url() -> str:
    """The DATABASE_URL as libpq reads it (pg_dump and pg_restore accept postgres:// URIs)."""
    return os.environ["DATABASE_URL"].strip().replace("pgsql://", "postgresql://", 1)


def _run(command: list[str]) -> None:
    print("+", " ".join(c if "://" not in c else "<DATABASE_URL>" for c in command), flush=True)
    subprocess.run(command, check=True)  # noqa: S603 - fixed programs, arguments from our settings


def row_counts() -> dict[str, int]:
    from django.db import connection

    existing = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for table in COUNTED_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def _tar(folder: Path, target: Path) -> None:
    with tarfile.open(target, "w:gz") as archive:
        if folder.is_dir():
            for child in sorted(folder.iterdir()):
                archive.add(child, arcname=child.name)


def _untar(archive_path: Path, folder: Path) -> None:
    if not archive_path.exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        archive.extractall(folder, filter="data")  # refuses absolute paths, `..` and device files


def backup(into: Path) -> Path:
    settings = _settings()
    db = settings.DATABASES["default"]
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = into / stamp
    target.mkdir(parents=True, exist_ok=False)
    if db["ENGINE"].endswith("postgresql"):
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target / "db.dump"), _postgres_url()])
        engine = "postgresql"
    else:
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(target / "db.sqlite3")
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
        engine = "sqlite"
    _tar(Path(settings.MEDIA_ROOT), target / "media.tar.gz")
    _tar(Path(settings.PRIVATE_MEDIA_ROOT), target / "private_media.tar.gz")
    manifest = {"created": stamp, "engine": engine, "counts": row_counts()}
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"Backup written to {target}: {manifest['counts']}")
    return target


def _create_database_if_missing(db: dict) -> None:
    import psycopg
    from psycopg import sql

    params = {"host": db["HOST"], "user": db["USER"] or None, "password": db["PASSWORD"] or None}
    if db["PORT"]:
        params["port"] = db["PORT"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"Created database {db['NAME']}.")


def restore(source: Path) -> dict[str, int]:
    settings = _settings()
    db = settings.DATABASES["default"]
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    if db["ENGINE"].endswith("postgresql"):
        if manifest["engine"] != "postgresql":
            raise SystemExit(f"{source} holds a {manifest['engine']} backup; DATABASE_URL is PostgreSQL.")
        _create_database_if_missing(db)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                _postgres_url(),
                str(source / "db.dump"),
            ]
        )
    else:
        if manifest["engine"] != "sqlite":
            raise SystemExit(f"{source} holds a {manifest['engine']} backup; DATABASE_URL is SQLite.")
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{db['NAME']}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source / "db.sqlite3", db["NAME"])
    _untar(source / "media.tar.gz", Path(settings.MEDIA_ROOT))
    _untar(source / "private_media.tar.gz", Path(settings.PRIVATE_MEDIA_ROOT))
    counts = row_counts()
    for table, expected in manifest["counts"].items():
        mark = "ok" if counts.get(table) == expected else "DIFFERS"
        print(f"  {table}: {counts.get(table)} (backup: {expected}) {mark}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovop.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="write a backup folder")
    make.add_argument("--into", type=Path, default=BASE_DIR / "backups")
    back = commands.add_parser("restore", help="restore a backup folder into DATABASE_URL and the media")
    back.add_argument("source", type=Path)
    args = parser.parse_args(argv)
    if args.command == "backup":
        backup(args.into)
        return 0
    if not (args.source / "manifest.json").exists():
        print(f"{args.source} is not a backup folder (no manifest.json).", file=sys.stderr)
        return 2
    restored = restore(args.source)
    expected = json.loads((args.source / "manifest.json").read_text(encoding="utf-8"))["counts"]
    return 0 if all(restored.get(t) == n for t, n in expected.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
