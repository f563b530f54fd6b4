"""Alembic migrations, shipped in the package.

`HEAD` is the newest revision; opening a journal compares it with `alembic_version`
without importing Alembic. A test keeps it equal to the scripts' head.
"""

from __future__ import annotations

from pathlib import Path

HEAD = "0010"


def known_revisions() -> set[str]:
    versions = Path(__file__).parent / "versions"
    return {p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py")}


# full-text search structures that live outside the models: SQLite's FTS5 table (and its
# shadow tables, kept by triggers) and PostgreSQL's GIN expression index over notes
FTS_INDEX = "ix_interaction_note_fts"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Leave the full-text structures out of comparisons: the models cannot express them."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith("interaction_fts")
    return not (type_ == "index" and name == FTS_INDEX)
