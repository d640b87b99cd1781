"""villages is the map of Indonesia and knows nothing of catalogue (issue 11, item 6)."""

from __future__ import annotations

import ast
from pathlib import Path

import villages


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def test_no_module_of_villages_imports_catalogue():
    root = Path(villages.__file__).parent
    offenders = {
        str(path.relative_to(root)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "catalogue"
        )
        for path in root.rglob("*.py")
    }
    assert {path: modules for path, modules in offenders.items() if modules} == {}
