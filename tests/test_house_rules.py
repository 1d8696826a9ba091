"""Rooms a newcomer can read: no module of `drafting` over 400 lines, and views short (the form
flow lives in one step that returns an outcome; a view maps it to a page)."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "drafting"


def _views() -> list[tuple[int, str]]:
    """(lines, where) of every function a blueprint routes to, decorators not counted."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in {
                    "route",
                    "get",
                    "post",
                    "put",
                    "patch",
                    "delete",
                }:
                    lines = node.end_lineno - node.lineno + 1
                    found.append(
                        (lines, f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}")
                    )
                    break
    return found


def test_no_module_over_400_lines():
    crowded = [
        f"{path.relative_to(PACKAGE.parent)}: {n} lines"
        for path in sorted(PACKAGE.rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert not crowded, "\n".join(crowded)


def test_views_are_short():
    views = _views()
    assert len(views) > 50  # the walker finds the pages and the API
    long = [f"{where}: {n} lines" for n, where in views if n > 30]
    assert not long, "views over 30 lines:\n" + "\n".join(long)
    assert statistics.median(n for n, _ in views) <= 12
