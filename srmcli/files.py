"""Every file srm writes goes through here (SPEC §13, "Files srm writes").

A file is written to a temporary file in the target's own folder (mode 0600), flushed,
fsynced and renamed into place only when it is complete: a failure, a full disk or a kill
leaves the old file (or none), never a partial one. A target that is a symbolic link, a
device, a FIFO, a socket or a folder is refused, so srm never writes through a link or
replaces something that is not a plain file. Folders srm creates are 0700 whatever the
umask. An error while writing names the output file, never the journal.
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
    target = Path(path)
    if str(path) == "":
        raise OutputFileError("no output file named; give a file name")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputFileError(f"cannot write {target}: {exc.strerror}") from None
    kind = _kind(info.st_mode)
    if kind is not None:
        raise OutputFileError(
            f"{target} is {kind}; srm writes only regular files (it never writes through a "
            "link or onto a device); choose another file name"
        )
    return target


def make_folders(folder: str | os.PathLike[str]) -> Path:
    """Create `folder` and any missing parents with mode 0700 (whatever the umask); an
    existing folder is left as it is."""
    path = Path(folder)
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
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputFileError(f"cannot create the folder {created}: {exc.strerror}") from None
        os.chmod(created, PRIVATE_FOLDER)  # mkdir's mode is masked by the umask
    return path


def _fail(target: Path, exc: OSError) -> OutputFileError:
    reason = exc.strerror or str(exc)
    return OutputFileError(
        f"cannot write {target}: {reason}; the file was not written (an older {target.name}, "
        "if any, is unchanged)"
    )


def _sync_folder(folder: Path) -> None:
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


@contextmanager
def replacing(path: str | os.PathLike[str], *, create_folders: bool = False) -> Iterator[Path]:
    """A temporary path beside `path` for a writer that needs a file name (SQLite's
    backup); renamed onto `path` when the block ends without error, removed otherwise
    (with any `-journal`/`-wal`/`-shm` file left beside it)."""
    target = check_target(path)
    folder = target.parent if str(target.parent) else Path(".")
    if create_folders:
        make_folders(folder)
    elif not folder.is_dir():
        raise OutputFileError(f"cannot write {target}: the folder {folder} does not exist")
    temporary = _temporary(folder, target)
    try:
        yield temporary
        os.chmod(temporary, PRIVATE_FILE)
        _fsync_path(temporary)
        check_target(target)
        os.replace(temporary, target)
        _sync_folder(folder)
    except OSError as exc:
        _discard(temporary)
        raise _fail(target, exc) from None
    except BaseException:
        _discard(temporary)
        raise
    finally:
        for suffix in ("-journal", "-wal", "-shm"):
            _discard(Path(f"{temporary}{suffix}"))


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
    error; the old file, if any, is untouched until then, and kept when anything fails."""
    with replacing(path, create_folders=create_folders) as temporary:
        target = Path(path)
        try:
            fh: IO[Any] = (
                open(temporary, "wb")  # noqa: SIM115 - closed below, before the rename
                if binary
                else open(temporary, "w", encoding=encoding, newline=newline)  # noqa: SIM115
            )
        except OSError as exc:
            raise _fail(target, exc) from None
        try:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        except OSError as exc:
            _close_quietly(fh)
            raise _fail(target, exc) from None
        except BaseException:
            _close_quietly(fh)
            raise
        try:
            fh.close()
        except OSError as exc:
            raise _fail(target, exc) from None


def write_bytes(path: str | os.PathLike[str], data: bytes, **options: Any) -> None:
    with writing(path, binary=True, **options) as fh:
        fh.write(data)


def write_text(path: str | os.PathLike[str], text: str, **options: Any) -> None:
    with writing(path, **options) as fh:
        fh.write(text)


def _temporary(folder: Path, target: Path) -> Path:
    import tempfile

    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise _fail(target, exc) from None
    os.close(fd)  # mkstemp made it 0600; the writer reopens it by name
    return Path(name)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:  # pragma: no cover - nothing more can be done about it
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
