"""A large file read in a second process while this one writes what was read.

Capturing a calendar or a mailbox is two jobs of about the same size: the library reads
each event or message (icalendar, the `email` package), and srm matches its people and
writes interactions. Done one after the other they took 2.5 times as long as importing
as many rows from CSV; done side by side, on the two cores any machine has now, the
writing waits for little. So a big file's records are made in a forked child and handed
over in batches through a pipe, while the parent goes on with the batch before.

What stays as it was:

- Everything is still one transaction in the parent: the child only reads the file and
  never touches the journal (it leaves with `os._exit`, running no clean-up of objects
  it inherited, such as the database connection).
- A malformed entry is refused with the same `Error: FILE: line N: …`: the child sends
  the refusal and stops, the parent raises it, and nothing is written.
- Memory stays flat: the pipe holds a batch or two, and the child waits when it is
  full.

The reader is started before the journal is opened, and before the database libraries
are even imported (`srm import calendar|mail` starts it first): the child holds no
connection to the journal, and it reads while the parent loads SQLAlchemy. A small file
(below `BACKGROUND_FROM` bytes) is read in this process, as is every file where `fork`
is not how processes start (Windows, macOS), or when `SRM_READ_INLINE` is set.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from srmcli.errors import SrmError

T = TypeVar("T")

BACKGROUND_FROM = 4 << 20  # bytes: below this a process costs more than it saves
BATCH = 200  # records handed over at a time


@contextlib.contextmanager
def records(read: Callable[[], Iterator[T]], size: int) -> Iterator[Iterator[T]]:
    """The records `read()` yields, made in a child process when the file is large. The
    child starts at once (before the journal is opened, when called first), and is
    stopped on leaving the block, whether everything was read or not."""
    if not _worth_it(size):
        found = read()
        try:
            yield found
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()  # a generator left early: its own clean-up runs now
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    child = context.Process(target=_produce, args=(read, sending), daemon=True)
    child.start()
    sending.close()
    try:
        yield _received(receiving)
    finally:
        receiving.close()
        child.terminate()  # done already when everything was read; else stop it reading
        child.join()


def _received(receiving: Connection) -> Iterator[Any]:
    while True:
        try:
            kind, payload = receiving.recv()
        except EOFError:
            raise SrmError(
                "the process reading the file stopped before its end; run the import "
                "again (SRM_READ_INLINE=1 reads it in one process)"
            ) from None
        if kind == "records":
            yield from payload
        elif kind == "refused":
            error_type, message = payload
            raise error_type(message)
        else:
            return


def size_of(path: str) -> int:
    """Bytes to read at `path`: a file's size, or a folder's messages' (a Maildir, a
    folder of .eml files); 0 when there is nothing there (the reader says so)."""
    target = os.path.expanduser(path)
    try:
        if not os.path.isdir(target):
            return os.path.getsize(target)
        total = 0
        for folder in (target, *(os.path.join(target, s) for s in ("cur", "new"))):
            if os.path.isdir(folder):
                with os.scandir(folder) as entries:
                    total += sum(e.stat().st_size for e in entries if e.is_file())
        return total
    except OSError:
        return 0


PIPE_BYTES = 1 << 20  # what the pipe holds: the reader runs ahead while rows are written


def _widen(sending: Connection) -> None:
    """A pipe holds 64 KiB: the reader would stop every time the parent writes a batch of
    rows to the journal. Linux lets a process widen it to 1 MiB (a few thousand records);
    where it cannot, the pipe stays as it is."""
    try:
        import fcntl

        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


class Handed:
    """A record handed over from the child: pickled as its class and its fields, in
    order (the default way, a dictionary of them, took twice as long to read back, and
    the parent reads every record of the file)."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__dataclass_fields__)  # type: ignore[attr-defined]


def _worth_it(size: int) -> bool:
    if os.environ.get("SRM_READ_INLINE"):
        return False
    if size < BACKGROUND_FROM:
        return False
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux"


def _produce(read: Callable[[], Iterator[Any]], sending: Connection) -> None:
    # what the parent had built is never garbage here: keep the collector from walking
    # it (and copying its pages) on every full collection
    gc.freeze()
    status = 0
    batch: list[Any] = []
    try:
        for record in read():
            batch.append(record)
            if len(batch) >= BATCH:
                sending.send(("records", batch))
                batch = []
        if batch:
            sending.send(("records", batch))
        sending.send(("done", None))
    except SrmError as exc:
        # what came before the refusal first: the parent may have its own objection to
        # an earlier record, and the first mistake in the file is the one to report
        if batch:
            sending.send(("records", batch))
        sending.send(("refused", (type(exc), str(exc))))
    except BrokenPipeError:
        status = 1  # the parent stopped listening: nothing left to do
    except BaseException as exc:  # noqa: BLE001 - told to the parent, never shown raw
        # the parent says what went wrong in one line; no traceback, no note text
        if batch:
            sending.send(("records", batch))
        problem = f"the file could not be read ({type(exc).__name__})"
        sending.send(("refused", (SrmError, problem)))
    finally:
        try:
            sending.close()
        finally:
            os._exit(status)
