"""Notes that could not be stored, kept as private drafts (SPEC §8, "Nothing typed is lost").

A note typed at the prompt, in the editor or piped in is the one thing srm cannot ask for
again. When the journal cannot take it (locked past the busy timeout, unreachable, a
full disk), it is written here — the user state folder (`srm/drafts`, 0700), one file
per note (0600), through `files.py` — and `srm log SUPPLIER --from-draft FILE` logs it
later. Imports nothing heavy: the fast path of `srm log` may need it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from srmcli.errors import InvalidValueError


def folder() -> Path:
    """Where drafts go: the platform's user state folder for srm (`~/.local/state/srm`
    on Linux), `drafts` inside it."""
    from platformdirs import user_state_dir

    return Path(user_state_dir("srm", appauthor=False)) / "drafts"


def save(note: str, supplier: str) -> Path:
    """Write `note` to a new private draft file and return its path; an existing draft
    is never replaced."""
    from srmcli import dates, files

    place = folder()
    files.make_folders(place)
    stem = f"note-{dates.now():%Y%m%d-%H%M%S}-{_slug(supplier)}"
    path = place / f"{stem}.txt"
    number = 1
    while path.exists():
        number += 1
        path = place / f"{stem}-{number}.txt"
    with files.writing(path, newline="") as fh:
        fh.write(note)
    return path


def read(path: str) -> str:
    """The note in a draft file (any file of UTF-8 text), refused with `Error:` when it
    cannot be read."""
    from srmcli.cli.common import text_from

    target = Path(path).expanduser()
    try:
        with target.open("rb") as fh:
            return text_from(fh, f"the draft {target}")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidValueError(
            f"cannot read the draft {target}: {reason}; give the file named when the note "
            f"was saved (drafts are in {folder()})"
        ) from None


def remove(path: str) -> bool:
    """Delete a draft once its note is in the journal; False when it could not be."""
    try:
        os.unlink(Path(path).expanduser())
    except OSError:
        return False
    return True


def _slug(name: str) -> str:
    """The supplier as typed, in letters, digits and dashes (a file name anywhere)."""
    words = re.findall(r"[^\W_]+", name.casefold())
    return "-".join(words)[:40] or "supplier"
