"""Every test gets its own journal file and a fixed clock (2026-11-25 10:30, a Wednesday)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

FIXED_NOW = "2026-11-25T10:30:00"


@pytest.fixture(autouse=True)
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from srmcli import config, db

    path = tmp_path / "journal" / "srm.db"
    monkeypatch.setenv("SRM_DB", str(path))
    monkeypatch.delenv("SRM_DATABASE_URL", raising=False)
    monkeypatch.setenv("SRM_NOW", FIXED_NOW)
    monkeypatch.setenv("SRM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("SRM_AUTHOR", "")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    config.reset_cache()
    db.select(None)
    yield path
    db.dispose()
    db.select(None)
    config.reset_cache()


@dataclass
class Ran:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


@pytest.fixture
def srm() -> Callable[..., Ran]:
    """Run `srm ARGS…` in-process; stdout and stderr are kept apart."""
    from srmcli import config, db
    from srmcli.cli import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None, ok: bool | None = None) -> Ran:
        config.reset_cache()
        result = runner.invoke(app, list(args), input=input)
        db.dispose()
        db.select(None)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        ran = Ran(result.exit_code, result.stdout, result.stderr)
        if ok is True:
            assert ran.exit_code == 0, ran
        return ran

    return run
