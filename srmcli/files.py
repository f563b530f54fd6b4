"""Every file srm writes goes through here (SPEC §13, "Files srm writes").

A file is written to a temporary file in the target's own folder (mode 0600), flushed,
fsynced and renamed into place only when it is complete: a failure, a full disk or a kill
leaves the old file (or none), never a partial one. A target that is a symbolic link, a
device, a FIFO, a socket or a folder is refused, so srm never writes through a link or
replaces something that is not a plain file. Folders srm creates are 0700 whatever the
umask. An error while writing names the output file, never the journal. The temporary
file of a writer that was killed is removed by the next write to the same target (a
live writer holds a lock on its own, see `_claim`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from srmcli.errors import SrmError

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
# the files SQLite keeps beside a database while it is open or was left unfinished
SQLITE_SIDECARS = ("-journal", "-wal", "-shm")


class OutputFileError(SrmError):
    """An output file that cannot be written where it was asked for."""


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(path: str | os.PathLike[str]) -> Path:
    """`path` as a place srm may write a file: missing, or a regular file (never followed
    through a link). Refused with `Error:` otherwise."""
    if str(path).strip() == "":
        raise OutputFileError("no output file named; give a file name")
    target = Path(path).expanduser()
    try:
        info = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        return target
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror}") from None
    kind = _kind(info.st_mode)
    if kind == "a folder":
        raise OutputFileError(f"{target} is a folder; give the name of a file to write")
    if kind is not None:
        raise OutputFileError(
            f"{target} is {kind}; srm writes only regular files (it never writes through a "
            "link or onto a device or pipe); choose another file name"
        )
    return target


def make_folders(folder: str | os.PathLike[str]) -> Path:
    """Create `folder` and any missing parents with mode 0700 (whatever the umask); an
    existing folder is left as it is."""
    path = Path(folder).expanduser()
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        try:
            os.mkdir(created, PRIVATE_FOLDER)
            os.chmod(created, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask
        except FileExistsError:
            continue  # made meanwhile by another process: theirs, left as it is
        except OSError as exc:
            raise OutputFileError(f"cannot create the folder {created}: {exc.strerror}") from None
    return path


@contextmanager
def replacing(
    path: str | os.PathLike[str], *, create_folders: bool = False, database: bool = False
) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that needs a file name (SQLite's
    backup); renamed onto `path` when the block ends without error, removed otherwise.

    With `database`, the temporary file is an SQLite database: its writer must have closed
    it, and a rollback journal or write-ahead log still holding pages means it is
    unfinished, so it is refused rather than put in place without them. Any `-journal`,
    `-wal` or `-shm` beside `path` belongs to no database once `path` is replaced, and is
    removed first so that SQLite never applies it to the new file.
    """
    target, folder = _place(path, create_folders)
    fd, temporary = _temporary(folder, target)
    # the writer opens it by name; `fd` stays open only to hold the claim on it
    try:
        yield temporary
        _fsync_path(temporary)
        if database:
            _check_closed(temporary, target)
        _put_in_place(temporary, target, folder, database=database)
    except OSError as exc:
        _discard(temporary)
        raise _fail(target, exc) from None
    except BaseException:
        _discard(temporary)
        raise
    finally:
        for suffix in SQLITE_SIDECARS:
            _discard(Path(f"{temporary}{suffix}"))
        os.close(fd)


@contextmanager
def writing(
    path: str | os.PathLike[str],
    *,
    binary: bool = False,
    encoding: str = "utf-8",
    newline: str | None = "",
    create_folders: bool = False,
) -> Iterator[IO[Any]]:
    """A stream that becomes the file `path` (mode 0600) when the block ends without
    error; the old file, if any, is untouched until then, and kept when anything fails.

    An OSError raised inside the block is taken as a failed write to this file (the block
    writes it), and named so.
    """
    target, folder = _place(path, create_folders)
    claim, temporary = _temporary(folder, target)
    try:
        # the stream has a descriptor of its own: closing it keeps the claim until the rename
        fd = os.dup(claim)
        try:
            fh: IO[Any] = (
                os.fdopen(fd, "wb")
                if binary
                else os.fdopen(fd, "w", encoding=encoding, newline=newline)
            )
        except BaseException:
            os.close(fd)
            raise
    except BaseException:
        os.close(claim)
        _discard(temporary)
        raise
    try:
        yield fh
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        _put_in_place(temporary, target, folder)
    except OSError as exc:
        _close_quietly(fh)
        _discard(temporary)
        raise _fail(target, exc) from None
    except BaseException:
        _close_quietly(fh)
        _discard(temporary)
        raise
    finally:
        os.close(claim)


@contextmanager
def filling_folder(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """A new private folder beside `folder` to write a set of files into (each with
    `writing`); when the block ends without error the set is put in place, otherwise the
    folder is removed with whatever was written, so a failure leaves no part of the set.

    A folder that does not exist yet is made whole by one rename. In an existing folder
    each file replaces its namesake (other files there are left alone), only once every
    file of the set is complete. A `folder` that is a link, a file or a device is refused.
    """
    import shutil
    import tempfile

    target = Path(folder).expanduser()
    if str(folder).strip() == "":
        raise OutputFileError("no output folder named; give a folder to write into")
    try:
        info = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        info = None
    except OSError as exc:
        raise OutputFileError(f"cannot write into {target}: {exc.strerror}") from None
    if info is not None and not stat.S_ISDIR(info.st_mode):
        raise OutputFileError(
            f"{target} is {_kind(info.st_mode) or 'a file'}; give a folder to write into "
            "(srm never writes through a link)"
        )
    parent = make_folders(target.parent)
    try:
        staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{target.name}.", suffix=".part"))
        os.chmod(staging, PRIVATE_FOLDER)
    except OSError as exc:
        raise OutputFileError(f"cannot write into {target}: {exc.strerror}") from None
    try:
        yield staging
        if info is None:
            os.rename(staging, target)
            _sync_folder(parent)
            return
        for made in sorted(staging.iterdir()):
            check_target(target / made.name)
        for made in sorted(staging.iterdir()):
            os.replace(made, target / made.name)
        _sync_folder(target)
        os.rmdir(staging)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputFileError(
            f"cannot write into {target}: {exc.strerror or exc}; nothing was written there"
        ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_bytes(path: str | os.PathLike[str], data: bytes, **options: Any) -> None:
    with writing(path, binary=True, **options) as fh:
        fh.write(data)


def write_text(path: str | os.PathLike[str], text: str, **options: Any) -> None:
    with writing(path, **options) as fh:
        fh.write(text)


def _place(path: str | os.PathLike[str], create_folders: bool) -> tuple[Path, Path]:
    """The checked target and its folder (created when asked)."""
    target = check_target(path)
    folder = target.parent
    if create_folders:
        make_folders(folder)
    elif not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise OutputFileError(
            f"cannot write {target}: the folder {folder} {problem}; create it first"
        )
    return target, folder


TEMPORARY_SUFFIX = ".part"


def _temporary(folder: Path, target: Path) -> tuple[int, Path]:
    """A new empty 0600 file beside the target (mkstemp's mode ignores the umask),
    claimed by this process for as long as `fd` is open (see `_claim`). What a killed
    writer left for the same target is removed first."""
    import tempfile

    _clear_leftovers(folder, target)
    for _attempt in range(8):
        try:
            fd, name = tempfile.mkstemp(
                dir=folder, prefix=f".{target.name}.", suffix=TEMPORARY_SUFFIX
            )
        except OSError as exc:
            raise _fail(target, exc) from None
        if _claim(fd, Path(name)):
            return fd, Path(name)
        os.close(fd)  # another srm cleared it as a leftover between its making and the claim
    raise OutputFileError(f"cannot write {target}: its temporary file kept disappearing")


def _claim(fd: int, path: Path) -> bool:
    """Take the lock that marks a temporary file as being written by a live process.

    It is an exclusive `flock` on the open file, which the system drops when the process
    ends however it ends (kill -9 included): a temporary file nobody holds is a leftover.
    False when `path` no longer names this open file (cleared meanwhile). Without flock
    (Windows) every temporary counts as live, and leftovers are merely ignored."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except OSError:
        return False


def _clear_leftovers(folder: Path, target: Path) -> None:
    """Remove the temporary files (and their -journal, -wal, -shm) of writes to `target`
    whose writer is gone: a `db backup` or `db copy` killed half-way must not leave
    hundreds of megabytes behind, nor anything in the way of running it again. A write
    still in progress holds its claim and is left alone."""
    import re

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return
    pattern = re.compile(
        re.escape(f".{target.name}.") + r"[a-z0-9_]+" + re.escape(TEMPORARY_SUFFIX)
    )
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return
    present = set(names)
    for name in names:
        if pattern.fullmatch(name):
            path = folder / name
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if not os.path.samestat(os.fstat(fd), os.lstat(path)):
                    continue
                for suffix in SQLITE_SIDECARS:
                    _discard(Path(f"{path}{suffix}"))
                _discard(path)
            except OSError:
                continue  # its writer is still at work
            finally:
                os.close(fd)
        else:
            for suffix in SQLITE_SIDECARS:
                base = name[: -len(suffix)]
                if name.endswith(suffix) and pattern.fullmatch(base) and base not in present:
                    _discard(folder / name)  # a sidecar whose temporary file is gone


def _put_in_place(temporary: Path, target: Path, folder: Path, *, database: bool = False) -> None:
    # checked again: a link or device put there since the start is refused, not replaced
    check_target(target)
    if database:
        for suffix in SQLITE_SIDECARS:
            _discard(Path(f"{target}{suffix}"))
    os.replace(temporary, target)
    _sync_folder(folder)


def _check_closed(temporary: Path, target: Path) -> None:
    for suffix in ("-journal", "-wal"):
        try:
            pending = os.stat(f"{temporary}{suffix}").st_size
        except FileNotFoundError:
            continue
        if pending:
            raise OutputFileError(
                f"cannot write {target}: the database was left unfinished (its {suffix[1:]} "
                "still holds pages); the file was not written"
            )


def _fail(target: Path, exc: OSError) -> OutputFileError:
    reason = exc.strerror or str(exc) or type(exc).__name__
    return OutputFileError(
        f"cannot write {target}: {reason}; the file was not written (an older {target.name}, "
        "if any, is unchanged)"
    )


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:  # gone already, or nothing more can be done about it
        pass


def _close_quietly(fh: IO[Any]) -> None:
    """Close after a failed write without a second error (a full disk fails the flush in
    close as well; Python would otherwise print "Exception ignored" at exit)."""
    try:
        fh.close()
    except OSError:
        try:
            os.close(fh.fileno())
        except (OSError, ValueError):
            pass
