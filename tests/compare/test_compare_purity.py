"""The comparison package stays pure: texts in, data out, no web framework or database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import drafting.compare

PACKAGE = Path(drafting.compare.__file__).parent
FORBIDDEN = ("flask", "flask_sqlalchemy", "sqlalchemy", "flask_login", "flask_wtf")


def imported_modules(source: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("source", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_compare_module_imports_no_flask_or_database(source):
    roots = {module.split(".")[0] for module in imported_modules(source)}
    assert not roots & set(FORBIDDEN)
