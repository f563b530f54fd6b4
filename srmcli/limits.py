"""What text srm takes into a journal (SPEC §13), the same on every input path:
arguments, standard input, the editor, drafts and every import format.

A NUL byte and a lone surrogate (half of a UTF-16 pair, which is what an escape such as
`\\ud800` in JSON, or an undecodable byte in a command line, becomes in Python) are
refused: PostgreSQL cannot store either, so a journal holding one could never be copied
to a server. A note or a cell holds at most 1 MiB. Pure and stdlib-only: `srm log`
imports it.
"""

from __future__ import annotations

import re

from srmcli.errors import InvalidValueError

# the most a note, a description or one cell of an imported file may hold, in UTF-8 bytes
MOST_TEXT_BYTES = 1 << 20
MOST_TEXT_WORDS = "1 MiB"
# a record of an import file (a CSV line, a JSON record) may hold several long texts,
# escaped; past this many characters without its end it is refused without reading more
MOST_RECORD_CHARS = 8 << 20

_REFUSED = re.compile("[\x00\ud800-\udfff]")


def problem(text: str) -> str | None:
    """What makes `text` unfit for a journal, worded to follow `<what>: `; None if fit."""
    found = _REFUSED.search(text)
    if found is not None:
        char = found.group()
        if char == "\x00":
            return (
                "a NUL byte (\\x00) is not accepted in text (a journal cannot store it); remove it"
            )
        return (
            f"a lone surrogate (\\u{ord(char):04x}) is half of a character, not text; "
            "remove it or write the whole character"
        )
    # a character is at most 4 bytes in UTF-8: only long text needs counting
    if len(text) > MOST_TEXT_BYTES // 4:
        size = len(text.encode("utf-8"))
        if size > MOST_TEXT_BYTES:
            return too_long(size)
    return None


def too_long(size: int | None = None) -> str:
    held = f" ({size:,} bytes)" if size is not None else ""
    return (
        f"the text is longer than {MOST_TEXT_WORDS}{held}; a note or a cell holds at most "
        f"{MOST_TEXT_WORDS} ({MOST_TEXT_BYTES:,} bytes): shorten it or keep the rest in a file"
    )


def checked(text: str, what: str) -> str:
    """`text` when a journal may hold it; else `Error: <what>: <problem>`."""
    found = problem(text)
    if found is not None:
        raise InvalidValueError(f"{what}: {found}")
    return text


def fit(text: str) -> bool:
    """Whether `text` holds no NUL and no lone surrogate (its length aside): one scan."""
    return _REFUSED.search(text) is None
