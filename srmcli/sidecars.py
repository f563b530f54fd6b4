"""What the files SQLite keeps beside a journal tell of its last writes (`srm db check`).

A journal in WAL mode commits into its write-ahead log (`-wal`); the changes reach the
journal file itself only at a checkpoint. Its index (`-shm`) records how far the log
goes (`mxFrame`), how much of it was copied into the file (`nBackfill`) and the log's
random salts. So while nobody has the journal open, the index can tell that committed
changes are waiting in a log that is no longer there, was replaced by another one, or was
cut short — changes lost once SQLite opens the journal, since it then rebuilds the index
from whatever log it finds (see https://www.sqlite.org/walformat.html).

What it cannot tell: a log lost together with its index (both deleted, or a copy of the
journal file alone) leaves no trace; nor does a rollback journal (`-journal`) that was
lost, beyond what `PRAGMA integrity_check` finds in the file. The index is only read
while no other process has the journal open (the lock SQLite's own connections share);
otherwise the log is live and is not judged. Reading must come before srm opens the
journal: the first connection rebuilds the index.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000
WAL_HEADER = 32
FRAME_HEADER = 24
INDEX_HEADER = 48  # the index header is kept twice, then the checkpoint information
INDEX_SIZE = 2 * INDEX_HEADER + 40
# the byte of the index every SQLite connection to the journal holds a read lock on (the
# unix VFS's UNIX_SHM_DMS: after the 120-byte headers, the 8 lock slots)
DMS_LOCK_BYTE = 120 + 8
ROLLBACK_MAGIC = b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"


@dataclass
class Finding:
    """One thing the files beside the journal say; `lost` when committed work is gone."""

    text: str
    lost: bool = False


def inspect(journal: Path) -> list[Finding]:
    """What the -wal, -shm and -journal beside `journal` tell, read without opening it."""
    wal = Path(f"{journal}-wal")
    shm = Path(f"{journal}-shm")
    found: list[Finding] = []
    hot = _hot_rollback_journal(Path(f"{journal}-journal"))
    if hot:
        found.append(Finding(hot))
    if not shm.exists():
        if wal.exists() and wal.stat().st_size:
            found.append(
                Finding(
                    f"{wal.name} holds changes not yet in the file, without its index: SQLite "
                    "applies its whole committed transactions when it opens the journal"
                )
            )
        return found
    index = _idle_index(shm)
    if index is None:
        found.append(Finding(f"{shm.name}: the journal is open in another process; not judged"))
        return found
    if not index:
        return found  # not a usable index (torn, zeroed, from another version): rebuilt on open
    page_size, max_frame, backfilled, salts = index
    pending = max_frame - backfilled
    if pending <= 0:
        return found  # everything in the log already reached the file
    pages = f"{pending} page{'s' if pending != 1 else ''}"
    problem = _log_problem(wal, page_size, max_frame, salts)
    if problem:
        found.append(
            Finding(
                f"{problem}: its index {shm.name} records committed changes ({pages}) that "
                f"never reached {journal.name}, lost as soon as srm or any SQLite program "
                f"opens the journal; if you still have the original {wal.name}, put it back "
                f"beside {journal.name} first, else restore a backup (or accept the loss: "
                f"remove {shm.name})",
                lost=True,
            )
        )
    else:
        found.append(
            Finding(f"{wal.name}: {pages} of committed changes, applied when the journal opens")
        )
    return found


def _idle_index(shm: Path) -> tuple[int, int, int, bytes] | None | tuple[()]:
    """(page size, mxFrame, nBackfill, salts) from the index; () when it is not a usable
    one; None when another process has the journal open."""
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        try:
            fd = os.open(shm, os.O_RDONLY)  # a read-only folder: nobody can be writing
        except OSError:
            return ()
        return _read_index(fd)
    try:
        try:
            import fcntl

            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, DMS_LOCK_BYTE)
        except ImportError:  # pragma: no cover - Windows: no way to tell it is idle
            return None
        except OSError:
            return None
        return _read_index(fd)
    finally:
        os.close(fd)  # drops the lock too, before SQLite opens the journal


def _read_index(fd: int) -> tuple[int, int, int, bytes] | tuple[()]:
    data = os.pread(fd, INDEX_SIZE, 0)
    if len(data) < INDEX_SIZE or data[:INDEX_HEADER] != data[INDEX_HEADER : 2 * INDEX_HEADER]:
        return ()
    version, _, _, initialised, _, page_size, max_frame = struct.unpack("=IIIBBHI", data[:20])
    if version != WAL_VERSION or not initialised:
        return ()
    (backfilled,) = struct.unpack("=I", data[2 * INDEX_HEADER : 2 * INDEX_HEADER + 4])
    page_size = 65536 if page_size == 1 else page_size
    return page_size, max_frame, backfilled, data[32:40]


def _log_problem(wal: Path, page_size: int, max_frame: int, salts: bytes) -> str | None:
    """What is wrong with the log the index describes, or None when it is all there."""
    try:
        with wal.open("rb") as fh:
            header = fh.read(WAL_HEADER)
            size = os.fstat(fh.fileno()).st_size
            frame = FRAME_HEADER + page_size
            last = WAL_HEADER + (max_frame - 1) * frame
            fh.seek(last)
            last_frame = fh.read(FRAME_HEADER)
    except FileNotFoundError:
        return f"the write-ahead log {wal.name} is missing"
    except OSError as exc:
        return f"the write-ahead log {wal.name} cannot be read ({exc.strerror})"
    if len(header) < WAL_HEADER or not _valid_header(header):
        return f"the write-ahead log {wal.name} is not a valid log (empty or overwritten)"
    if header[16:24] != salts:
        return f"the write-ahead log {wal.name} is not the one its index describes (replaced)"
    if size < WAL_HEADER + max_frame * frame or last_frame[8:16] != salts:
        return f"the write-ahead log {wal.name} is cut short"
    return None


def _valid_header(header: bytes) -> bool:
    magic, version = struct.unpack(">II", header[:8])
    if magic not in WAL_MAGIC or version != WAL_VERSION:
        return False
    order = ">" if magic & 1 else "<"
    first, second = 0, 0
    words = struct.unpack(f"{order}6I", header[:24])
    for a, b in zip(words[::2], words[1::2], strict=True):
        first = (first + a + second) & 0xFFFFFFFF
        second = (second + b + first) & 0xFFFFFFFF
    return (first, second) == struct.unpack(">II", header[24:32])


def _hot_rollback_journal(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(len(ROLLBACK_MAGIC))
    except OSError:
        return None
    if head != ROLLBACK_MAGIC:
        return None  # absent, empty or zeroed: a finished transaction, nothing to undo
    return (
        f"{path.name}: a write was cut off half-way; SQLite undoes it from this rollback "
        "journal when it opens the journal (keep the file until then)"
    )
