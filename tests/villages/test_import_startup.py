"""`import_villages` starts without what it does not use (issue 17): a user waits for start-up too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Everything Django loads for the command, then the importer it runs, in a fresh interpreter.
PROBE = """
import json, sys
import django
django.setup()
from django.core.management import load_command_class
load_command_class("villages", "import_villages")
from villages import importing
print(json.dumps(sorted(sys.modules)))
"""

NOT_AT_START_UP = {
    "redis": "the Redis client (the cache is made on first use)",
    "PIL": "Pillow (image uploads)",
    "stdnum": "python-stdnum (GTIN checks)",
    "openpyxl": "spreadsheet exports",
    "tablib": "the admin's import and export",
    "import_export.resources": "the admin's import and export",
    "villages.admin": "the admin's modules (loaded on the admin's first use)",
    "catalogue.admin": "the admin's modules",
    "villages.importing.mapping": "the mapping format's parsers (a region list needs none)",
    # On SQLite: django.contrib.postgres, and psycopg with it, load when the search first runs there.
    "psycopg": "PostgreSQL's driver, on SQLite",
    "django.contrib.postgres": "PostgreSQL's search expressions, on SQLite",
}


def test_the_village_import_loads_no_cache_client_image_library_or_admin_at_start_up(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ovop.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/11",  # configured, yet not loaded until the cache is used
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert "villages.importing.regions" in loaded
    assert {
        module: why
        for module, why in NOT_AT_START_UP.items()
        if module in loaded or any(name.startswith(module + ".") for name in loaded)
    } == {}
