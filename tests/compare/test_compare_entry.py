"""The `drafting` script (drafting/main.py): `compare` runs without building the application,
and every other command is still the app's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from drafting.main import main

WEB = {"flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "jinja2", "docx"}

PROBE = """
import json, sys
from drafting.main import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    assert not exit.code, exit.code
print(json.dumps(sorted({{n.split(".")[0] for n in sys.modules}} & set({web}))), file=sys.stderr)
"""


def _loaded(*arguments: str) -> tuple[list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(web=sorted(WEB)), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1]), done.stdout


@pytest.mark.parametrize("output_format", ["json", "html"])
def test_compare_loads_neither_the_app_nor_the_word_writer(tmp_path, output_format):
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("# Declaration\n\n1. We agree.\n", "utf-8")
    new.write_text("# Declaration\n\n1. We all agree.\n", "utf-8")
    loaded, output = _loaded("compare", str(old), str(new), "--format", output_format)
    assert loaded == []
    assert "all" in output


def test_compare_writes_word_when_asked(tmp_path):
    old, new = tmp_path / "old.md", tmp_path / "new.md"
    old.write_text("1. We agree.\n", "utf-8")
    new.write_text("1. We all agree.\n", "utf-8")
    target = tmp_path / "redline.docx"
    loaded, _ = _loaded("compare", str(old), str(new), "--format", "docx", "-o", str(target))
    assert loaded == ["docx"]
    assert target.read_bytes().startswith(b"PK")


def test_every_other_command_is_the_apps(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["--help"])
    assert exit.value.code == 0
    listed = capsys.readouterr().out
    assert all(name in listed for name in ("compare", "demo", "import", "verify", "db"))
