"""What only a PostgreSQL server can show: full-text search, migration 0002, logins, locks.

Skipped unless `SRM_TEST_DATABASE_URL` names a server (CI starts one on 127.0.0.1 with
.ci/postgres.sh). The rest of the suite runs there too; these are the server's own rules.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVER_URL = os.environ.get("SRM_TEST_DATABASE_URL", "").strip()
# seconds a process may take before a test gives up on it: only a hang takes this long,
# however busy the machine (no test here asserts speed)
PATIENCE = 600
PROBES = 12_000  # tries 0.05 s apart
pytestmark = pytest.mark.skipif(
    not SERVER_URL, reason="needs a PostgreSQL server: set SRM_TEST_DATABASE_URL (CI does)"
)


def run_srm(
    *args: str, env: dict[str, str] | None = None, timeout: float = PATIENCE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "srmcli", *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def admin() -> Any:
    """A superuser engine on the test server, outside any transaction (for DDL and roles)."""
    from sqlalchemy import create_engine

    return create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")


def notes_of(rows: list[dict[str, Any]]) -> list[str]:
    return [r["note"] for r in rows]


# --------------------------------------------------------------------------- search


def test_search_needs_every_word_matches_prefixes_and_ranks_best_first(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Brightline", ok=True)
    srm("log", "Acme", "Delivery late; the delivery slipped and delivery was short", "--date", "2026-10-01", ok=True)  # fmt: skip
    srm("log", "Acme", "Late delivery of the castings", "--date", "2026-11-02", ok=True)
    srm("log", "Acme", "Delivery on time", "--date", "2026-11-03", ok=True)
    srm("log", "Brightline", "Late delivery of resin", "--date", "2026-11-04", ok=True)
    srm("log", "Acme", "Price increase announced", "--date", "2026-11-05", ok=True)

    found = notes_of(srm("search", "deliv LAT", "-f", "json", ok=True).json())
    # three mentions outrank one; among equal ranks the newer comes first
    assert found == [
        "Delivery late; the delivery slipped and delivery was short",
        "Late delivery of resin",
        "Late delivery of the castings",
    ]
    only = srm("search", "late deliv", "--supplier", "bright", "-f", "json", ok=True).json()
    assert notes_of(only) == ["Late delivery of resin"]
    assert srm("search", "price castings", "-f", "json", ok=True).json() == []


def test_search_ignores_accents_and_treats_punctuation_as_spaces(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Réunion au café: délai confirmé", ok=True)
    assert notes_of(srm("search", "café", "-f", "json", ok=True).json()) == [
        "Réunion au café: délai confirmé"
    ]
    assert notes_of(srm("search", "dél:*|!", "-f", "json", ok=True).json()) == [
        "Réunion au café: délai confirmé"
    ]
    # accents are read as SQLite's FTS5 reads them (migration 0010)
    assert notes_of(srm("search", "cafe DELAI", "-f", "json", ok=True).json()) == [
        "Réunion au café: délai confirmé"
    ]


def test_the_gin_index_exists_and_answers_the_search_query(srm) -> None:
    from sqlalchemy import event, text

    from srmcli import db
    from srmcli.services.interactions import search

    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Tooling quote received", ok=True)
    with admin().connect() as conn:
        definition = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_interaction_note_fts'")
        ).scalar()
    assert definition is not None
    assert "USING gin (srm_note_words((note)::text))" in definition

    statements: list[tuple[str, Any]] = []
    engine = db.engine()
    listener = lambda _c, _cur, sql, params, _ctx, _many: statements.append((sql, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with db.session() as s:
            assert notes_of(search(session=s, text="tool quot")) == ["Tooling quote received"]
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    sql, params = next((q, p) for q, p in statements if "to_tsquery" in q)  # fmt: skip
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET enable_seqscan = off")  # a tiny table: make the planner show its hand
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cur.fetchall())
    finally:
        raw.rollback()
        raw.close()
    assert "ix_interaction_note_fts" in plan, plan


def test_the_server_schema_matches_the_models() -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import srmcli.models  # noqa: F401
    from srmcli.migrations import HEAD, include_name

    engine = create_engine(SERVER_URL)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"include_name": include_name, "compare_type": True}
            )
            assert ctx.get_current_revision() == HEAD
            assert compare_metadata(ctx, SQLModel.metadata) == []
    finally:
        engine.dispose()


# ----------------------------------------------------------------- upgrading a journal


@pytest.fixture
def spare_database() -> Iterator[str]:
    """A database of its own on the test server, dropped afterwards."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    name = f"srm_spare_{uuid.uuid4().hex[:10]}"
    engine = admin()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def journal_at(url: str, revision: str, *statements: str) -> Any:
    """The database at `url` migrated to `revision` (not to head) holding `statements`'
    rows, as an older srm left it; returns its engine."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    from srmcli import migrations

    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = Config()
        cfg.set_main_option("script_location", str(Path(migrations.__file__).parent))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        for statement in statements:
            conn.execute(text(statement))
    return engine


def test_a_0004_journal_gets_its_contact_ids_from_the_links(spare_database: str) -> None:
    """Revision 0005 on the server: each interaction keeps the ids of who took part."""
    from sqlalchemy import text

    engine = journal_at(
        spare_database,
        "0004",
        "INSERT INTO supplier (id, name, name_key, aliases, status, access, tags, created_at)"
        " VALUES (1, 'Acme', 'acme', '[]', 'active', 'standard', '[]', '2026-01-01')",
        "INSERT INTO contact (id, supplier_id, name, name_key, role, active) VALUES"
        " (1, 1, 'Bob', 'bob', 'operations', true), (2, 1, 'Alice', 'alice', 'sales', true)",
        "INSERT INTO interaction (id, supplier_id, occurred_at, channel, initiator, tone,"
        " tags, note) VALUES (1, 1, '2026-11-01', 'call', 'us', 0, '[]', 'Both'),"
        " (2, 1, '2026-11-02', 'call', 'us', 0, '[]', 'Nobody')",
        "INSERT INTO interaction_contact (interaction_id, contact_id, occurred_at) VALUES"
        " (1, 2, '2026-11-01'), (1, 1, '2026-11-01')",
    )
    env = {"SRM_DATABASE_URL": spare_database}
    assert run_srm("db", "upgrade", env=env).returncode == 0
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT contact_ids::jsonb FROM interaction ORDER BY id")).all()
    engine.dispose()
    assert [r[0] for r in kept] == [[1, 2], []]
    assert run_srm("db", "check", env=env).returncode == 0
    out = run_srm("export", "interactions", env=env)
    assert out.returncode == 0, out.stderr
    assert [line.split(",")[5] for line in out.stdout.splitlines()[1:]] == ["Alice;Bob", ""]


def test_a_0005_journal_gets_its_escaped_json_rewritten_as_utf8(spare_database: str) -> None:
    """Revision 0006 on the server: a `json` column keeps the text it was given, so the
    escapes an older srm wrote are rewritten there too; the values stay equal."""
    from sqlalchemy import text

    engine = journal_at(
        spare_database,
        "0005",
        "INSERT INTO supplier (id, name, name_key, aliases, status, access, tags, created_at)"
        " VALUES (1, 'Müller', 'müller', '[\"M\\u00fcl\"]', 'active', 'standard',"
        ' \'["pr\\u00e4zision", "a\\u001bb", "C:\\\\users"]\', \'2026-01-01\')',
        "INSERT INTO interaction (id, supplier_id, occurred_at, channel, initiator, tone,"
        " tags, note) VALUES (1, 1, '2026-11-01', 'call', 'us', 0, '[\"pr\\u00e4zision\"]',"
        " 'Gespräch über Toleranzen'), (2, 1, '2026-11-02', 'call', 'us', 0, '[]', 'Lieferung')",
    )
    with engine.connect() as conn:
        before = conn.execute(text("SELECT tags::text FROM interaction WHERE id = 1")).scalar()
    assert before == '["pr\\u00e4zision"]'
    env = {"SRM_DATABASE_URL": spare_database}
    assert run_srm("db", "upgrade", env=env).returncode == 0
    with engine.connect() as conn:
        supplier = conn.execute(text("SELECT aliases::text, tags::text FROM supplier")).one()
        found = conn.execute(
            text("SELECT id FROM interaction WHERE tags::text LIKE '%präzision%'")
        ).all()
        values = conn.execute(text("SELECT tags FROM supplier")).scalar()
    engine.dispose()
    assert tuple(supplier) == ('["Mül"]', '["präzision", "a\\u001bb", "C:\\\\users"]')
    assert values == ["präzision", "a\x1bb", "C:\\users"]
    assert found == [(1,)]
    hits = run_srm("search", "Toleranzen", "-f", "json", env=env)
    assert hits.returncode == 0, hits.stderr
    assert '"note": "Gespräch über Toleranzen"' in hits.stdout
    assert run_srm("db", "check", env=env).returncode == 0


def test_a_0008_journal_gets_numeric_money_jsonb_lists_and_the_new_search(
    spare_database: str,
) -> None:
    """Revision 0010 on the server: money becomes NUMERIC (each amount the decimal it
    was typed as), the lists jsonb (a lone surrogate or NUL escape, which jsonb cannot
    hold, becomes U+FFFD), and notes written before are found as SQLite finds them."""
    from sqlalchemy import text

    engine = journal_at(
        spare_database,
        "0008",
        "INSERT INTO supplier (id, name, name_key, aliases, status, access, tags, created_at,"
        " annual_spend, supplier_revenue) VALUES (1, 'Müller', 'müller', '[\"M\\ud800\"]',"
        " 'active', 'standard', '[\"a\\u0000b\", \"ok\"]', '2026-01-01', 150000, 0.1),"
        " (2, 'Acme', 'acme', '[]', 'active', 'standard', '[]', '2026-01-01', 150000.5, NULL)",
        "INSERT INTO interaction (id, supplier_id, occurred_at, channel, initiator, tone,"
        " tags, note) VALUES (1, 1, '2026-11-01', 'call', 'us', 0, '[]', 'Offered -5% off')",
    )
    env = {"SRM_DATABASE_URL": spare_database}
    upgraded = run_srm("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    with engine.connect() as conn:
        types = dict(
            conn.execute(
                text(
                    "SELECT column_name, data_type FROM information_schema.columns WHERE"
                    " table_name = 'supplier' AND column_name IN"
                    " ('annual_spend', 'supplier_revenue', 'aliases', 'tags')"
                )
            ).all()
        )
        money = conn.execute(
            text("SELECT annual_spend::text, supplier_revenue::text FROM supplier ORDER BY id")
        ).all()
        lists = conn.execute(text("SELECT aliases, tags FROM supplier WHERE id = 1")).one()
    engine.dispose()
    assert types == {
        "annual_spend": "numeric",
        "supplier_revenue": "numeric",
        "aliases": "jsonb",
        "tags": "jsonb",
    }
    assert [tuple(m) for m in money] == [("150000", "0.1"), ("150000.5", None)]
    assert tuple(lists) == (["M\ufffd"], ["a\ufffdb", "ok"])
    listed = run_srm("supplier", "list", "-f", "json", env=env)
    assert '"annual_spend": 150000.5,' in listed.stdout and "150000.0" not in listed.stdout
    hits = run_srm("search", "5", "-f", "json", env=env)
    assert hits.returncode == 0, hits.stderr
    assert '"note": "Offered -5% off"' in hits.stdout
    assert run_srm("db", "check", env=env).returncode == 0


def test_a_0001_journal_is_upgraded_once_while_several_processes_open_it(
    spare_database,
) -> None:
    from sqlalchemy import text

    from srmcli import migrations

    engine = journal_at(
        spare_database,
        "0001",
        "INSERT INTO supplier (name, name_key, aliases, status, access, tags, created_at) "
        "VALUES ('Acme', 'acme', '[]', 'active', 'standard', '[]', '2026-01-01')",
        "INSERT INTO interaction (supplier_id, occurred_at, channel, initiator, tone, "
        "tags, note) VALUES (1, '2026-11-01', 'call', 'us', 0, '[]', 'Alpha tooling')",
    )

    env = {"SRM_DATABASE_URL": spare_database}
    openers = [
        subprocess.Popen(
            [sys.executable, "-m", "srmcli", "search", "alph", "-f", "json"],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for opener in openers:
        out, err = opener.communicate(timeout=PATIENCE)
        assert opener.returncode == 0, err
        assert '"note": "Alpha tooling"' in out
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (migrations.HEAD,)
        ]
        assert (
            conn.execute(
                text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_interaction_note_fts'")
            ).scalar()
            == 1
        )
    engine.dispose()


# ---------------------------------------------------------------- logins and locks


@pytest.fixture
def password_role() -> Iterator[tuple[str, str]]:
    """A role that must log in with a password: a line at the top of pg_hba.conf, reloaded."""
    from sqlalchemy import text

    role, password = f"srm_pw_{uuid.uuid4().hex[:8]}", "Right-Horse-42"
    engine = admin()
    with engine.connect() as conn:
        hba = Path(str(conn.execute(text("SHOW hba_file")).scalar()))
        if not os.access(hba, os.W_OK):
            engine.dispose()
            pytest.skip(f"cannot edit {hba} to require a password on this server")
        original = hba.read_text()
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + original)
        conn.execute(text("SELECT pg_reload_conf()"))
    _wait_for_password_rule(role)
    try:
        yield role, password
    finally:
        hba.write_text(original)
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_reload_conf()"))
            conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        engine.dispose()


def _wait_for_password_rule(role: str) -> None:
    """Until the postmaster has reread pg_hba.conf (on SIGHUP, asynchronously): a wrong
    password is refused only once the new line is in force."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.pool import NullPool

    url = make_url(SERVER_URL).set(username=role, password="Not-The-One-0")
    probe = create_engine(url, poolclass=NullPool)
    try:
        for _ in range(PROBES):  # a bound on tries, so only a server that never reloads fails
            try:
                probe.connect().close()
            except OperationalError:
                return
            time.sleep(0.05)
        pytest.fail(f"the server did not apply the new pg_hba.conf line in {PROBES} tries")
    finally:
        probe.dispose()


def test_a_wrong_password_is_one_error_line_that_never_shows_it(srm, password_role) -> None:
    from sqlalchemy.engine import make_url

    role, _password = password_role
    srm("supplier", "add", "Acme", ok=True)
    before = srm("export", "suppliers", "-f", "jsonl", ok=True).stdout
    url = (
        make_url(SERVER_URL)
        .set(username=role, password="Wrong-Battery-7")
        .render_as_string(hide_password=False)
    )
    for args in (["supplier", "list"], ["log", "Acme", "Never lands"]):
        ran = run_srm(*args, env={"SRM_DATABASE_URL": url})
        assert ran.returncode == 1, ran.stderr
        assert "Traceback" not in ran.stderr
        lines = ran.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
        assert "refused the login" in lines[0]
        assert f"{role}:****@127.0.0.1" in lines[0]
        assert "Wrong-Battery" not in ran.stdout + ran.stderr
    assert srm("export", "suppliers", "-f", "jsonl", ok=True).stdout == before


HOLDER = """
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
with engine.connect() as conn:
    conn.execute(text("LOCK TABLE interaction IN EXCLUSIVE MODE"))
    print("holding", flush=True)
    sys.stdin.readline()
    conn.rollback()
"""


def test_readers_answer_while_a_transaction_locks_the_interactions(srm, tmp_path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Quarterly review", "--date", "2026-11-20", ok=True)
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen(
        [sys.executable, str(script), SERVER_URL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        read = run_srm("timeline", "Acme", "-f", "json")
        assert read.returncode == 0, read.stderr
        assert '"note": "Quarterly review"' in read.stdout
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=PATIENCE)


def test_a_writer_blocked_past_the_busy_timeout_gives_up_cleanly(srm, tmp_path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen(
        [sys.executable, str(script), SERVER_URL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        ran = run_srm("log", "Acme", "Waits", env={"SRM_BUSY_TIMEOUT_MS": "300"})
        assert ran.returncode == 1, ran.stderr
        assert "Traceback" not in ran.stderr
        assert ran.stderr.startswith("Error: ") and "try again" in ran.stderr
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=PATIENCE)
    assert srm("export", "interactions", "-f", "jsonl", ok=True).stdout == ""
