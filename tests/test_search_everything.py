"""`srm search` sees everything a buyer wrote, and `timeline --tactic/--tag` (SPEC §10).

Run on SQLite (FTS5) by default and on PostgreSQL (full-text search) with
`SRM_TEST_DATABASE_URL`: the expectations are the same on both backends."""

from __future__ import annotations

import csv
import io
from typing import Any


def found(srm, *args: str) -> list[tuple[str, int]]:
    rows: list[dict[str, Any]] = srm("search", *args, "-f", "json", ok=True).json()
    return [(r["type"], r["id"]) for r in rows]


def journal_of_words(srm) -> None:
    srm("supplier", "add", "Northwind", ok=True)
    srm("supplier", "add", "Brightline", ok=True)
    # 1: the tactic alone says "price increase"
    srm("log", "Northwind", "across the board letter", "--date", "2026-11-01",
        "--tactic", "price-increase", ok=True)  # fmt: skip
    # 2: a note that says it
    srm("log", "Northwind", "the price increase again", "--date", "2026-11-02", ok=True)
    # 3: tags only
    srm("log", "Brightline", "quarterly call", "--date", "2026-11-03", "--tag",
        "Q3-review", "--tag", "pallets", ok=True)  # fmt: skip
    # 4: nothing of the kind
    srm("log", "Brightline", "friendly chat", "--date", "2026-11-04", "--tactic",
        "innovative-pitch", ok=True)  # fmt: skip
    # issue 1: words in the description, issue 2 in the resolution
    srm("issue", "open", "Northwind", "late-delivery", "pallets stuck at customs",
        "--date", "2026-11-05", ok=True)  # fmt: skip
    srm("issue", "open", "Brightline", "quality", "burrs on the edges", "--date",
        "2026-11-06", ok=True)  # fmt: skip
    srm("issue", "resolve", "2", "--note", "new deburring station at customs", ok=True)
    # follow-ups
    srm("followup", "add", "Northwind", "Send the price list", "--due", "2026-12-01",
        "--owner", "them", ok=True)  # fmt: skip
    srm("followup", "add", "Brightline", "Book the pallets audit", "--due", "2026-12-02",
        ok=True)  # fmt: skip


def test_price_increase_finds_the_tactic_the_note_and_the_follow_up(srm) -> None:
    journal_of_words(srm)
    # the note match first, then the tactic's interaction; "price" alone also finds
    # the price list; "increase" does not appear in it
    assert found(srm, "price increase") == [("interaction", 2), ("interaction", 1)]
    assert found(srm, "price") == [("interaction", 2), ("interaction", 1), ("followup", 1)]
    assert found(srm, "pric incr") == [("interaction", 2), ("interaction", 1)]
    # any case; a tactic's words in any order
    assert found(srm, "INCREASE Price") == [("interaction", 2), ("interaction", 1)]
    # innovative-pitch is a tactic like any other to search
    assert found(srm, "innovative") == [("interaction", 4)]


def test_tags_issues_and_follow_ups(srm) -> None:
    journal_of_words(srm)
    assert found(srm, "q3 review") == [("interaction", 3)]
    assert found(srm, "pallets") == [("interaction", 3), ("issue", 1), ("followup", 2)]
    # description and resolution are one text: "customs" is in both issues
    assert found(srm, "customs") == [("issue", 2), ("issue", 1)]
    assert found(srm, "burrs deburring") == [("issue", 2)]
    assert found(srm, "audit") == [("followup", 2)]
    # every word must be in one text of the record
    assert found(srm, "pallets audit") == [("followup", 2)]
    assert found(srm, "pallets quarterly") == []


def test_type_narrows_supplier_scopes_and_n_limits(srm) -> None:
    journal_of_words(srm)
    assert found(srm, "pallets", "--type", "issue") == [("issue", 1)]
    assert found(srm, "pallets", "--type", "followup", "--type", "interaction") == [
        ("interaction", 3),
        ("followup", 2),
    ]
    assert found(srm, "pallets", "--type", "follow-ups") == [("followup", 2)]
    assert found(srm, "pallets", "--supplier", "north") == [("issue", 1)]
    assert found(srm, "pallets", "-n", "2") == [("interaction", 3), ("issue", 1)]
    r = srm("search", "pallets", "--type", "promise")
    assert r.exit_code == 1 and r.stdout == ""
    assert (
        r.stderr
        == "Error: --type 'promise' is not accepted; accepted: interaction, issue, followup\n"
    )


def test_results_carry_type_and_date_like_the_timeline(srm) -> None:
    journal_of_words(srm)
    rows = srm("search", "pallets", "-f", "json", ok=True).json()
    assert [(r["type"], r["date"]) for r in rows] == [
        ("interaction", "2026-11-03T00:00:00"),
        ("issue", "2026-11-05T00:00:00"),
        ("followup", "2026-12-02"),
    ]
    assert rows[0]["tags"] == ["Q3-review", "pallets"] and rows[1]["kind"] == "late-delivery"
    assert rows[2]["text"] == "Book the pallets audit" and rows[2]["supplier"] == "Brightline"
    table = " ".join(srm("search", "pallets", ok=True).stdout.split())
    assert "#Q3-review" in table and "Book the pallets audit" in table
    lines = list(csv.DictReader(io.StringIO(srm("search", "pallets", "-f", "csv", ok=True).stdout)))
    assert [(line["type"], line["id"]) for line in lines] == [
        ("interaction", "3"),
        ("issue", "1"),
        ("followup", "2"),
    ]
    empty = srm("search", "zebra", ok=True)
    assert "Nothing matches" in empty.stdout


def test_edits_and_removals_reach_the_indexes(srm) -> None:
    journal_of_words(srm)
    srm("interaction", "edit", "3", "--untag", "pallets", "--tag", "crates", ok=True)
    srm("issue", "edit", "1", "--description", "crates stuck", ok=True)
    srm("followup", "edit", "2", "--text", "Book the crates audit", ok=True)
    assert found(srm, "pallets") == []
    assert found(srm, "crates") == [("interaction", 3), ("issue", 1), ("followup", 2)]
    srm("issue", "rm", "1", ok=True)
    srm("followup", "rm", "2", ok=True)
    srm("interaction", "rm", "3", ok=True)
    assert found(srm, "crates") == []


def test_timeline_by_tactic_and_by_tag(srm) -> None:
    journal_of_words(srm)
    srm("log", "Northwind", "second letter", "--date", "2026-11-10", "--tactic",
        "price-increase", "--tag", "Letters", ok=True)  # fmt: skip
    srm("log", "Northwind", "third", "--date", "2026-11-11", "--tag", "letters-2027", ok=True)

    def ids(*args: str) -> list[tuple[str, int]]:
        rows = srm("timeline", "Northwind", *args, "-f", "json", ok=True).json()
        return [(r["type"], r["id"]) for r in rows]

    assert ids("--tactic", "price-increase") == [("interaction", 1), ("interaction", 5)]
    assert ids("--tactic", "PRICE-INCREASE", "-n", "1") == [("interaction", 5)]
    # a tag is matched whole, in any case: `letters` is not `letters-2027`
    assert ids("--tag", "LETTERS") == [("interaction", 5)]
    assert ids("--tag", "letters-2027") == [("interaction", 6)]
    assert ids("--tag", "letter") == []
    assert ids("--tag", "letters", "--tactic", "price-increase") == [("interaction", 5)]
    assert ids("--tactic", "bypass") == []
    r = srm("timeline", "Northwind", "--tactic", "pushy")
    assert r.exit_code == 1 and r.stderr.startswith("Error: unknown tactic 'pushy'; accepted:")
    # an empty tag finds nothing by definition: it is a mistake, told like `log --tag ""`
    for empty in ("", "   "):
        r = srm("timeline", "Northwind", "--tag", empty)
        assert (
            r.exit_code == 1
            and r.stderr == "Error: a tag is empty; give its text or leave it out\n"
        )


def test_the_postgresql_search_expressions_are_the_indexed_ones() -> None:
    """A query expression that differs from the index's by a space reads every row."""
    import importlib.util
    from pathlib import Path

    from srmcli.services.search import POSTGRES_VECTORS

    path = Path(__file__).parents[1] / "srmcli/migrations/versions/0013_search_records.py"
    spec = importlib.util.spec_from_file_location("revision_0013", path)
    assert spec is not None and spec.loader is not None
    revision = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(revision)
    indexed = dict(revision.POSTGRES_INDEXES.values())
    assert indexed == {
        "interaction": POSTGRES_VECTORS["tags"],
        "issue": POSTGRES_VECTORS["issue"],
        "followup": POSTGRES_VECTORS["followup"],
    }


def test_on_postgresql_the_gin_indexes_answer_the_queries(srm) -> None:
    import os

    import pytest
    from sqlalchemy import event

    from srmcli import db
    from srmcli.services.search import POSTGRES_VECTORS, search_everything

    if not os.environ.get("SRM_TEST_DATABASE_URL", "").strip():
        pytest.skip("needs a PostgreSQL server: set SRM_TEST_DATABASE_URL (CI does)")
    journal_of_words(srm)
    statements: list[tuple[str, Any]] = []
    engine = db.engine()
    listener = lambda _c, _cur, sql, params, _ctx, _many: statements.append((sql, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with db.session() as s:
            assert len(search_everything(session=s, text="pallets")) == 3
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    plans = []
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET enable_seqscan = off")  # tiny tables: make the planner show its hand
        for sql, params in statements:
            if "to_tsquery" in sql and any(v in sql for v in POSTGRES_VECTORS.values()):
                cur.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cur.fetchall()))
    finally:
        raw.rollback()
        raw.close()
    joined = "\n".join(plans)
    for index in ("ix_interaction_tags_fts", "ix_issue_text_fts", "ix_followup_text_fts"):
        assert index in joined, joined
