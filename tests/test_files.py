"""Files srm writes (SPEC §13): a temporary file beside the target, renamed into place only
when complete; links, devices, FIFOs and folders refused; 0600 files and 0700 folders
whatever the umask; a failed write names the output file and leaves the old one as it was.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from srmcli import files

SERVER = bool(os.environ.get("SRM_TEST_DATABASE_URL", "").strip())
LIMIT = 64 * 1024  # bytes a process under `small_disk` may write into any one file


# ----------------------------------------------------------------------------- helpers


def run_srm(
    *args: str, preexec_fn: Callable[[], Any] | None = None
) -> subprocess.CompletedProcess[str]:
    """`srm ARGS…` in its own process, with the test's journal and clock."""
    return subprocess.run(
        [sys.executable, "-m", "srmcli", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=preexec_fn,
        stdin=subprocess.DEVNULL,
    )


def small_disk() -> None:
    """Writes past LIMIT bytes fail with EFBIG, as on a full disk (SIGXFSZ would kill)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


def one_error_line(stderr: str, *needles: str) -> str:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every entry of `folder`: its mode and its content (a link: where it points)."""
    seen: dict[str, tuple[int, bytes | str]] = {}
    for entry in sorted(folder.iterdir()):
        info = entry.lstat()
        if stat.S_ISLNK(info.st_mode):
            seen[entry.name] = (info.st_mode, os.readlink(entry))
        elif stat.S_ISREG(info.st_mode):
            seen[entry.name] = (info.st_mode, entry.read_bytes())
        else:
            seen[entry.name] = (info.st_mode, b"")
    return seen


def device_in(folder: Path) -> Path:
    """A character device to aim at: a private copy of /dev/null when this machine lets
    us make one, else /dev/null itself."""
    node = folder / "null-device"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError):
        return Path("/dev/null")
    return node


@pytest.fixture
def targets(tmp_path: Path) -> Iterator[tuple[Path, dict[str, Path]]]:
    """A folder holding a file with a link to it, a FIFO, a folder and a device."""
    folder = tmp_path / "targets"
    folder.mkdir()
    precious = folder / "precious.txt"
    precious.write_text("keep me\n")
    precious.chmod(0o644)
    (folder / "link.out").symlink_to(precious)
    (folder / "dangling.out").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "fifo.out")
    (folder / "folder.out").mkdir()
    aimed = {
        "link": folder / "link.out",
        "dangling link": folder / "dangling.out",
        "fifo": folder / "fifo.out",
        "folder": folder / "folder.out",
        "device": device_in(folder),
    }
    yield folder, aimed


def long_notes(srm: Callable[..., Any], count: int = 8) -> None:
    """A journal (and its exports) well past LIMIT bytes."""
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)
    for n in range(count):
        note = f"Call {n}: " + " ".join(f"word{n}-{w}" for w in range(3000))
        srm("log", "NW", note, "--date", f"{n + 1} days ago", ok=True)


# ------------------------------------------------------------------------ the unit API


def test_writing_puts_the_file_in_place_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    target.write_text("old brief\n")
    with pytest.raises(RuntimeError), files.writing(target) as fh:
        fh.write("half a new brief")
        fh.flush()
        assert target.read_text() == "old brief\n"  # nothing is written through to it
        raise RuntimeError("the view failed half-way")
    assert target.read_text() == "old brief\n"
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]

    with files.writing(target) as fh:
        fh.write("new brief\n")
    assert target.read_text() == "new brief\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]


def test_a_write_error_names_the_output_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"old,export\r\n")
    with pytest.raises(files.OutputFileError) as refused, files.writing(target) as fh:
        fh.write("a,b\r\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    message = str(refused.value)
    assert str(target) in message and "No space left on device" in message
    assert "journal" not in message
    assert target.read_bytes() == b"old,export\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


@pytest.mark.parametrize("how", ["writing", "replacing"])
def test_links_devices_fifos_and_folders_are_refused(targets, how: str) -> None:
    folder, aimed = targets
    for what, target in aimed.items():
        before = snapshot(folder)
        opener = files.writing(target) if how == "writing" else files.replacing(target)
        with pytest.raises(files.OutputFileError) as refused, opener:
            pytest.fail(f"{how} accepted {what}")
        assert str(target) in str(refused.value), what
        assert snapshot(folder) == before, what
    assert (folder / "precious.txt").read_text() == "keep me\n"
    assert stat.S_IMODE((folder / "precious.txt").stat().st_mode) == 0o644
    assert not (folder / "nowhere.txt").exists()


def test_a_link_put_in_place_while_writing_is_not_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    target = tmp_path / "out.csv"
    with pytest.raises(files.OutputFileError, match="symbolic link"), files.writing(target) as fh:
        fh.write("new\n")
        target.symlink_to(precious)
    assert target.is_symlink() and precious.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "precious.txt"]


def test_files_are_0600_and_new_folders_0700_whatever_the_umask(tmp_path: Path) -> None:
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    existing.chmod(0o755)
    old_umask = os.umask(0)
    try:
        target = existing / "deep" / "er" / "brief.html"
        files.write_text(target, "<p>brief</p>", create_folders=True)
        with files.replacing(existing / "backups" / "j.db", create_folders=True) as partial:
            partial.write_bytes(b"SQLite format 3\x00")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((existing / "backups" / "j.db").stat().st_mode) == 0o600
    for created in (existing / "deep", existing / "deep" / "er", existing / "backups"):
        assert stat.S_IMODE(created.stat().st_mode) == 0o700, created
    assert stat.S_IMODE(existing.stat().st_mode) == 0o755  # an existing folder is left alone


def test_a_missing_folder_is_refused_unless_asked_for(tmp_path: Path) -> None:
    with pytest.raises(files.OutputFileError, match="does not exist"):
        files.write_text(tmp_path / "no" / "such" / "x.csv", "x")
    assert list(tmp_path.iterdir()) == []


def test_an_unfinished_database_is_not_put_in_place(tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    with (
        pytest.raises(files.OutputFileError, match="unfinished"),
        files.replacing(target, database=True) as partial,
    ):
        partial.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        Path(f"{partial}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" * 64)
    assert list(tmp_path.iterdir()) == []


def test_stale_sqlite_files_beside_a_new_database_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    for suffix in files.SQLITE_SIDECARS:
        Path(f"{target}{suffix}").write_bytes(b"left by a database that is gone")
    with files.replacing(target, database=True) as partial:
        partial.write_bytes(b"SQLite format 3\x00")
    assert [p.name for p in tmp_path.iterdir()] == ["backup.db"]


def test_os_errors_are_never_blamed_on_the_journal() -> None:
    from srmcli import db

    for exc in (
        OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
        OSError(errno.EFBIG, os.strerror(errno.EFBIG)),
        OSError(errno.EROFS, os.strerror(errno.EROFS), "/media/stick/brief.html"),
        PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/out.csv"),
    ):
        message = db.explain(exc)
        assert message is not None and "journal" not in message, message
        assert exc.strerror in message
        if exc.filename:
            assert exc.filename in message


# ------------------------------------------------------------------- srm export -o FILE


def test_export_refuses_links_devices_fifos_and_folders(srm, targets) -> None:
    folder, aimed = targets
    srm("supplier", "add", "Northwind Metals", ok=True)
    for what, target in aimed.items():
        before = snapshot(folder)
        ran = srm("export", "suppliers", "-o", str(target))
        assert ran.exit_code == 1, (what, ran)
        one_error_line(ran.stderr, str(target))
        assert snapshot(folder) == before, what
    assert (folder / "precious.txt").read_text() == "keep me\n"
    assert stat.S_IMODE((folder / "precious.txt").stat().st_mode) == 0o644


def test_export_replaces_an_existing_file_only_on_success(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind Metals", ok=True)
    target = tmp_path / "suppliers.csv"
    target.write_text("old export\n")
    target.chmod(0o644)
    failed = srm("export", "suppliers", "--supplier", "Nobody", "-o", str(target))
    assert failed.exit_code == 1
    assert target.read_text() == "old export\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    old_umask = os.umask(0)
    try:
        srm("export", "suppliers", "-f", "json", "-o", str(target), ok=True)
    finally:
        os.umask(old_umask)
    assert '"Northwind Metals"' in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name != "journal"] == ["suppliers.csv"]


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl"])
def test_export_on_a_full_disk_is_one_error_naming_the_file(srm, tmp_path: Path, fmt) -> None:
    long_notes(srm)
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"interactions.{fmt}"
    target.write_text("the export of last week\n")
    ran = run_srm("export", "interactions", "-f", fmt, "-o", str(target), preexec_fn=small_disk)
    assert ran.returncode == 1 and ran.stdout == "", ran
    line = one_error_line(ran.stderr, str(target), "File too large")
    assert "journal" not in line
    assert target.read_text() == "the export of last week\n"
    assert [p.name for p in out.iterdir()] == [target.name]  # no temporary file left
    whole = run_srm("export", "interactions", "-f", fmt, "-o", str(target))
    assert whole.returncode == 0 and target.stat().st_size > LIMIT, whole.stderr


# -------------------------------------------------------------------- srm db backup DEST


@pytest.mark.sqlite_only
def test_backup_refuses_links_devices_fifos_and_folders(srm, targets) -> None:
    folder, aimed = targets
    srm("supplier", "add", "Northwind Metals", ok=True)
    for what, target in aimed.items():
        if what == "folder":
            continue  # a folder is where a dated backup goes (SPEC §3)
        before = snapshot(folder)
        ran = srm("db", "backup", str(target))
        assert ran.exit_code == 1, (what, ran)
        one_error_line(ran.stderr, str(target))
        assert snapshot(folder) == before, what
    assert (folder / "precious.txt").read_text() == "keep me\n"
    assert stat.S_IMODE((folder / "precious.txt").stat().st_mode) == 0o644


@pytest.mark.sqlite_only
def test_backup_into_a_folder_and_new_folders_are_private(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Northwind Metals", ok=True)
    into = tmp_path / "backups"
    into.mkdir()
    ran = srm("db", "backup", str(into), ok=True)
    written = Path(ran.stdout.strip())
    assert written.parent == into and written.name.startswith("srm-backup-")
    old_umask = os.umask(0)
    try:
        deep = tmp_path / "new" / "place" / "journal.db"
        srm("db", "backup", str(deep), ok=True)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(deep.stat().st_mode) == 0o600
    for created in (tmp_path / "new", tmp_path / "new" / "place"):
        assert stat.S_IMODE(created.stat().st_mode) == 0o700
    assert srm("--db", str(deep), "db", "check").stdout.strip().endswith("ok")


@pytest.mark.sqlite_only
def test_backup_refuses_a_completed_file_but_replaces_an_unfinished_one(
    srm, tmp_path: Path
) -> None:
    srm("supplier", "add", "Northwind Metals", ok=True)
    done = tmp_path / "done.db"
    srm("db", "backup", str(done), ok=True)
    before = done.read_bytes()
    again = srm("db", "backup", str(done))
    assert again.exit_code == 1
    one_error_line(again.stderr, str(done), "already exists")
    assert done.read_bytes() == before

    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup at all\n")
    assert srm("db", "backup", str(notes)).exit_code == 1
    assert notes.read_text() == "not a backup at all\n"

    # what a backup killed half-way used to leave: an empty file, or pages and a hot journal
    empty = tmp_path / "empty.db"
    empty.touch()
    half = tmp_path / "half.db"
    half.write_bytes(before[: len(before) // 2])
    Path(f"{half}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + b"\x00" * 504)
    for unfinished in (empty, half):
        srm("db", "backup", str(unfinished), ok=True)
        listed = srm("--db", str(unfinished), "supplier", "list", "-f", "json").json()
        assert [s["name"] for s in listed] == ["Northwind Metals"]
    assert not Path(f"{half}-journal").exists()


@pytest.mark.sqlite_only
def test_backup_on_a_full_disk_leaves_no_file_and_can_be_run_again(srm, tmp_path: Path) -> None:
    long_notes(srm)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "srm-backup.db"
    ran = run_srm("db", "backup", str(dest), preexec_fn=small_disk)
    assert ran.returncode == 1 and ran.stdout == "", ran
    one_error_line(ran.stderr, str(dest))
    assert list(out.iterdir()) == []  # no DEST, no temporary file, no -journal or -wal
    again = run_srm("db", "backup", str(dest))
    assert again.returncode == 0, again.stderr
    assert srm("--db", str(dest), "db", "check").stdout.strip().endswith("ok")
    exported = srm("--db", str(dest), "export", "interactions", "-f", "jsonl").stdout
    assert len(exported.splitlines()) == 8


# -------------------------------------------------------------- srm db copy --to FILE


def test_copy_refuses_links_devices_fifos_and_folders(srm, targets) -> None:
    folder, aimed = targets
    srm("supplier", "add", "Northwind Metals", ok=True)
    for what, target in aimed.items():
        before = snapshot(folder)
        ran = srm("db", "copy", "--to", str(target))
        assert ran.exit_code == 1, (what, ran)
        one_error_line(ran.stderr, str(target))
        assert snapshot(folder) == before, what
    assert (folder / "precious.txt").read_text() == "keep me\n"


def test_copy_into_a_new_file_on_a_full_disk_leaves_nothing(srm, tmp_path: Path) -> None:
    long_notes(srm)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "copy.db"
    ran = run_srm("db", "copy", "--to", str(target), preexec_fn=small_disk)
    assert ran.returncode == 1 and ran.stdout == "", ran
    line = one_error_line(ran.stderr, str(target))
    assert ".part" not in line
    assert list(out.iterdir()) == []
    again = run_srm("db", "copy", "--to", str(target))
    assert again.returncode == 0, again.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert srm("--db", str(target), "db", "check").stdout.strip().endswith("ok")
    assert sorted(p.name for p in out.iterdir()) == ["copy.db"]


@pytest.mark.sqlite_only
def test_a_new_journal_gets_private_folders_whatever_the_umask(srm, tmp_path: Path) -> None:
    journal = tmp_path / "new" / "place" / "srm.db"
    old_umask = os.umask(0)
    try:
        srm("--db", str(journal), "supplier", "add", "Northwind Metals", ok=True)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    for created in (tmp_path / "new", tmp_path / "new" / "place"):
        assert stat.S_IMODE(created.stat().st_mode) == 0o700, created


# ------------------------------------------------------- kill -9 in the middle of a copy

BIG_NOTES = 600  # interactions of ~40 KB each: a journal of ~25 MB, copied for a while


@pytest.fixture(scope="module")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of about 25 MB, made once for the module (by a real import)."""
    import csv

    from srmcli.services.records import INTERACTION_COLUMNS

    folder = tmp_path_factory.mktemp("big")
    bulk = folder / "bulk.csv"
    with bulk.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(INTERACTION_COLUMNS)
        for n in range(BIG_NOTES):
            # few long words: large, yet quick to index
            note = f"call {n} " + " ".join(f"w{n}x{k:03d}" + "y" * 72 for k in range(500))
            when = f"2025-{n % 12 + 1:02d}-{n % 28 + 1:02d}T{n % 24:02d}:{n % 60:02d}:00"
            out.writerow(["", "Acme", when, "call", "us", "", "", "", "", "", note, "kim"])
    journal = folder / "big.db"
    env = {**os.environ, "SRM_DB": str(journal)}
    for args in (["supplier", "add", "Acme"], ["import", "interactions", str(bulk)]):
        made = subprocess.run(
            [sys.executable, "-m", "srmcli", *args], env=env, capture_output=True, text=True
        )
        assert made.returncode == 0, made.stderr
    bulk.unlink()
    return journal


def _partial_bytes(folder: Path) -> int:
    """How much a write in progress has put in its temporary files so far."""
    total = 0
    for entry in folder.iterdir():
        if ".part" in entry.name:
            try:
                total += entry.stat().st_size
            except FileNotFoundError:
                continue
    return total


@pytest.mark.slow
@pytest.mark.sqlite_only
@pytest.mark.parametrize("command", ["backup", "copy"])
def test_a_backup_or_copy_killed_half_way_leaves_no_file_and_runs_again(
    big_journal: Path, tmp_path: Path, command: str
) -> None:
    """kill -9 at points through the copy (as soon as it has written anything, past 1 MB,
    past 4 MB): never a file at DEST, so nothing `db check` could pass; what is left is a
    hidden temporary file that the next run clears, and the next run succeeds."""
    out = tmp_path / "out"
    dest = out / "dest.db"
    args = ["db", "backup", str(dest)] if command == "backup" else ["db", "copy", "--to", str(dest)]
    env = {**os.environ, "SRM_DB": str(big_journal)}
    killed_half_way = 0
    for threshold in (1, 1 << 20, 4 << 20):
        proc = subprocess.Popen(
            [sys.executable, "-m", "srmcli", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        while proc.poll() is None and not (out.exists() and _partial_bytes(out) >= threshold):
            time.sleep(0.001)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=120)
        if not running:  # finished before the point: a whole copy, removed for the next
            assert run_srm("--db", str(dest), "db", "check").returncode == 0
            dest.unlink()
            continue
        killed_half_way += 1
        assert not dest.exists()
        assert all(p.name.startswith(".dest.db.") for p in out.iterdir()), list(out.iterdir())
        check = run_srm("--db", str(dest), "db", "check")
        one_error_line(check.stderr, str(dest), "does not exist")
        assert not dest.exists()  # checking made none
    assert killed_half_way >= 1

    again = run_srm("--db", str(big_journal), *args)
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["dest.db"]  # the leftovers are gone
    check = run_srm("--db", str(dest), "db", "check")
    assert check.returncode == 0 and check.stdout.strip() == "ok", check.stderr
    exported = run_srm("--db", str(dest), "export", "interactions", "-f", "jsonl").stdout
    assert len(exported.splitlines()) == BIG_NOTES


def test_a_leftover_is_cleared_but_a_write_in_progress_is_not(tmp_path: Path) -> None:
    target = tmp_path / "brief.md"
    leftover = tmp_path / ".brief.md.abcd1234.part"
    leftover.write_text("half of a brief a killed srm was writing")
    Path(f"{leftover}-journal").write_bytes(b"pages")
    orphan = tmp_path / ".brief.md.zzzz9999.part-wal"  # its temporary file already gone
    orphan.write_bytes(b"frames")
    other = tmp_path / ".other.md.abcd1234.part"  # another target's: not ours to clear
    other.write_text("x")
    with files.replacing(target) as live:
        live.write_text("in progress")
        # a second writer of the same target meanwhile leaves the live one alone
        with files.writing(target) as fh:
            fh.write("second\n")
        assert live.read_text() == "in progress"
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [target.name, live.name, other.name]
        )
    assert target.read_text() == "in progress"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, other.name])


@pytest.mark.sqlite_only
def test_every_folder_and_file_srm_creates_is_private_under_umask_000(srm, tmp_path: Path) -> None:
    """A real process under umask 000: a new journal, a backup, a copy into a new file
    (each in folders srm makes), an export and a report."""
    long_notes(srm, count=2)

    def open_umask() -> None:
        os.umask(0)

    made = {
        "journal": tmp_path / "j1" / "j2" / "srm.db",
        "backup": tmp_path / "b1" / "b2" / "backup.db",
        "copy": tmp_path / "c1" / "c2" / "copy.db",
    }
    runs = [
        ["--db", str(made["journal"]), "supplier", "add", "Acme"],
        ["db", "backup", str(made["backup"])],
        ["db", "copy", "--to", str(made["copy"])],
        ["export", "interactions", "-o", str(tmp_path / "export.csv")],
        ["report", "-o", str(tmp_path / "report.md")],
    ]
    for args in runs:
        ran = run_srm(*args, preexec_fn=open_umask)
        assert ran.returncode == 0, (args, ran.stderr)
    for path in made.values():
        for folder in (path.parent, path.parent.parent):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for path in [*made.values(), tmp_path / "export.csv", tmp_path / "report.md"]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        for sidecar in Path(path.parent).glob(f"{path.name}-*"):
            assert stat.S_IMODE(sidecar.stat().st_mode) == 0o600, sidecar
