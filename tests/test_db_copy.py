"""`srm db copy --to`: a whole journal, ids and links included, into an empty database."""

from __future__ import annotations

from pathlib import Path


def seed(srm) -> None:
    srm("supplier", "add", "Northwind", "--alias", "NW", "--cadence", "14", ok=True)
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "NW", "Alice Moreau", "--role", "sales", ok=True)
    srm("contact", "add", "NW", "Piet", "--role", "executive", ok=True)
    srm("log", "NW", "Price talk", "--with", "alice", "--tactic", "price-increase",
        "--issue", "late-delivery", "--follow-up", "Send plan", "--due", "friday",
        "--owner", "them", ok=True)  # fmt: skip
    srm("log", "acme", "Hello", "--date", "3 days ago", ok=True)
    srm("supplier", "rm", "Acme", "--force", ok=True)  # leaves a gap in the ids
    srm("supplier", "add", "Borealis", ok=True)


VIEWS = [
    ("supplier", "list", "--all", "-f", "json"),
    ("contact", "list", "-f", "json"),
    ("timeline", "Northwind", "-f", "json"),
    ("search", "price", "-f", "json"),
]


def test_copy_reproduces_every_view_with_ids(srm, tmp_path: Path) -> None:
    seed(srm)
    target = tmp_path / "copy.db"
    r = srm("db", "copy", "--to", str(target))
    assert r.exit_code == 0, r.stderr
    assert "Copied" in r.stderr
    for view in VIEWS:
        assert srm(*view).stdout == srm("--db", str(target), *view).stdout, view
    # new records continue after the copied ids
    timeline = srm("--db", str(target), "timeline", "NW", "-f", "json").json()
    copied_ids = [row["id"] for row in timeline if row["type"] == "interaction"]
    new = srm("--db", str(target), "log", "Borealis", "First call", "-f", "json").json()
    assert new["id"] > max(copied_ids)


def test_copy_refuses_a_non_empty_target_and_itself(srm, tmp_path: Path) -> None:
    seed(srm)
    target = tmp_path / "copy.db"
    srm("db", "copy", "--to", str(target), ok=True)
    before = target.read_bytes()
    again = srm("db", "copy", "--to", str(target))
    assert again.exit_code == 1 and "empty" in again.stderr
    assert target.read_bytes() == before
    journal_path = srm("db", "path").stdout.strip()
    if "://" not in journal_path:
        same = srm("db", "copy", "--to", journal_path)
        assert same.exit_code == 1 and "itself" in same.stderr


def test_copy_to_unreachable_server_masks_password(srm) -> None:
    seed(srm)
    r = srm("db", "copy", "--to", "postgresql+psycopg://buyer:hunter2@127.0.0.1:1/srm")
    assert r.exit_code == 1 and "hunter2" not in r.stderr and r.stderr.startswith("Error:")


def test_copy_keeps_who_recorded_each_record(srm, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('author = "Dana"\n')
    seed(srm)
    config.write_text('author = "Lee"\n')
    srm("issue", "open", "Borealis", "billing", "Invoice twice", ok=True)
    srm("sourcing", "new", "Second source", ok=True)
    srm("sourcing", "add", "Second", "Borealis", ok=True)
    target = tmp_path / "copy.db"
    srm("db", "copy", "--to", str(target), ok=True)
    # the tables that show the author read the same from the copy
    for view in (
        ("supplier", "show", "NW"),
        ("issue", "list"),
        ("followup", "list"),
        ("timeline", "NW"),
    ):
        here, there = srm(*view, ok=True).stdout, srm("--db", str(target), *view, ok=True).stdout
        assert here == there, view
        assert "Dana" in there, view
    for kind, wanted in (("suppliers", "dana"), ("issues", "Lee"), ("contacts", "dana")):
        args = ("export", kind, "--author", wanted, "-f", "json")
        assert srm(*args, ok=True).stdout == srm("--db", str(target), *args, ok=True).stdout
    lee = srm("--db", str(target), "export", "issues", "--author", "lee", "-f", "json").json()
    assert [i["description"] for i in lee] == ["Invoice twice"]
    import sqlite3

    con = sqlite3.connect(target)
    try:
        assert con.execute("SELECT author FROM sourcing_project").fetchall() == [("Lee",)]
        assert con.execute("SELECT author FROM candidate").fetchall() == [("Lee",)]
    finally:
        con.close()
