"""Every test gets its own empty journal and a fixed clock (2026-11-25 10:30, a Wednesday).

Records carry their author (config `author`, else the login name); the login name is
fixed to `LOGIN` so the fallback is the same on every machine.

By default the journal is a fresh SQLite file. With `SRM_TEST_DATABASE_URL` set (a
PostgreSQL URL), the same tests run against that server: the schema is migrated once and
every table is emptied before each test. Tests that need a SQLite file are marked
`sqlite_only` and skipped there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

FIXED_NOW = "2026-11-25T10:30:00"
LOGIN = "kim"
SERVER_URL = os.environ.get("SRM_TEST_DATABASE_URL", "").strip()


def _worker_database(url: str, worker: str) -> str:
    """The suite runs in parallel workers (pytest-xdist): each gets a database of its own
    on the test server, made once, so one worker's emptying never meets another's test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if found.first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


if SERVER_URL and os.environ.get("PYTEST_XDIST_WORKER"):
    SERVER_URL = _worker_database(SERVER_URL, os.environ["PYTEST_XDIST_WORKER"])
    # test modules that read the variable themselves see this worker's database too
    os.environ["SRM_TEST_DATABASE_URL"] = SERVER_URL

# no time limit per example: Hypothesis' default deadline (200 ms) is a wall-clock
# assertion that a busy machine fails; speed is measured in benchmarks/
settings.register_profile("srm", deadline=None)
settings.load_profile("srm")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not SERVER_URL:
        return
    skip = pytest.mark.skip(reason="needs a SQLite journal file")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


_server_tables: list[str] = []
_server_sequences: list[str] = []


def _empty_server_journal() -> None:
    """Every table of the server journal emptied and its ids restarted: DELETE in
    dependency order is several times faster than TRUNCATE on tables this small (TRUNCATE
    gives each table new files), which makes the PostgreSQL run of the suite much shorter."""
    from sqlalchemy import create_engine, text

    from srmcli import db

    if not _server_tables:
        from sqlmodel import SQLModel

        from srmcli import models  # noqa: F401 - the tables, for their dependency order

        db.select(SERVER_URL)
        db.engine(write=True)  # migrates a blank server database once
        db.dispose()
        db.select(None)
        _server_tables.extend(t.name for t in reversed(SQLModel.metadata.sorted_tables))
        engine = create_engine(SERVER_URL)
        with engine.connect() as conn:
            _server_sequences.extend(
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()"
                    )
                )
            )
        engine.dispose()
    engine = create_engine(SERVER_URL)
    with engine.begin() as conn:
        for table in _server_tables:
            conn.execute(text(f'DELETE FROM "{table}"'))
        for sequence in _server_sequences:
            conn.execute(text(f'ALTER SEQUENCE "{sequence}" RESTART'))
    engine.dispose()


Statement = tuple[str, tuple[Any, ...]]


@pytest.fixture(scope="session")
def head_schema(tmp_path_factory: pytest.TempPathFactory) -> list[Statement]:
    """What Alembic makes of a blank SQLite journal, as statements to replay: its tables,
    indexes, triggers and full-text table exactly as sqlite_master keeps them, and its
    rows (the revision). Alembic runs once per session, not once per test."""
    import sqlite3

    from srmcli import db

    path = tmp_path_factory.mktemp("head") / "blank.db"
    db.select(str(path))
    db.engine(write=True)
    db.dispose()
    db.select(None)
    con = sqlite3.connect(path)
    try:
        found = con.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
            " AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
        ).fetchall()
        virtual = [name for _, name, sql in found if sql.startswith("CREATE VIRTUAL TABLE")]
        # the shadow tables of a virtual table come with it
        shadow = {name for _, name, _ in found if any(name.startswith(f"{v}_") for v in virtual)}
        order = {"table": 0, "index": 1, "view": 2, "trigger": 3}
        ddl = sorted(
            ((kind, sql) for kind, name, sql in found if not (kind == "table" and name in shadow)),
            key=lambda item: order[item[0]],
        )
        statements: list[Statement] = [(sql, ()) for _, sql in ddl]
        for kind, name, sql in found:
            if kind != "table" or name in shadow or sql.startswith("CREATE VIRTUAL TABLE"):
                continue
            for row in con.execute(f'SELECT * FROM "{name}"'):
                marks = ", ".join("?" * len(row))
                statements.append((f'INSERT INTO "{name}" VALUES ({marks})', tuple(row)))
    finally:
        con.close()
    return statements


def _migrated_from(statements: list[Statement], journal: Path, migrate: Any) -> Any:
    """srm's migration step, replaying `statements` when it upgrades the test's own blank
    journal; any other database (an older revision, another file) goes through Alembic."""

    def upgrade(conn: Any) -> None:
        from sqlalchemy import inspect

        database = conn.engine.url.database if conn.dialect.name == "sqlite" else None
        blank = database is not None and not inspect(conn).get_table_names()
        if not (blank and Path(database).resolve() == journal.resolve()):
            migrate(conn)
            return
        for sql, params in statements:
            conn.exec_driver_sql(sql, params)

    return upgrade


@pytest.fixture(autouse=True)
def journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[Path]:
    from srmcli import config, db

    path = tmp_path / "journal" / "srm.db"
    monkeypatch.setenv("SRM_DB", str(path))
    if SERVER_URL:
        _empty_server_journal()
        monkeypatch.setenv("SRM_DATABASE_URL", SERVER_URL)
    else:
        monkeypatch.delenv("SRM_DATABASE_URL", raising=False)
        statements = request.getfixturevalue("head_schema")
        monkeypatch.setattr(
            db, "_run_alembic_upgrade", _migrated_from(statements, path, db._run_alembic_upgrade)
        )
    monkeypatch.setenv("SRM_NOW", FIXED_NOW)
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # getpass.getuser() reads these
        monkeypatch.setenv(variable, LOGIN)
    monkeypatch.setenv("SRM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # drafts of unsaved notes
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


@pytest.fixture(scope="session")
def srm_command() -> Any:
    """The whole command line as one Click command, built once per test session: Typer's
    CliRunner would turn the Typer app into a Click command again on every call (about
    200 ms against 30 ms for the call itself)."""
    import typer.main

    from srmcli.cli import app

    return typer.main.get_command(app)


class _BuiltOnce(CliRunner):
    """Typer's CliRunner invoking an already built Click command."""

    def __init__(self, command: Any) -> None:
        super().__init__()
        self.command = command

    def invoke(self, app: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        import typer.testing

        built = self.command
        original = typer.testing._get_command
        typer.testing._get_command = lambda _app: built  # type: ignore[assignment]
        try:
            return super().invoke(app, *args, **kwargs)
        finally:
            typer.testing._get_command = original  # type: ignore[assignment]


@pytest.fixture
def srm(srm_command: Any) -> Callable[..., Ran]:
    """Run `srm ARGS…` in-process; stdout and stderr are kept apart."""
    from srmcli import config, db
    from srmcli.cli import app

    runner = _BuiltOnce(srm_command)

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
