"""Nothing typed is lost (SPEC §8, §13 "Locks"): an interactive `srm log` checks the
supplier and every option before it asks for the note; a note that was typed, edited or
piped in and still cannot be stored goes to a private draft named in the error, and
`srm log SUPPLIER --from-draft FILE` logs it later. Writers wait for a busy journal up to
the config's `busy_timeout_s`, saying so on a terminal.

The terminal is a real pseudo-terminal (`pty`) around a real `srm` process; the lock is
held by another real process. Reads from them are bounded only to keep a broken build
from hanging the suite: nothing here measures time.
"""

from __future__ import annotations

import os
import select
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from srmcli import db

NOTE = "Price talk: they want 8% from January.\nSecond paragraph, typed with care."
HANG_GUARD_S = 120  # a test that waits this long has failed; it is no time limit


class Terminal:
    """An `srm` process whose stdin, stdout and stderr are a pseudo-terminal."""

    def __init__(self, *args: str) -> None:
        master, slave = os.openpty()
        env = {**os.environ, "TERM": "dumb", "COLUMNS": "200"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "srmcli", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.seen = ""
        self.position = 0  # where the next expectation starts looking

    def _read(self, until: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, until - time.monotonic()))
        if not ready:
            return True
        try:
            chunk = os.read(self.master, 4096)
        except OSError:  # the other side closed: the process ended
            return False
        if not chunk:
            return False
        self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return True

    def expect(self, text: str) -> None:
        until = time.monotonic() + HANG_GUARD_S
        while text not in self.seen[self.position :]:
            if time.monotonic() > until or not self._read(until):
                raise AssertionError(f"never saw {text!r}; the terminal showed:\n{self.seen}")
        self.position = self.seen.index(text, self.position) + len(text)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def finish(self) -> int:
        until = time.monotonic() + HANG_GUARD_S
        while time.monotonic() < until and self._read(until):
            pass
        code = self.proc.wait(timeout=HANG_GUARD_S)
        os.close(self.master)
        return code


@pytest.fixture
def acme(srm):
    srm("supplier", "add", "Acme", ok=True)
    srm("supplier", "add", "Northwind Metals", ok=True)
    srm("contact", "add", "Acme", "Alice Moreau", "--role", "sales", ok=True)
    return srm


def notes(srm, supplier: str = "Acme") -> list[str]:
    return [r["note"] for r in srm("timeline", supplier, "-f", "json").json()]


def test_a_typo_at_the_supplier_prompt_is_asked_again_before_the_note(acme) -> None:
    term = Terminal("log", "--with", "alice")
    term.expect("Supplier:")
    term.type("Acne")
    term.expect("no supplier named 'Acne'. Did you mean: Acme?")
    term.expect("Supplier:")
    term.type("acme")
    term.expect("Note:")
    term.type("Typed once, at the prompt")
    term.expect("Logged call with Acme with Alice Moreau")
    assert term.finish() == 0
    assert notes(acme) == ["Typed once, at the prompt"]


def test_a_mistyped_supplier_argument_is_asked_again_too(acme) -> None:
    term = Terminal("log", "Acne")
    term.expect("Did you mean: Acme?")
    term.expect("Supplier:")
    term.type("Acme")
    term.expect("Note:")
    term.type("After the second try")
    assert term.finish() == 0
    assert notes(acme) == ["After the second try"]


@pytest.mark.parametrize(
    ("options", "error"),
    [
        (["--with", "zed"], "no contact 'zed' at Acme"),
        (["--tone", "5"], "Error:"),
        (["--tactic", "bribery"], "bribery"),
        (["--for-issue", "9"], "no issue #9"),
        (["--severity", "2"], "--severity goes with --issue KIND"),
    ],
)
def test_every_option_is_checked_before_the_note_is_asked(acme, options, error) -> None:
    term = Terminal("log", "Acme", *options)
    term.expect(error)
    assert term.finish() == 1
    assert "Note:" not in term.seen
    assert notes(acme) == []


def test_an_empty_answer_at_the_supplier_prompt_logs_nothing(acme) -> None:
    term = Terminal("log")
    term.expect("Supplier:")
    term.type("")
    term.expect("Error: no supplier given; nothing was logged")
    assert term.finish() == 1


# -- a journal locked by another process ------------------------------------------------


@pytest.fixture
def short_wait(acme, tmp_path: Path) -> Path:
    """A config whose writers give up after 0.2 s."""
    config = Path(os.environ["SRM_CONFIG"])
    config.write_text("busy_timeout_s = 0.2\n", encoding="utf-8")
    return config


@pytest.fixture
def locked(journal: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the journal's write lock until the test lets go."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('ROLLBACK')\n",
            str(journal),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    yield holder
    release(holder)


def release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=HANG_GUARD_S)


def draft_named_in(stderr: str) -> Path:
    start = stderr.index("saved to the draft ") + len("saved to the draft ")
    return Path(stderr[start:].split(":", 1)[0])


@pytest.mark.sqlite_only
def test_a_piped_note_the_locked_journal_cannot_take_goes_to_a_private_draft(
    short_wait, locked, srm, tmp_path: Path
) -> None:
    old_umask = os.umask(0)  # the draft and its folders are private whatever the umask
    try:
        ran = srm("log", "Acme", "--date", "2026-11-24 16:00", input=NOTE)
    finally:
        os.umask(old_umask)
    assert ran.exit_code == 1
    assert ran.stderr.startswith("Error: the journal")
    assert "locked by another srm process" in ran.stderr
    draft = draft_named_in(ran.stderr)
    assert draft.read_text(encoding="utf-8") == NOTE
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert draft.parent == tmp_path / "state" / "srm" / "drafts"
    assert stat.S_IMODE(draft.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(draft.parent.parent.stat().st_mode) == 0o700
    # the error says how to log it, with the time of the call
    assert f"srm log Acme --from-draft {draft} --date '2026-11-24 16:00'" in ran.stderr

    # still locked: the draft is kept, and said so
    retry = srm("log", "Acme", "--from-draft", str(draft))
    assert retry.exit_code == 1
    assert f"the note is still in the draft {draft}" in retry.stderr
    assert draft.exists()

    release(locked)
    logged = srm("log", "Acme", "--from-draft", str(draft), "--date", "2026-11-24 16:00")
    assert logged.exit_code == 0, logged.stderr
    assert f"Logged the draft {draft}; it was removed." in logged.stderr
    assert not draft.exists()
    db.select(None)
    assert notes(srm) == [NOTE]
    entry = srm("timeline", "Acme", "-f", "json").json()[0]
    assert entry["occurred_at"] == "2026-11-24T16:00:00"


@pytest.mark.sqlite_only
def test_a_note_given_as_an_argument_is_not_drafted(short_wait, locked, srm) -> None:
    ran = srm("log", "Acme", "In the shell history already")
    assert ran.exit_code == 1
    assert "locked" in ran.stderr and "draft" not in ran.stderr
    assert not (Path(os.environ["XDG_STATE_HOME"]) / "srm" / "drafts").exists()


def test_a_refused_repeat_is_not_a_storage_failure(acme) -> None:
    acme("log", "Acme", input="Same note", ok=True)
    again = acme("log", "Acme", input="Same note")
    assert again.exit_code == 1
    assert "already recorded as interaction #1" in again.stderr
    assert "draft" not in again.stderr


def test_from_draft_refuses_a_note_beside_it_and_a_missing_file(acme, tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("x", encoding="utf-8")
    both = acme("log", "Acme", "a note", "--from-draft", str(draft))
    assert both.exit_code == 1 and "--from-draft takes the note" in both.stderr
    missing = acme("log", "Acme", "--from-draft", str(tmp_path / "gone.txt"))
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: cannot read the draft")
    assert notes(acme) == []


@pytest.mark.sqlite_only
def test_a_note_typed_at_the_prompt_into_a_locked_journal_is_kept(short_wait, locked) -> None:
    term = Terminal("log", "Acme")
    term.expect("Note:")
    term.type("Typed while another writer held the lock")
    term.expect("saved to the draft ")
    assert term.finish() == 1
    draft = Path(term.seen[term.position :].split(":", 1)[0].split()[0])
    assert draft.read_text(encoding="utf-8") == "Typed while another writer held the lock"


@pytest.mark.sqlite_only
def test_a_writer_on_a_terminal_says_it_waits_then_logs_when_the_lock_is_let_go(
    acme, locked
) -> None:
    Path(os.environ["SRM_CONFIG"]).write_text("busy_timeout_s = 600\n", encoding="utf-8")
    term = Terminal("log", "Acme", "Logged after the wait")
    term.expect("Waiting for another srm writer to finish (up to 600 s)")
    release(locked)
    term.expect("Logged call with Acme")
    assert term.finish() == 0
    assert notes(acme) == ["Logged after the wait"]


def test_busy_timeout_comes_from_the_config(monkeypatch) -> None:
    from srmcli import config
    from srmcli.errors import SrmError

    monkeypatch.delenv("SRM_BUSY_TIMEOUT_MS", raising=False)
    assert db.busy_timeout_ms() == 30_000
    path = Path(os.environ["SRM_CONFIG"])
    path.write_text("busy_timeout_s = 2.5\n", encoding="utf-8")
    config.reset_cache()
    assert db.busy_timeout_ms() == 2500
    monkeypatch.setenv("SRM_BUSY_TIMEOUT_MS", "700")
    assert db.busy_timeout_ms() == 700
    monkeypatch.delenv("SRM_BUSY_TIMEOUT_MS")
    path.write_text('busy_timeout_s = "long"\n', encoding="utf-8")
    config.reset_cache()
    with pytest.raises(SrmError, match="busy_timeout_s"):
        db.busy_timeout_ms()
    path.write_text("busy_timeout_s = -1\n", encoding="utf-8")
    config.reset_cache()
    with pytest.raises(SrmError, match="busy_timeout_s must be a number of seconds"):
        db.busy_timeout_ms()
