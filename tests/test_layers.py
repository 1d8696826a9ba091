"""The house is read from the bottom up: each package of `drafting` imports only from the layers
below it (the README draws them), never from its own floor's neighbours or from above, and no
import hides inside a function to dodge a cycle. The two pure layers load neither Flask nor
SQLAlchemy."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drafting"

# Each room of `drafting` and its floor. A room may import rooms on lower floors only (and itself).
FLOORS: dict[str, float] = {
    "drafting": 0,  # the package's own __init__: a docstring
    # 1 the pure text core
    "drafting.text": 1,
    # 2 the comparison, pure
    "drafting.compare": 2,
    # 3 the foundation every domain writes to
    "drafting.extensions": 3.0,
    "drafting.keeping": 3.0,  # what a process keeps of work never done twice
    "drafting.database": 3.1,
    "drafting.times": 3.1,
    "drafting.audit": 3.2,
    "drafting.backup": 3.2,
    # 4 the domains, each on the ones below it
    "drafting.notifications": 4.1,  # the outbox: mail written with the event
    "drafting.auth": 4.2,  # people, delegations, roles; the policy's mechanism
    "drafting.documents": 4.3,  # documents, versions, paragraphs; editing, publishing
    "drafting.consultations": 4.4,  # rounds, comments, decisions; where drafts meet comments
    # 5 the faces
    "drafting.web": 5.0,  # the request chores every face shares
    "drafting.exports": 5.0,  # the file writers
    "drafting.verification": 5.1,
    "drafting.demo": 5.1,
    "drafting.pages": 5.2,
    "drafting.api": 5.2,
    "drafting.cli": 5.2,
    "drafting.app": 6,  # the assembly: the app factory and the service's command group
    "drafting.main": 7,  # the `drafting` script: compare at once, the app's commands lazily
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _room(module: str) -> str:
    parts = module.split(".")
    room = ".".join(parts[:2])
    assert room in FLOORS, f"{room} is on no floor: add it to FLOORS and to the README's diagram"
    return room


def _imports(path: Path) -> list[tuple[str, int, bool]]:
    """(module imported, line, inside a function or class) for each import of `drafting`."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {
        id(node)
        for scope in ast.walk(tree)
        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for node in ast.walk(scope)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # `from drafting import cli` imports the module drafting.cli
            targets = [
                f"{base}.{alias.name}"
                if (PACKAGE.parent / f"{base}.{alias.name}".replace(".", "/")).exists()
                or (PACKAGE.parent / (f"{base}.{alias.name}".replace(".", "/") + ".py")).exists()
                else base
                for alias in node.names
            ]
        elif _is_lazy_load(node):
            # importlib.import_module("drafting.…"): a module loaded when first needed. Named in
            # the open, it is no hidden import, but it must go down a floor like any other.
            targets = [node.args[0].value]
        else:
            continue
        found += [
            (t, node.lineno, id(node) in nested and not _is_lazy_load(node))
            for t in targets
            if t.split(".")[0] == "drafting"
        ]
    return found


def _is_lazy_load(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "import_module"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def _graph() -> dict[str, set[str]]:
    rooms: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        source = _room(_module_name(path))
        for target, _line, _nested in _imports(path):
            if _room(target) != source:
                rooms[source].add(_room(target))
    return rooms


def test_every_import_goes_down():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        source = _room(module)
        for target, line, _nested in _imports(path):
            room = _room(target)
            if room != source and FLOORS[room] >= FLOORS[source]:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line} {module} → {target}")
    assert not upward, "imports that do not go down a floor:\n" + "\n".join(upward)


def test_no_cycle_between_packages():
    graph = _graph()
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(room: str) -> list[str] | None:
        seen[room] = 1
        stack.append(room)
        for other in sorted(graph.get(room, ())):
            if seen.get(other) == 1:
                return [*stack[stack.index(other) :], other]
            if other not in seen and (cycle := visit(other)):
                return cycle
        seen[room] = 2
        stack.pop()
        return None

    for room in sorted(graph):
        if room not in seen and (cycle := visit(room)):
            pytest.fail("a cycle between packages: " + " → ".join(cycle))


def test_no_import_hides_in_a_function():
    hidden = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for target, line, nested in _imports(path)
        if nested
    ]
    assert not hidden, "imports inside functions:\n" + "\n".join(hidden)


@pytest.mark.parametrize("module", ["drafting.text", "drafting.compare"])
def test_pure_layers_load_neither_flask_nor_sqlalchemy(module):
    probe = (
        f"import sys, importlib, pkgutil, {module} as m\n"
        "for info in pkgutil.walk_packages(m.__path__, m.__name__ + '.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'flask', 'sqlalchemy', "
        "'flask_sqlalchemy', 'werkzeug', 'jinja2'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]", f"importing {module} loaded {loaded}"


def test_the_graph_test_sees_an_upward_import(tmp_path, monkeypatch):
    """The walker itself: an import of a page from a domain is caught."""
    room = tmp_path / "drafting" / "documents"
    room.mkdir(parents=True)
    (room / "__init__.py").write_text("")
    (room / "bad.py").write_text("def f():\n    from drafting.pages import documents\n")
    (tmp_path / "drafting" / "pages").mkdir()
    (tmp_path / "drafting" / "pages" / "documents.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "drafting")
    [(target, _line, nested)] = _imports(room / "bad.py")
    assert target == "drafting.pages.documents" and nested
    assert FLOORS[_room(target)] > FLOORS[_room("drafting.documents.bad")]


def test_the_graph_test_sees_a_lazy_load(tmp_path, monkeypatch):
    """A module loaded by importlib when first needed counts as an import of it: an upward one
    is caught like any other."""
    room = tmp_path / "drafting" / "compare"
    room.mkdir(parents=True)
    (room / "__init__.py").write_text("")
    (room / "lazy.py").write_text(
        "import importlib\ndef f():\n    return importlib.import_module('drafting.app')\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "drafting")
    [(target, _line, nested)] = _imports(room / "lazy.py")
    assert target == "drafting.app" and not nested
    assert FLOORS[_room(target)] > FLOORS[_room("drafting.compare.lazy")]
