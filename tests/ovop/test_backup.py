"""make backup / make restore: a scratch database with the demo data is dumped with its media, restored
into another database and media folder, and every count and file comes back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import on_postgres

BASE_DIR = settings.BASE_DIR
COUNTS = {
    "villages_regency": 22,
    "villages_village": 52,  # the 44 loci and the 8 villages proposed for the next cohort
    "catalogue_producer": 44,
    "catalogue_product": 44,
}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args], env=env, cwd=BASE_DIR, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def environment(database_url: str, media: Path, private: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media), PRIVATE_MEDIA_ROOT=str(private))
    return env


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def back_up_and_restore(tmp_path: Path, source_url: str, target_url: str) -> tuple[Path, dict[str, int]]:
    source = environment(source_url, tmp_path / "media", tmp_path / "private")
    run(["manage.py", "migrate", "--noinput", "--verbosity", "0"], source)
    run(["manage.py", "load_demo"], source)
    evidence = tmp_path / "private" / "bukti" / "izin-pirt.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 izin P-IRT\n%%EOF\n")

    run(["-m", "ovop.backup", "backup", "--into", str(tmp_path / "backups")], source)
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert {table: manifest["counts"][table] for table in COUNTS} == COUNTS

    target = environment(target_url, tmp_path / "restored-media", tmp_path / "restored-private")
    restored = run(["-m", "ovop.backup", "restore", str(backup)], target)
    assert "DIFFERS" not in restored.stdout
    assert files(tmp_path / "restored-media") == files(tmp_path / "media")
    assert len(files(tmp_path / "media")) >= 44, "the demo's product images are part of the backup"
    assert files(tmp_path / "restored-private") == files(tmp_path / "private")

    code = textwrap.dedent(
        """
        import json
        from catalogue.models import Product
        from ovop.backup import row_counts
        p = Product.objects.select_related("producer__village").order_by("pk").first()
        image = p.images.first()
        on_disk = bool(image and image.image.storage.exists(image.image.name))
        print(json.dumps({**row_counts(), "first": [p.name, p.price, p.producer.village.code, on_disk]}))
        """
    )
    after = json.loads(run(["manage.py", "shell", "--no-imports", "-c", code], target).stdout)
    before = json.loads(run(["manage.py", "shell", "--no-imports", "-c", code], source).stdout)
    assert after == before
    assert after["first"][3] is True, "the restored product's image file is where its row says"
    return backup, after


@pytest.mark.postgres_only
def test_backup_of_a_postgresql_database_restores_into_another_database(tmp_path):
    if not on_postgres():
        pytest.skip(
            "pg_dump/pg_restore need PostgreSQL: run with DATABASE_URL=postgres://... (make test-postgres)"
        )
    import psycopg
    from psycopg import sql

    db = settings.DATABASES["default"]
    base = db["NAME"].removeprefix("test_")
    names = [f"test_{base}_backup_src", f"test_{base}_backup_dst"]
    params = {
        "host": db["HOST"],
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }

    def reset(create: bool) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            for name in names:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if create:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(names[0])))

    def url(name: str) -> str:
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"

    reset(create=True)
    try:
        backup, counts = back_up_and_restore(tmp_path, url(names[0]), url(names[1]))
        assert (backup / "db.dump").read_bytes()[:5] == b"PGDMP", "pg_dump's custom format"
        assert {table: counts[table] for table in COUNTS} == COUNTS
    finally:
        reset(create=False)


def test_backup_of_a_sqlite_database_restores_into_another_file(tmp_path):
    if on_postgres():
        pytest.skip("the PostgreSQL variant runs instead")
    backup, counts = back_up_and_restore(
        tmp_path, f"sqlite:///{tmp_path / 'toko.sqlite3'}", f"sqlite:///{tmp_path / 'pulih' / 'toko.sqlite3'}"
    )
    assert (backup / "db.sqlite3").read_bytes()[:15] == b"SQLite format 3"
    assert {table: counts[table] for table in COUNTS} == COUNTS
