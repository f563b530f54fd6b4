"""Errors a buyer can act on. The CLI's one exit point turns them into `Error: …`, exit 1."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class SrmError(Exception):
    """A handled error: the message is shown as `Error: <message>` and srm exits 1."""


class NotFoundError(SrmError):
    """A supplier, contact or record that does not exist."""


class InvalidValueError(SrmError):
    """A value outside what srm accepts."""


class ConflictError(SrmError):
    """The write would contradict what the journal already holds."""


class DatabaseError(SrmError):
    """The journal cannot be opened, read or written."""


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates that look most like `word`, for "did you mean" hints."""
    pool = list(candidates)
    lowered = {c.casefold(): c for c in pool}
    hits = difflib.get_close_matches(word.casefold(), list(lowered), n=n, cutoff=0.5)
    return [lowered[h] for h in hits]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    hits = closest(word, candidates)
    if not hits:
        return ""
    return " Did you mean: " + ", ".join(hits) + "?"
