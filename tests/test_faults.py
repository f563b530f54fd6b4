"""Every writing command through every fault (SPEC §13): a full disk, a read-only target,
a lock held past the busy timeout, and kill -9 at a random moment.

Each time: one `Error:` line or success; never a partial file where the output goes
(a killed write may leave only its hidden `.part` file, which the next write clears); and
the journal passing `db check` holding all of the command's work or none of it — the
journal's content is compared with the one before and the one a run without the fault
leaves. Real processes, as a buyer or a cron job runs srm.

Marked `faults`: `.ci/run` runs these as a stage of their own (`pytest -m faults`).
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.faults, pytest.mark.sqlite_only]

PATIENCE = 600  # only a hang takes this long
LIMIT = 64 * 1024  # bytes any one file may grow to on the "full disk"
# the clock and the login of every run, module fixtures' included (set before the
# per-test environment is)
FIXED = {"SRM_NOW": "2026-11-25T10:30:00", "LOGNAME": "kim", "USER": "kim", "NO_COLOR": "1"}
FAULTS = ["disk full", "read-only target", "lock held", "kill -9"]

HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.readline()
con.execute("ROLLBACK")
"""


@dataclass(frozen=True)
class Command:
    """A writing command: its arguments (`{in}`: its input file, `{out}`: the file it
    writes, if any) and whether it writes the journal."""

    args: tuple[str, ...]
    source: str | None = None  # the input file's name in the inputs folder
    output: str | None = None  # the output file's name

    def line(self, inputs: Path, out: Path) -> list[str]:
        given = {"{in}": str(inputs / (self.source or "")), "{out}": str(out / (self.output or ""))}
        return [given.get(a, a) for a in self.args]


COMMANDS = {
    "log": Command(("log", "Acme", "Agreed the new price with the buyer")),
    "import suppliers (csv)": Command(("import", "suppliers", "{in}"), "suppliers.csv"),
    "import contacts (json)": Command(("import", "contacts", "{in}"), "contacts.json"),
    "import interactions (jsonl)": Command(
        ("import", "interactions", "{in}"), "interactions.jsonl"
    ),
    "import issues (csv)": Command(("import", "issues", "{in}"), "issues.csv"),
    "import followups (json)": Command(("import", "followups", "{in}"), "followups.json"),
    "status import": Command(("status", "import", "Acme", "{in}"), "status.csv"),
    "export -o": Command(("export", "interactions", "-o", "{out}"), output="all.csv"),
    "report -o": Command(("report", "-o", "{out}"), output="portfolio.md"),
    "db backup": Command(("db", "backup", "{out}"), output="backup.db"),
    "db copy": Command(("db", "copy", "--to", "{out}"), output="copy.db"),
}


def srm(
    *args: str, journal: Path, env: dict[str, str] | None = None, **popen: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "srmcli", *args],
        env={**os.environ, **FIXED, "SRM_DB": str(journal), **(env or {})},
        capture_output=True,
        text=True,
        timeout=PATIENCE,
        stdin=subprocess.DEVNULL,
        **popen,
    )


def content(journal: Path) -> list[str]:
    """Every row of every table, as SQL (a committed log is read with it)."""
    con = sqlite3.connect(f"file:{journal}?mode=ro", uri=True)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def output_files(out: Path) -> dict[str, object]:
    """What the command left where its output goes, leftovers of a killed write aside: a
    file's bytes, a database's rows (its pages, and the order of constraints in a table
    the migrations rebuild, may differ from run to run)."""
    return {
        p.name: [r for r in content(p) if r.startswith("INSERT")]
        if p.suffix == ".db"
        else p.read_bytes()
        for p in out.iterdir()
        if ".part" not in p.name
    }


# ------------------------------------------------------------------------ the journal


def bulk(path: Path, supplier: str, count: int, words: str) -> None:
    """An interactions file of `count` calls with `supplier`, each note its own."""
    import csv

    from srmcli.services.records import INTERACTION_COLUMNS

    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(INTERACTION_COLUMNS)
        for n in range(count):
            when = f"2026-{n % 10 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:00:00"
            note = f"{supplier} call {n}: {words}"
            out.writerow(["", supplier, when, "call", "us", "", "", "0", "", "", note, "kim"])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A journal to start from (Acme and Globex, 400 interactions), and the import files:
    records exported from another journal that this one does not hold yet."""
    base = tmp_path_factory.mktemp("faults")
    other = base / "other.db"
    inputs = base / "inputs"
    inputs.mkdir()
    for args in (
        ["supplier", "add", "Globex"],
        ["supplier", "add", "Initech"],
        ["contact", "add", "Globex", "Dana Li", "--role", "sales"],
        ["issue", "open", "Globex", "quality", "Bent brackets in lot 7"],
        ["followup", "add", "Globex", "Send the drawings", "--due", "friday"],
    ):
        assert srm(*args, journal=other).returncode == 0
    bulk(base / "globex.csv", "Globex", 300, "pricing, lead times and the next order " * 8)
    assert srm("import", "interactions", str(base / "globex.csv"), journal=other).returncode == 0
    for kind, name in (
        ("suppliers", "suppliers.csv"),
        ("contacts", "contacts.json"),
        ("interactions", "interactions.jsonl"),
        ("issues", "issues.csv"),
        ("followups", "followups.json"),
    ):
        ran = srm("export", kind, "-o", str(inputs / name), journal=other)
        assert ran.returncode == 0, ran.stderr
    (inputs / "status.csv").write_text(
        "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"
        + "".join(f"PO-{n},1,Bracket {n},100,0,2026-12-{n % 28 + 1:02d},\n" for n in range(200))
    )
    journal = base / "start" / "srm.db"
    for args in (["supplier", "add", "Acme"], ["supplier", "add", "Globex"]):
        assert srm(*args, journal=journal).returncode == 0
    bulk(base / "acme.csv", "Acme", 100, "volumes and quality " * 20)
    assert srm("import", "interactions", str(base / "acme.csv"), journal=journal).returncode == 0
    con = sqlite3.connect(journal)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return journal, inputs


@dataclass
class Case:
    journal: Path
    out: Path
    inputs: Path
    args: list[str]


def lay_out(made: tuple[Path, Path], where: Path, name: str) -> Case:
    start, inputs = made
    folder = where / "journal"
    folder.mkdir()
    journal = folder / "srm.db"
    shutil.copyfile(start, journal)
    out = where / "out"
    out.mkdir()
    return Case(journal, out, inputs, COMMANDS[name].line(inputs, out))


_expected: dict[str, tuple[list[str], dict[str, object]]] = {}


def expected(
    made: tuple[Path, Path], tmp_path: Path, name: str
) -> tuple[list[str], dict[str, object]]:
    """The journal's content and the output after the command runs without a fault."""
    if name not in _expected:
        where = tmp_path / "without-fault"
        where.mkdir()
        case = lay_out(made, where, name)
        ran = srm(*case.args, journal=case.journal)
        assert ran.returncode == 0, ran.stderr
        _expected[name] = (content(case.journal), output_files(case.out))
    return _expected[name]


# -------------------------------------------------------------------------- the faults


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past LIMIT fail with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def _can_chattr(path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        return False
    probe = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
    if probe.returncode != 0:
        return False
    subprocess.run(["chattr", "-i", str(path)], check=True)
    return True


ReadOnly = Callable[[Path], Callable[[], object]]


@pytest.fixture
def read_only() -> Iterator[ReadOnly]:
    """Make a folder unwritable (chattr +i even for root; else its mode bits); returns how
    to undo it (undone at the end of the test in any case)."""
    undo: list[Callable[[], object]] = []

    def make(folder: Path) -> Callable[[], object]:
        if _can_chattr(folder):
            subprocess.run(["chattr", "+i", str(folder)], check=True)
            undo.append(lambda: subprocess.run(["chattr", "-i", str(folder)], check=True))
        elif os.geteuid() == 0:
            pytest.skip("root ignores permissions and chattr +i is not available here")
        else:
            folder.chmod(0o500)
            undo.append(lambda: folder.chmod(0o700))
        return undo[-1]

    yield make
    for step in reversed(undo):
        step()


def run_with_fault(case: Case, fault: str, read_only: ReadOnly) -> tuple[int, str]:
    """The command under `fault`: its exit code and stderr (-9 when it was killed)."""
    if fault == "disk full":
        ran = srm(*case.args, journal=case.journal, preexec_fn=_small_disk)
        return ran.returncode, ran.stderr
    if fault == "read-only target":
        writes_a_file = any(str(case.out) in a for a in case.args)
        undo = read_only(case.out if writes_a_file else case.journal.parent)
        try:
            ran = srm(*case.args, journal=case.journal)
        finally:
            undo()
        return ran.returncode, ran.stderr
    if fault == "lock held":
        holder = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(case.journal)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
            ran = srm(*case.args, journal=case.journal, env={"SRM_BUSY_TIMEOUT_MS": "300"})
        finally:
            assert holder.stdin is not None
            holder.stdin.write("\n")
            holder.stdin.close()
            holder.wait(timeout=PATIENCE)
        return ran.returncode, ran.stderr
    # kill -9 at a random moment of the command's run (it may finish first)
    moment = random.uniform(0.0, 2.5)
    proc = subprocess.Popen(
        [sys.executable, "-m", "srmcli", *case.args],
        env={**os.environ, **FIXED, "SRM_DB": str(case.journal)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + moment
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=PATIENCE)
    return proc.returncode, f"{err}(killed after {moment:.2f} s)"


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_writing_command_under_a_fault_does_all_or_nothing(
    made, tmp_path: Path, read_only, name: str, fault: str
) -> None:
    after, written = expected(made, tmp_path, name)
    case = lay_out(made, tmp_path, name)
    before = content(case.journal)
    code, stderr = run_with_fault(case, fault, read_only)

    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    if code != -signal.SIGKILL:
        lines = stderr.strip().splitlines()
        if code == 0:
            assert not any(line.startswith("Error") for line in lines), stderr
        else:
            assert code == 1, (code, stderr)
            assert lines and lines[-1].startswith("Error: "), stderr
            assert sum(line.startswith("Error") for line in lines) == 1, stderr
            assert all(not line.startswith(("  ", "File ")) for line in lines), stderr

    # never a partial file: the whole output, or none
    left = output_files(case.out)
    assert left in ({}, written), (sorted(left), stderr)
    # the journal sound, with all of the work or none of it
    check = srm("db", "check", journal=case.journal)
    assert check.returncode == 0 and check.stdout.strip() == "ok", (check.stderr, stderr)
    now = content(case.journal)
    assert now == before or now == after, stderr
    if code == 0:
        assert now == after and left == written, stderr
    for copy in left:  # a backup or copy that is there is a whole, sound journal
        if copy.endswith(".db"):
            copied = srm("db", "check", journal=case.out / copy)
            assert copied.returncode == 0 and copied.stdout.strip() == "ok", copied.stderr
