"""Reliability: several srm processes on one journal, and a journal that cannot be used.

The processes are real ones (`python -m srmcli`, as a buyer's shell or a cron job runs
it); they inherit the test's journal (a SQLite file, or the server of
`SRM_TEST_DATABASE_URL`). A failure must be one `Error:` line, exit 1, no traceback, no
secret, and the journal exactly as it was.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from srmcli.services.records import INTERACTION_COLUMNS

SERVER = bool(os.environ.get("SRM_TEST_DATABASE_URL", "").strip())

# seconds a process may take before a test gives up on it: only a hang takes this long,
# however busy the machine (no test here asserts speed; benchmarks/ measures it)
PATIENCE = 600


def run_srm(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = PATIENCE,
    preexec_fn: Callable[[], Any] | None = None,
    user: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """`srm ARGS…` in its own process, with the test's journal and clock."""
    command = [sys.executable, "-m", "srmcli", *args]
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    return subprocess.run(
        command,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        stdin=subprocess.DEVNULL,
    )


def assert_clean_failure(ran: subprocess.CompletedProcess[str], *needles: str) -> str:
    """Exit 1, nothing on stdout, one `Error:` line on stderr, no traceback."""
    assert ran.returncode == 1, (ran.returncode, ran.stdout, ran.stderr)
    assert "Traceback" not in ran.stderr
    lines = ran.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), ran.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def notes(srm: Callable[..., Any]) -> list[str]:
    """The notes of every interaction, as `srm export` gives them."""
    exported = srm("export", "interactions", "-f", "jsonl", ok=True).stdout
    import json

    return [json.loads(line)["note"] for line in exported.splitlines() if line]


def write_interactions_csv(path: Path, count: int, supplier: str = "Acme") -> None:
    """A bulk import file: `count` distinct interactions, as another system exports them."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(INTERACTION_COLUMNS)
        for n in range(count):
            when = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00"
            out.writerow(
                ["", supplier, when, "call", "us", "", "", "0", "", "", f"bulk {n}", "importer"]
            )


def count_bulk() -> int:
    """Imported rows, read straight from the journal (a reader srm does not control)."""
    from sqlalchemy import create_engine, text

    from srmcli import db

    engine = create_engine(db.url())
    try:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT count(*) FROM interaction WHERE author = 'importer'")
            ).scalar()
    finally:
        engine.dispose()
    return int(found or 0)


# ----------------------------------------------------------------- concurrent writers

WRITER = """
import sys
import typer.main
from srmcli import db
from srmcli.cli import app

worker, count = sys.argv[1], int(sys.argv[2])
command = typer.main.get_command(app)  # built once: Typer would rebuild it on every call
failed = 0
for n in range(count):
    # each write opens the journal afresh, as a separate `srm log` would
    try:
        command(["log", "Acme", f"worker {worker} call {n}", "--tag", f"w{worker}"])
    except SystemExit as end:
        failed += bool(end.code)
    db.dispose()
    db.select(None)
print(failed)
"""


@pytest.mark.slow
def test_eight_processes_logging_fifty_times_each_land_all_400_rows(srm, tmp_path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    workers = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(8)
    ]
    results = [w.communicate(timeout=PATIENCE) for w in workers]
    for worker, (out, err) in zip(workers, results, strict=True):
        assert worker.returncode == 0, err
        assert "Error" not in err and "Traceback" not in err, err
        assert out.strip() == "0"
    logged = notes(srm)
    assert len(logged) == 400
    assert sorted(logged) == sorted(f"worker {w} call {n}" for w in range(8) for n in range(50))


# ------------------------------------------------------------- readers and the write lock

HOLDER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
con.execute("INSERT INTO supplier (name, name_key, aliases, status, access, tags, created_at) "
            "VALUES ('Held', 'held', '[]', 'active', 'standard', '[]', '2026-01-01 00:00:00')")
print("holding", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
"""


@pytest.mark.sqlite_only
def test_readers_answer_while_a_writer_holds_the_lock_and_a_blocked_writer_gives_up_cleanly(
    srm, journal, tmp_path
) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Quarterly review", "--date", "2026-11-20", ok=True)
    before = _dump(journal)
    script = tmp_path / "holder.py"
    script.write_text(HOLDER)
    holder = subprocess.Popen(
        [sys.executable, str(script), str(journal)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"

        # the holder keeps its lock until told: a reader that waited for it would time out
        # and fail, so answering at all shows that readers do not wait
        read = run_srm("timeline", "Acme", "-f", "json")
        assert read.returncode == 0, read.stderr
        assert [e["note"] for e in __import__("json").loads(read.stdout)] == ["Quarterly review"]

        # and a writer that waited for ever would never return: it gives up after 0.3 s
        blocked = run_srm(
            "log", "Acme", "Should wait", "--follow-up", "Send drawings", "--due", "friday",
            env={"SRM_BUSY_TIMEOUT_MS": "300"},
        )  # fmt: skip
        line = assert_clean_failure(blocked, "locked by another srm process", "try again")
        assert "0.3 s" in line
    finally:
        if holder.stdin is not None:
            holder.stdin.write("\n")
            holder.stdin.close()
        holder.wait(timeout=PATIENCE)
    assert notes(srm) == ["Quarterly review"]
    assert srm("followup", "list", "-f", "json", ok=True).json() == []
    assert [s["name"] for s in srm("supplier", "list", "-f", "json", ok=True).json()] == ["Acme"]
    # the failed writer left every table as it found it (the holder rolled back too)
    assert _dump(journal) == before


def _dump(path: Path) -> list[str]:
    """Every row of every table, as SQL: the journal's content, whatever its pages."""
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def _checkpointed(path: Path) -> bytes:
    """The journal's content with any WAL folded in, for a byte comparison."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path.read_bytes()


# --------------------------------------------------------------------- long imports


@pytest.mark.slow
def test_a_long_import_commits_whole_while_logs_wait_beside_it(srm, tmp_path) -> None:
    srm("supplier", "add", "Acme", ok=True)
    bulk = tmp_path / "bulk.csv"
    write_interactions_csv(bulk, 50_000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "srmcli", "import", "interactions", str(bulk)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: set[int] = set()
    logs = []
    for n in range(3):
        seen.add(count_bulk())  # a reader sees none of the import or all of it
        logs.append(
            run_srm(  # each waits for the import's lock as long as the import may take
                "log",
                "Acme",
                f"call beside the import {n}",
                env={"SRM_BUSY_TIMEOUT_MS": str(PATIENCE * 1000)},
            )
        )
    out, err = importer.communicate(timeout=PATIENCE)
    assert importer.returncode == 0, err
    assert "added 50000, skipped 0" in err
    for ran in logs:
        assert ran.returncode == 0, ran.stderr
    assert seen <= {0, 50_000}
    assert count_bulk() == 50_000
    logged = notes(srm)
    assert len(logged) == 50_003
    assert {f"call beside the import {n}" for n in range(3)} <= set(logged)


@pytest.mark.slow
def test_kill_9_during_an_import_leaves_all_or_none_and_a_sound_journal(
    srm, journal, tmp_path
) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Before the import", ok=True)
    bulk = tmp_path / "bulk.csv"
    write_interactions_csv(bulk, 100_000)
    importer = subprocess.Popen(
        [sys.executable, "-m", "srmcli", "import", "interactions", str(bulk)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = journal.with_name(journal.name + "-wal")
    # kill it once it is visibly writing (SQLite: the WAL grows; a server: it has worked
    # for 75 polls, a second and a half), before its commit at the very end; the polls are
    # counted, so a slow machine only waits longer
    for polls in range(1500):
        if importer.poll() is not None:
            break
        if not SERVER and wal.exists() and wal.stat().st_size > 1 << 20:
            break
        if SERVER and polls >= 75:
            break
        time.sleep(0.02)
    was_running = importer.poll() is None
    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=PATIENCE)

    check = run_srm("db", "check")
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "ok"
    assert count_bulk() in (0 if was_running else 100_000, 100_000)
    after = notes(srm)
    assert "Before the import" in after
    assert len(after) in (1, 100_001)
    # the journal takes writes again straight away
    srm("log", "Acme", "After the crash", ok=True)


@pytest.mark.slow
def test_four_writers_beside_two_imports_of_20k_rows_lose_and_refuse_nothing(
    srm, journal, tmp_path
) -> None:
    """SPEC §13, "Locks": each import holds the write lock while it runs; the writers wait
    for it with the default busy timeout (the config's `busy_timeout_s`, 30 s), and every
    one of their notes lands."""
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Globex", ok=True)
    bulks = []
    for supplier in ("Acme", "Globex"):
        bulk = tmp_path / f"{supplier}.csv"
        write_interactions_csv(bulk, 20_000, supplier=supplier)
        bulks.append(bulk)
    env = {k: v for k, v in os.environ.items() if k != "SRM_BUSY_TIMEOUT_MS"}
    importers = [
        subprocess.Popen(
            [sys.executable, "-m", "srmcli", "import", "interactions", str(bulk)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for bulk in bulks
    ]
    # the writers start once an import is visibly writing (its WAL grows; on a server,
    # after a moment), so that they meet its lock
    wal = journal.with_name(journal.name + "-wal")
    for polls in range(PATIENCE * 100):  # counted polls 0.01 s apart, not a clock
        if not all(i.poll() is None for i in importers):
            break
        if (not SERVER and wal.exists() and wal.stat().st_size > 256 << 10) or (
            SERVER and polls >= 150
        ):
            break
        time.sleep(0.01)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writers = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), "10"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for importer in importers:
        out, err = importer.communicate(timeout=PATIENCE)
        assert importer.returncode == 0, err
        assert "added 20000, skipped 0" in err
    for writer in writers:
        out, err = writer.communicate(timeout=PATIENCE)
        assert writer.returncode == 0, err
        assert "Error" not in err and "Traceback" not in err, err
        assert out.strip() == "0", err  # no log refused
    assert count_bulk() == 40_000
    logged = [n for n in notes(srm) if n.startswith("worker ")]
    assert sorted(logged) == sorted(f"worker {w} call {n}" for w in range(4) for n in range(10))


# ------------------------------------------------------------- journals that cannot be used


@pytest.fixture
def filled(srm, journal) -> Path:
    """A journal with a supplier and a note, folded into one file (no -wal beside it)."""
    srm("supplier", "add", "Acme", ok=True)
    srm("log", "Acme", "Kickoff call", "--date", "2026-11-20", ok=True)
    _checkpointed(journal)
    return journal


def _siblings(path: Path) -> dict[str, bytes]:
    """Every file in the journal's folder and its bytes: "nothing changed" means all of them.

    SQLite may leave an empty -wal and its -shm index behind after merely opening the
    journal; they hold no data, so they are not a change.
    """
    return {
        p.name: p.read_bytes()
        for p in sorted(path.parent.iterdir())
        if p.is_file()
        and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "damage, words",
    [
        ("scribble", "damaged or not a database"),
        ("truncate", "damaged or not a database"),
        ("text", "not an srm journal"),
    ],
)
def test_a_damaged_journal_is_one_error_line_and_left_untouched(filled, damage, words) -> None:
    raw = filled.read_bytes()
    if damage == "scribble":  # keep the header, wreck the schema page and the rest
        filled.write_bytes(raw[:100] + b"\xa5" * (len(raw) - 100))
    elif damage == "truncate":
        filled.write_bytes(raw[: len(raw) // 2 + 7])
    else:
        filled.write_text("supplier,notes\nAcme,these are my notes\n")
    before = _siblings(filled)
    for args in (["timeline", "Acme"], ["log", "Acme", "One more note"], ["report"]):
        assert_clean_failure(run_srm(*args), words, str(filled))
        assert _siblings(filled) == before


def _can_chattr(path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        return False
    probe = path.parent / ".chattr-probe"
    probe.write_text("x")
    made = subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode == 0
    if made:
        subprocess.run(["chattr", "-i", str(probe)], check=True)
    probe.unlink()
    return made


def _read_only(path: Path) -> tuple[Callable[[], None], str | None]:
    """Make `path` unwritable even for root (chattr +i), or for the user running srm.

    Returns how to undo it and the user srm must run as (None: the current one).
    """
    if _can_chattr(path):
        subprocess.run(["chattr", "+i", str(path)], check=True)
        return lambda: subprocess.run(["chattr", "-i", str(path)], check=True), None
    if os.geteuid() == 0:
        pytest.skip("root ignores permissions and chattr +i is not available here")
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    return lambda: path.chmod(mode), None


@pytest.mark.sqlite_only
def test_a_read_only_journal_file_refuses_writes_cleanly(filled) -> None:
    before = _siblings(filled)
    undo, user = _read_only(filled)
    try:
        ran = run_srm("log", "Acme", "Cannot land", user=user)
        assert_clean_failure(ran, "cannot write the journal", str(filled))
    finally:
        undo()
    assert _siblings(filled) == before


@pytest.mark.sqlite_only
def test_a_read_only_folder_refuses_writes_cleanly(filled) -> None:
    folder = filled.parent
    before = _siblings(filled)
    undo, user = _read_only(folder)
    try:
        ran = run_srm("log", "Acme", "Cannot land", user=user)
        assert_clean_failure(ran, str(filled))
    finally:
        undo()
    assert _siblings(filled) == before


@pytest.mark.sqlite_only
def test_a_new_journal_in_a_read_only_folder_is_one_error_line(tmp_path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    undo, user = _read_only(folder)
    try:
        ran = run_srm("supplier", "list", env={"SRM_DB": str(folder / "srm.db")}, user=user)
        assert_clean_failure(ran, "cannot create the journal", str(folder / "srm.db"))
    finally:
        undo()
    assert list(folder.iterdir()) == []


@pytest.mark.sqlite_only
def test_a_full_disk_during_an_import_writes_nothing(filled, srm, tmp_path) -> None:
    bulk = tmp_path / "bulk.csv"
    write_interactions_csv(bulk, 20_000)
    before = _siblings(filled)
    limit = filled.stat().st_size + 64 * 1024

    def small_disk() -> None:  # writes past `limit` bytes fail with EFBIG, like a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    ran = run_srm("import", "interactions", str(bulk), preexec_fn=small_disk)
    assert_clean_failure(ran, "cannot write the journal", "nothing was written")
    wal = filled.with_name(filled.name + "-wal")
    if wal.exists():  # a WAL holding only uncommitted frames is harmless: fold and compare
        _checkpointed(filled)
        wal.unlink(missing_ok=True)
        filled.with_name(filled.name + "-shm").unlink(missing_ok=True)
    assert _siblings(filled) == before
    assert notes(srm) == ["Kickoff call"]


@pytest.mark.sqlite_only
def test_a_really_full_disk_is_one_error_line_and_writes_nothing(filled, srm, tmp_path) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    small = tmp_path / "small-disk"
    small.mkdir()
    size = filled.stat().st_size + 96 * 1024
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(small)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        journal = small / "srm.db"
        shutil.copyfile(filled, journal)
        bulk = tmp_path / "bulk.csv"
        write_interactions_csv(bulk, 20_000)
        before = _siblings(journal)
        ran = run_srm("import", "interactions", str(bulk), env={"SRM_DB": str(journal)})
        assert_clean_failure(ran, "cannot write the journal", "nothing was written")
        _checkpointed(journal)
        assert _siblings(journal) == before
    finally:
        subprocess.run(["umount", str(small)], check=True)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_server_is_one_error_line_without_the_password(srm) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://buyer:S3cret-pw@127.0.0.1:{_closed_port()}/srm"
    for args in (["supplier", "list"], ["log", "Acme", "Lost"], ["db", "check"]):
        ran = run_srm(*args, env={"SRM_DATABASE_URL": url})
        line = assert_clean_failure(ran, "cannot reach the database", "buyer:****@127.0.0.1")
        assert "S3cret" not in ran.stdout + ran.stderr, line


def test_a_url_without_its_driver_is_one_error_line(srm) -> None:
    url = "postgresql+nosuchdriver://buyer:S3cret-pw@127.0.0.1:5432/srm"
    ran = run_srm("supplier", "list", env={"SRM_DATABASE_URL": url})
    assert_clean_failure(ran, "cannot use the database URL")
    assert "S3cret" not in ran.stdout + ran.stderr


@pytest.mark.sqlite_only
def test_a_folder_in_place_of_the_journal_is_one_error_line(tmp_path) -> None:
    folder = tmp_path / "srm.db"
    folder.mkdir()
    ran = run_srm("supplier", "list", env={"SRM_DB": str(folder)})
    assert_clean_failure(ran, "is a folder")


@pytest.mark.sqlite_only
@pytest.mark.parametrize("journal_mode", ["delete", "wal"])
def test_another_programs_sqlite_file_is_refused_and_left_byte_for_byte(
    tmp_path, journal_mode: str
) -> None:
    import hashlib

    places = tmp_path / "places.sqlite"
    con = sqlite3.connect(places)
    con.execute(f"PRAGMA journal_mode={journal_mode}")
    con.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    con.execute("INSERT INTO moz_places (url) VALUES ('https://example.com')")
    con.commit()
    con.close()
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    target = tmp_path / "copy-target"
    target.mkdir()
    for args in (
        ["log", "Acme", "Call"],
        ["supplier", "list"],
        ["db", "check"],
        ["db", "upgrade"],
        ["db", "backup", str(target / "b.db")],
        ["import", "interactions", "-"],
    ):
        ran = run_srm("--db", str(places), *args)
        assert_clean_failure(ran, str(places), "another program's SQLite database", "moz_places")
    # and as the target of a copy
    source = tmp_path / "journal" / "srm.db"
    run_srm("--db", str(source), "supplier", "add", "Acme")
    ran = run_srm("--db", str(source), "db", "copy", "--to", str(places))
    assert_clean_failure(ran, "another program's SQLite database")
    after = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in tmp_path.iterdir()
        if p.is_file()
    }
    assert after == before
    assert list(target.iterdir()) == []


@pytest.mark.sqlite_only
def test_an_empty_or_new_file_becomes_a_journal(tmp_path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    for path in (empty, tmp_path / "new" / "srm.db"):
        ran = run_srm("--db", str(path), "supplier", "add", "Acme")
        assert ran.returncode == 0, ran.stderr
        check = run_srm("--db", str(path), "db", "check")
        assert check.returncode == 0 and check.stdout.strip() == "ok", check.stderr


# ----------------------------------------------------- what the files beside it tell

READER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1])
con.execute("SELECT count(*) FROM supplier").fetchall()  # holds the journal open
print("ready", flush=True)
time.sleep(600)
"""


def _crashed_with_a_log(journal: Path, tmp_path: Path, then: str = "") -> dict[str, bytes]:
    """Five notes logged while another program holds the journal open (so no checkpoint
    folds the log into the file), then everything killed: the journal, its -wal and -shm
    as a crash leaves them."""
    run_srm("supplier", "add", "Acme")
    holder = subprocess.Popen(
        [sys.executable, "-c", READER, str(journal)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        for n in range(5):
            ran = run_srm("log", "Acme", f"confirmed call {n}")
            assert ran.returncode == 0, ran.stderr
        if then == "checkpoint":  # a checkpoint folds the log into the file before the crash
            con = sqlite3.connect(journal)
            con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            crashed = {
                suffix: Path(f"{journal}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")
            }
            con.close()
            return crashed
    finally:
        holder.kill()
        holder.wait()
    return {suffix: Path(f"{journal}{suffix}").read_bytes() for suffix in ("", "-wal", "-shm")}


def _laid_out(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    for suffix, data in files.items():
        (folder / f"srm.db{suffix}").write_bytes(data)
    return folder / "srm.db"


@pytest.mark.sqlite_only
def test_db_check_tells_a_lost_replaced_or_cut_write_ahead_log(journal, tmp_path) -> None:
    crashed = _crashed_with_a_log(journal, tmp_path)
    frame = len(crashed["-wal"]) // 2
    other = tmp_path / "other.db"  # another database's log, from a program still running
    writer = sqlite3.connect(other)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE t (x)")
    writer.commit()
    foreign_log = Path(f"{other}-wal").read_bytes()
    writer.close()
    damaged = {
        "is missing": {k: v for k, v in crashed.items() if k != "-wal"},
        "is cut short": {**crashed, "-wal": crashed["-wal"][:frame]},
        "replaced": {**crashed, "-wal": foreign_log},
        "not a valid log": {**crashed, "-wal": b"\x00" * len(crashed["-wal"])},
    }
    for words, files in damaged.items():
        copy = _laid_out(tmp_path / words.replace(" ", "-"), files)
        before = {p.name: p.read_bytes() for p in copy.parent.iterdir()}
        for _ in range(2):  # the check opens nothing, so it says so again
            ran = run_srm("--db", str(copy), "db", "check")
            assert ran.returncode == 1 and ran.stdout == "" and "Traceback" not in ran.stderr
            line = ran.stderr.strip().splitlines()[-1]
            assert line.startswith(f"Error: the journal {copy} failed its check"), ran.stderr
            assert words in line and "srm.db-shm" in line and "committed changes" in line
            assert "put it back" in line
        assert {p.name: p.read_bytes() for p in copy.parent.iterdir()} == before, words

    # the whole log beside it: nothing is lost, every confirmed note is there
    whole = _laid_out(tmp_path / "whole", crashed)
    ran = run_srm("--db", str(whole), "db", "check")
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr
    assert "committed changes, applied when the journal opens" in ran.stderr
    listed = run_srm("--db", str(whole), "export", "interactions", "-f", "jsonl").stdout
    assert len(listed.splitlines()) == 5


@pytest.mark.sqlite_only
def test_db_check_passes_an_index_whose_log_already_reached_the_file(journal, tmp_path) -> None:
    crashed = _crashed_with_a_log(journal, tmp_path, then="checkpoint")
    without_log = _laid_out(tmp_path / "folded", {k: v for k, v in crashed.items() if k != "-wal"})
    ran = run_srm("--db", str(without_log), "db", "check")
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr
    listed = run_srm("--db", str(without_log), "export", "interactions", "-f", "jsonl").stdout
    assert len(listed.splitlines()) == 5


@pytest.mark.sqlite_only
def test_db_check_leaves_a_journal_in_use_to_its_writers(journal) -> None:
    run_srm("supplier", "add", "Acme")
    holder = subprocess.Popen(
        [sys.executable, "-c", READER, str(journal)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        run_srm("log", "Acme", "a call while another program reads")
        ran = run_srm("db", "check")
        assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr
        assert "open in another process" in ran.stderr
    finally:
        holder.kill()
        holder.wait()
