"""The `srm` executable. `srm --version` answers here, before Typer is imported."""

from __future__ import annotations

import sys

from srmcli import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"srm {__version__}")
        return
    from srmcli.cli import main as run

    run()
