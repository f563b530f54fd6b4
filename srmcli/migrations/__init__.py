"""Alembic migrations, shipped in the package.

`HEAD` is the newest revision; opening a journal compares it with `alembic_version`
without importing Alembic. A test keeps it equal to the scripts' head.
"""

from __future__ import annotations

from pathlib import Path

HEAD = "0001"


def known_revisions() -> set[str]:
    versions = Path(__file__).parent / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the FTS5 index and its shadow tables out of comparisons: triggers keep them."""
    return not (type_ == "table" and name is not None and name.startswith("interaction_fts"))
