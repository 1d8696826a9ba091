"""The `drafting` script. `drafting compare` runs at once, without the application: building
the app (every page, the database, the API) takes two seconds that a comparison of two files
never needs. Every other command belongs to the app's command group (`drafting.app`), which is
loaded, lazily, only for them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from drafting.cli.compare import compare_command


def main(args: Sequence[str] | None = None) -> None:
    """Run `compare` itself; hand anything else (and `--help`) to the app's command group."""
    args = list(sys.argv[1:] if args is None else args)
    if args[:1] == ["compare"]:
        compare_command.main(args[1:], prog_name="drafting compare")
    else:
        importlib.import_module("drafting.app").cli.main(args, prog_name="drafting")
