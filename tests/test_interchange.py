"""`srm export` and `srm import`: shapes, filters, the formula guard, all-or-nothing import,
natural-key skipping, and the export -> import -> export round trip."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SUPPLIER_HEADER = [
    "id", "name", "aliases", "domains", "category", "size", "status", "access", "profit_impact",
    "supply_risk", "annual_spend", "supplier_revenue", "cadence_days", "tags", "note",
    "created_at",
]  # fmt: skip
CONTACT_HEADER = ["id", "supplier", "name", "role", "title", "email", "phone", "note", "active"]
INTERACTION_HEADER = [
    "id", "supplier", "occurred_at", "channel", "initiator", "contacts", "duration_min",
    "tone", "tags", "tactics", "note", "author",
]  # fmt: skip
ISSUE_HEADER = [
    "id", "supplier", "kind", "severity", "status", "opened_at", "escalated_at",
    "escalated_to", "resolved_at", "description", "resolution", "interaction_id",
    "interaction_at",
]  # fmt: skip
FOLLOWUP_HEADER = [
    "id", "supplier", "owner", "text", "due", "done_at", "interaction_id", "interaction_at",
]  # fmt: skip
HEADERS = {
    "suppliers": SUPPLIER_HEADER,
    "contacts": CONTACT_HEADER,
    "interactions": INTERACTION_HEADER,
    "issues": ISSUE_HEADER,
    "followups": FOLLOWUP_HEADER,
}
KINDS = list(HEADERS)
NOTE = 'Chased PO 4411, "urgent"\nthey blamed the carrier'


def seed(srm) -> None:
    """Two suppliers, two contacts, three interactions, an issue and a follow-up."""
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", "--size", "mega",
        "--category", "metals", "--tag", "core", "--tag", "eu", "--annual-spend", "1200000",
        "--supplier-revenue", "90000000", "--cadence", "14", "--note", "=SUM(A1:A9)",
        ok=True)  # fmt: skip
    srm("supplier", "add", "Acme Fasteners", "--alias", "Acme", "--size", "small", ok=True)
    srm("contact", "add", "NW", "Alice Moreau", "--role", "sales", "--phone", "+1 555 0100",
        ok=True)  # fmt: skip
    srm("contact", "add", "NW", "Bob Chen", "--role", "operations", ok=True)
    srm("contact", "edit", "NW", "Bob", "--inactive", ok=True)
    srm("log", "NW", NOTE, "--with", "bob", "--with", "alice", "--tone", "-1",
        "--channel", "meeting", "--initiator", "them", "--date", "2026-11-20 09:15",
        "--duration", "45", "--tag", "po", "--tactic", "price-increase", "--tactic", "flattery",
        "--issue", "late-delivery", "--severity", "2",
        "--follow-up", "Send the new ship date", "--due", "2026-11-27", "--owner", "them",
        ok=True)  # fmt: skip
    srm("log", "acme", "--date", "2026-11-10", "--", "-5% on screws, @ them", ok=True)
    srm("log", "acme", "Lunch", "--date", "2026-11-21", "--channel", "visit", ok=True)


def export_file(srm, kind: str, path: Path, *args: str, db: tuple[str, ...] = ()) -> str:
    r = srm(*db, "export", kind, "-o", str(path), *args)
    assert r.exit_code == 0, r
    return exact_text(path)


def exact_text(path: Path) -> str:
    """The file as written: no newline translation, so a lone \r stays a \r."""
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def snapshot(srm, *db: str) -> dict[str, list[dict]]:
    """Every record of the journal, as JSON exports."""
    return {k: srm(*db, "export", k, "-f", "json", ok=True).json() for k in KINDS}


def without(rows: list[dict], *keys: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in keys} for row in rows]


# -- export ---------------------------------------------------------------------------


def test_export_csv_has_the_spec_columns_and_joined_lists(srm, tmp_path: Path) -> None:
    seed(srm)
    for kind, header in HEADERS.items():
        text = export_file(srm, kind, tmp_path / f"{kind}.csv")
        assert next(csv.reader(io.StringIO(text, newline=""))) == header
        assert text.endswith("\r\n")  # the standard dialect, rows ended by CRLF

    suppliers = csv_rows(export_file(srm, "suppliers", tmp_path / "s.csv"))
    assert [s["name"] for s in suppliers] == ["Acme Fasteners", "Northwind Metals"]
    nw = suppliers[1]
    assert (nw["aliases"], nw["tags"], nw["annual_spend"], nw["cadence_days"]) == (
        "NW", "core;eu", "1200000", "14",
    )  # fmt: skip
    assert nw["note"] == "'=SUM(A1:A9)" and nw["created_at"] == "2026-11-25T10:30:00"
    assert suppliers[0]["note"] == "" and suppliers[0]["status"] == "active"

    contacts = csv_rows(export_file(srm, "contacts", tmp_path / "c.csv"))
    assert [(c["name"], c["active"], c["phone"]) for c in contacts] == [
        ("Alice Moreau", "true", "'+1 555 0100"),
        ("Bob Chen", "false", ""),
    ]

    interactions = csv_rows(export_file(srm, "interactions", tmp_path / "i.csv"))
    assert [i["occurred_at"] for i in interactions] == [
        "2026-11-10T00:00:00", "2026-11-20T09:15:00", "2026-11-21T00:00:00",
    ]  # fmt: skip
    met = interactions[1]
    assert met["contacts"] == "Alice Moreau;Bob Chen"
    assert met["tactics"] == "flattery;price-increase"
    assert (met["tone"], met["duration_min"], met["note"]) == ("-1", "45", NOTE)
    assert interactions[0]["note"] == "'-5% on screws, @ them"
    assert interactions[0]["tone"] == "0" and interactions[0]["contacts"] == ""

    issue = csv_rows(export_file(srm, "issues", tmp_path / "is.csv"))[0]
    assert (issue["kind"], issue["severity"], issue["status"]) == ("late-delivery", "2", "open")
    assert issue["interaction_id"] == met["id"] and issue["escalated_to"] == ""
    assert issue["interaction_at"] == met["occurred_at"] == "2026-11-20T09:15:00"
    followup = csv_rows(export_file(srm, "followups", tmp_path / "f.csv"))[0]
    assert followup["interaction_at"] == "2026-11-20T09:15:00"
    assert (followup["owner"], followup["due"], followup["done_at"]) == ("them", "2026-11-27", "")


def test_export_json_and_jsonl_are_the_records(srm) -> None:
    seed(srm)
    rows = srm("export", "interactions", "-f", "json", ok=True).json()
    assert [list(r) for r in rows] == [INTERACTION_HEADER] * 3
    met = rows[1]
    assert met["contacts"] == ["Alice Moreau", "Bob Chen"]
    assert met["tactics"] == ["flattery", "price-increase"] and met["tags"] == ["po"]
    assert (met["tone"], met["duration_min"], met["note"]) == (-1, 45, NOTE)
    assert rows[0]["note"] == "-5% on screws, @ them"  # JSON is never guarded
    assert rows[0]["duration_min"] is None and rows[0]["contacts"] == []

    lines = srm("export", "suppliers", "-f", "jsonl", ok=True).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["name"] for r in records] == ["Acme Fasteners", "Northwind Metals"]
    assert records[1]["aliases"] == ["NW"] and records[1]["annual_spend"] == 1200000
    assert list(records[0]) == SUPPLIER_HEADER
    contacts = srm("export", "contacts", "-f", "json", ok=True).json()
    assert [c["active"] for c in contacts] == [True, False]


def test_export_date_filters_are_inclusive_calendar_days(srm, monkeypatch) -> None:
    srm("supplier", "add", "Acme", ok=True)
    for when in ("2026-11-09 23:59", "2026-11-10 00:00", "2026-11-20 23:59", "2026-11-21 00:00"):
        srm("log", "acme", f"at {when}", "--date", when, ok=True)
        srm("issue", "open", "acme", "quality", f"at {when}", "--date", when, ok=True)
    for due in ("2026-11-09", "2026-11-10", "2026-11-20", "2026-11-21"):
        srm("followup", "add", "acme", f"due {due}", "--due", due, ok=True)
    window = ("--from", "2026-11-10", "--to", "2026-11-20", "-f", "json")
    notes = [r["note"] for r in srm("export", "interactions", *window, ok=True).json()]
    assert notes == ["at 2026-11-10 00:00", "at 2026-11-20 23:59"]
    opened = [r["description"] for r in srm("export", "issues", *window, ok=True).json()]
    assert opened == ["at 2026-11-10 00:00", "at 2026-11-20 23:59"]
    due = [r["text"] for r in srm("export", "followups", *window, ok=True).json()]
    assert due == ["due 2026-11-10", "due 2026-11-20"]
    only_from = srm("export", "interactions", "--from", "2026-11-21", "-f", "json", ok=True)
    assert [r["note"] for r in only_from.json()] == ["at 2026-11-21 00:00"]

    monkeypatch.setenv("SRM_NOW", "2026-12-01T08:00:00")
    srm("supplier", "add", "Later Ltd", ok=True)
    later = srm("export", "suppliers", "--from", "2026-12-01", "-f", "json", ok=True).json()
    assert [s["name"] for s in later] == ["Later Ltd"]
    earlier = srm("export", "suppliers", "--to", "2026-11-30", "-f", "json", ok=True).json()
    assert [s["name"] for s in earlier] == ["Acme"]


def test_export_refuses_dates_for_contacts_and_reversed_ranges(srm) -> None:
    seed(srm)
    r = srm("export", "contacts", "--from", "2026-11-01")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("Error: contacts have no date") and "--supplier" in r.stderr
    rev = srm("export", "interactions", "--from", "2026-11-20", "--to", "2026-11-10")
    assert rev.exit_code == 1 and "is after --to" in rev.stderr
    bad = srm("export", "pallets")
    assert (
        bad.exit_code == 1 and "suppliers, contacts, interactions, issues, followups" in bad.stderr
    )
    fmt = srm("export", "issues", "-f", "xml")
    assert fmt.exit_code == 1 and "csv, json, jsonl" in fmt.stderr


def test_export_one_supplier(srm) -> None:
    seed(srm)
    rows = srm("export", "interactions", "--supplier", "acme", "-f", "json", ok=True).json()
    assert {r["supplier"] for r in rows} == {"Acme Fasteners"} and len(rows) == 2
    people = srm("export", "contacts", "--supplier", "nw", "-f", "json", ok=True).json()
    assert len(people) == 2
    one = srm("export", "suppliers", "--supplier", "north", "-f", "json", ok=True).json()
    assert [s["name"] for s in one] == ["Northwind Metals"]
    miss = srm("export", "issues", "--supplier", "Nortwind Metals")
    assert miss.exit_code == 1 and "Did you mean: Northwind Metals" in miss.stderr


def test_export_to_a_file_is_private_and_replaces_it(srm, tmp_path: Path) -> None:
    seed(srm)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "issues.csv"
    out.write_text("old content\n")
    out.chmod(0o644)
    r = srm("export", "issues", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip() == f"Exported 1 row of issues to {out}."
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("id,supplier,kind")
    assert [p.name for p in folder.iterdir()] == ["issues.csv"]  # no partial file left

    failed = srm("export", "issues", "--supplier", "nobody", "-o", str(folder / "x.csv"))
    assert failed.exit_code == 1 and [p.name for p in folder.iterdir()] == ["issues.csv"]
    missing = srm("export", "issues", "-o", str(tmp_path / "no" / "such" / "x.csv"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


def test_formula_guard_and_raw(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "@Risk Parts", "--alias", "=HYPERLINK", ok=True)
    srm("contact", "add", "@risk", "Tab Person", "--role", "sales", "--phone", "-22", ok=True)
    for note in ("=1+1", "+33 1 23", "-minus", "@SUM(A1)", "\tindented", "\rreturn",
                 "'=quoted already", "plain"):  # fmt: skip
        srm("log", "@risk", "--", note, ok=True)
    srm("log", "@risk", "negative tone", "--tone", "-2", "--date", "yesterday", ok=True)
    guarded = csv_rows(export_file(srm, "interactions", tmp_path / "g.csv"))
    by_note = {r["note"]: r for r in guarded}
    assert set(by_note) == {"'=1+1", "'+33 1 23", "'-minus", "'@SUM(A1)", "'\tindented",
                            "'\rreturn", "''=quoted already", "plain", "negative tone"}  # fmt: skip
    assert by_note["negative tone"]["tone"] == "-2"  # a number, not guarded
    assert by_note["plain"]["supplier"] == "'@Risk Parts"
    supplier = csv_rows(export_file(srm, "suppliers", tmp_path / "s.csv"))[0]
    assert (supplier["name"], supplier["aliases"]) == ("'@Risk Parts", "'=HYPERLINK")
    assert csv_rows(export_file(srm, "contacts", tmp_path / "c.csv"))[0]["phone"] == "'-22"

    raw = csv_rows(export_file(srm, "interactions", tmp_path / "r.csv", "--raw"))
    assert {r["note"] for r in raw} == {"=1+1", "+33 1 23", "-minus", "@SUM(A1)", "\tindented",
                                        "\rreturn", "'=quoted already", "plain", "negative tone"}  # fmt: skip
    assert raw[0]["supplier"] == "@Risk Parts"


def test_export_streams_with_a_fixed_number_of_queries(srm, tmp_path: Path) -> None:
    """Contacts and tactics come in the same query: no query per interaction."""
    from sqlalchemy import event

    from srmcli import db
    from srmcli.services.interchange import export_rows

    seed(srm)
    rows = ["supplier,occurred_at,contacts,tactics,note"] + [
        f"NW,2026-10-{1 + n % 28:02d}T{n % 24:02d}:00:00,Alice Moreau;Bob Chen,bundling,n{n}"
        for n in range(300)
    ]
    (tmp_path / "many.csv").write_text("\n".join(rows) + "\n")
    srm("import", "interactions", str(tmp_path / "many.csv"), ok=True)

    statements: list[str] = []
    engine = db.engine()
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with db.session() as s:
        stream = export_rows(session=s, kind="interactions", supplier="NW")
        assert not isinstance(stream, list)  # a lazy stream, not a loaded list
        exported = list(stream)
    db.dispose()
    assert len(exported) == 301
    assert all(r["contacts"] == ["Alice Moreau", "Bob Chen"] for r in exported)
    assert sum(1 for r in exported if r["tactics"] == ["bundling"]) == 300
    interaction_selects = [s for s in statements if "FROM interaction" in s]
    assert len(interaction_selects) == 1


def test_export_memory_does_not_grow_with_the_journal(srm, tmp_path: Path, monkeypatch) -> None:
    """Ten times the rows, about the same peak: rows are written as they are fetched."""
    import tracemalloc
    from datetime import date, timedelta

    from srmcli import db
    from srmcli.services import interchange

    monkeypatch.setattr(interchange, "EXPORT_PARTITION", 100)
    seed(srm)
    start = date(2026, 6, 1)
    lines = ["supplier,occurred_at,contacts,tactics,note"] + [
        f"NW,{start + timedelta(days=n % 40)}T{n // 40 % 24:02d}:{n // 960:02d}:00,"
        f"Alice Moreau,bundling,{'long note ' * 20}{n}"
        for n in range(4000)
    ]
    (tmp_path / "many.csv").write_text("\n".join(lines) + "\n")
    srm("import", "interactions", str(tmp_path / "many.csv"), ok=True)

    class Sink(io.StringIO):
        def write(self, text: str) -> int:  # keep nothing: only the export's own memory
            return len(text)

    def peak(fmt: str, **filters) -> tuple[int, int]:
        with db.session() as s:
            tracemalloc.start()
            written = interchange.export(
                session=s, kind="interactions", out=Sink(), fmt=fmt, **filters
            )
            top = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        db.dispose()
        return written, top

    for fmt in ("csv", "jsonl"):
        few, few_peak = peak(fmt, date_from=start, date_to=start + timedelta(days=3))
        every, every_peak = peak(fmt)
        assert (few, every) == (400, 4003)
        assert every_peak < 1.5 * few_peak, (fmt, few_peak, every_peak)


def test_a_large_export_comes_in_date_order(srm, tmp_path: Path) -> None:
    """Thousands of rows logged out of date order: more than SQLite sorts in memory during
    an export, so its sort spills into runs (merged with a helper thread on SQLite), and
    still every row comes once, by date and then id, and the connection's settings are
    as they were."""
    from srmcli import db
    from srmcli.services import interchange

    seed(srm)
    lines = ["supplier,occurred_at,note"] + [
        f"NW,2025-{1 + n * 7 % 12:02d}-{1 + n * 13 % 28:02d}T{n * 5 % 24:02d}:00:00,"
        f"{'a note long enough to fill the sorter ' * 4}{n}"
        for n in range(5000)
    ]
    (tmp_path / "shuffled.csv").write_text("\n".join(lines) + "\n")
    srm("import", "interactions", str(tmp_path / "shuffled.csv"), ok=True)
    rows = csv_rows(srm("export", "interactions", ok=True).stdout)
    keys = [(r["occurred_at"], int(r["id"])) for r in rows]
    assert len(keys) == len(set(keys)) == 5003  # with the three of `seed`
    assert keys == sorted(keys)
    with db.session() as s:
        conn = s.connection()
        if conn.dialect.name == "sqlite":  # the export's pragmas are put back after it

            def settings() -> list[object]:
                return [
                    conn.exec_driver_sql(f"PRAGMA {n}").scalar() for n in ("cache_size", "threads")
                ]

            before = settings()
            interchange.export(session=s, kind="interactions", out=io.StringIO())
            assert settings() == before
    db.dispose()


# -- import ---------------------------------------------------------------------------


def test_round_trip_into_an_empty_journal(srm, tmp_path: Path) -> None:
    seed(srm)
    srm("issue", "escalate", "1", "--to", "alice", "--note", "to the account manager", ok=True)
    srm("followup", "done", "1", ok=True)
    other = ("--db", str(tmp_path / "other.db"))
    for kind in KINDS:
        path = tmp_path / f"{kind}.csv"
        first = export_file(srm, kind, path)
        r = srm(*other, "import", kind, str(path))
        assert r.exit_code == 0, r
        assert r.stderr.startswith(f"{kind}: added {len(csv_rows(first))}, skipped 0"), r.stderr
        moved = export_file(srm, kind, tmp_path / f"moved-{kind}.csv", db=other)
        assert without(csv_rows(moved), "id", "interaction_id") == without(
            csv_rows(first), "id", "interaction_id"
        ), kind
        if kind in ("issues", "followups"):
            # the id was Northwind's interaction in the first journal and is Acme's here;
            # the link went by interaction_at, so it points at Northwind's meeting again
            nw_meeting = srm(*other, "export", "interactions", "--supplier", "NW", "-f", "json",
                             ok=True).json()[0]  # fmt: skip
            assert [row["interaction_id"] for row in csv_rows(moved)] == [str(nw_meeting["id"])]
            assert csv_rows(first)[0]["interaction_id"] != str(nw_meeting["id"])
        assert export_file(srm, kind, path) == first  # exporting changed nothing


def test_importing_twice_adds_nothing(srm, tmp_path: Path) -> None:
    seed(srm)
    files = {k: tmp_path / f"{k}.json" for k in KINDS}
    for kind in KINDS:
        srm("export", kind, "-f", "json", "-o", str(files[kind]), ok=True)
    before = snapshot(srm)
    for kind in KINDS:
        r = srm("import", kind, str(files[kind]))
        assert r.exit_code == 0, r
        assert r.stderr.startswith(f"{kind}: added 0, skipped {len(before[kind])} "), r.stderr
    assert snapshot(srm) == before


def test_duplicates_inside_one_file_are_skipped(srm, tmp_path: Path) -> None:
    seed(srm)
    path = tmp_path / "dupes.csv"
    path.write_text(
        "supplier,owner,text,due\n"
        "acme,us,Send drawings,2026-12-01\n"
        "Acme Fasteners,,Send drawings,2026-12-01\n"  # blank owner is us: the same record
        "acme,them,Send drawings,2026-12-01\n"
    )
    r = srm("import", "followups", str(path))
    assert r.exit_code == 0 and r.stderr.startswith("followups: added 2, skipped 1 ")
    rows = srm("export", "followups", "--supplier", "acme", "-f", "json").json()
    assert sorted(f["owner"] for f in rows) == ["them", "us"]


@pytest.mark.parametrize(
    "kind, header, rows",
    [
        ("suppliers", "name", ["Globex", "Initech", "Umbrella", "Hooli", "GLOBEX"]),
        (
            "contacts",
            "supplier,name,role",
            [
                "Acme,Carla,sales",
                "Acme,Dan,sales",
                "Acme,Eve,sales",
                "Acme,carla,sales",
                "NW,Carla,sales",
            ],
        ),
        (
            "issues",
            "supplier,kind,opened_at",
            [
                "Acme,quality,2026-11-01",
                "Acme,billing,2026-11-01",
                "Acme,price,2026-11-01",
                "Acme,quality,2026-11-01T00:00:00",
                "NW,quality,2026-11-01",
            ],
        ),
    ],
)
def test_repeats_across_batches_are_skipped(srm, tmp_path, monkeypatch, kind, header, rows) -> None:
    """A repeat that lands in a later batch than its first row is caught too."""
    from srmcli.services import interchange

    monkeypatch.setattr(interchange, "BATCH", 2)
    seed(srm)
    before = {k: len(v) for k, v in snapshot(srm).items()}
    path = tmp_path / "repeats.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    r = srm("import", kind, str(path))
    assert r.exit_code == 0, r
    assert r.stderr.startswith(f"{kind}: added 4, skipped 1 ")
    assert len(srm("export", kind, "-f", "json").json()) == before[kind] + 4


def test_a_bad_row_in_the_middle_writes_nothing(srm, tmp_path: Path) -> None:
    seed(srm)
    before = snapshot(srm)
    path = tmp_path / "notes.csv"
    path.write_text(
        "supplier,occurred_at,contacts,tone,note\r\n"
        'NW,2026-11-01T10:00:00,Alice Moreau,1,"two\r\nlines"\r\n'  # lines 2-3
        "acme,2026-11-02T10:00:00,,5,too warm\r\n"  # line 4
        "acme,2026-11-03T10:00:00,,0,fine\r\n",
        newline="",
    )
    r = srm("import", "interactions", str(path))
    assert r.exit_code == 1 and r.stdout == ""
    assert (
        r.stderr
        == "Error: line 4: tone: tone '5' is not accepted; give a whole number from -2 to 2\n"
    )
    assert snapshot(srm) == before
    dry = srm("import", "interactions", str(path), "--dry-run")
    assert dry.exit_code == 1 and snapshot(srm) == before


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("interactions", "supplier,occurred_at,note\nacme,2026-11-25T09:00:00,ok\n"
         "acme,2027-06-01T10:00:00,later\n",
         "line 3: occurred_at: the day it happened 2027-06-01 is in the future; "
         "give today (2026-11-25) or an earlier day"),
        ("issues", "supplier,kind,opened_at\nacme,quality,2027-01-10T10:00:00\n",
         "line 2: the opening day 2027-01-10 is in the future"),
        ("issues", "supplier,kind,opened_at,resolved_at\n"
         "acme,quality,2026-11-01T10:00:00,2026-12-24T10:00:00\n",
         "line 2: resolved_at: the resolution day 2026-12-24 is in the future"),
        ("followups", "supplier,owner,text,due,done_at\n"
         "acme,them,Quote,2026-12-01,2027-01-01T10:00:00\n",
         "line 2: done_at: the done day 2027-01-01 is in the future"),
    ],
)  # fmt: skip
def test_import_refuses_what_has_not_happened_yet(
    srm, tmp_path: Path, kind: str, text: str, message: str
) -> None:
    """The same rule as `srm log --date`, `issue open --date` and `followup done`."""
    seed(srm)
    before = snapshot(srm)
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    for extra in ([], ["--dry-run"]):
        r = srm("import", kind, str(path), *extra)
        assert r.exit_code == 1 and r.stderr.startswith(f"Error: {message}"), r.stderr
    assert snapshot(srm) == before


def test_dry_run_counts_and_writes_nothing(srm, tmp_path: Path) -> None:
    seed(srm)
    before = snapshot(srm)
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "name,size,aliases\nNorthwind Metals,,\nGlobex,large,GX;Globex Corp\nInitech,,\n"
    )
    r = srm("import", "suppliers", str(path), "--dry-run")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.startswith("suppliers (dry run, nothing written): added 2, skipped 1 ")
    assert snapshot(srm) == before
    done = srm("import", "suppliers", str(path))
    assert done.stderr.startswith("suppliers: added 2, skipped 1 ")
    globex = srm("supplier", "show", "gx", "-f", "json", ok=True).json()
    assert (globex["name"], globex["size"], globex["aliases"]) == (
        "Globex", "large", ["GX", "Globex Corp"],
    )  # fmt: skip


def test_import_from_stdin_and_by_extension(srm, tmp_path: Path) -> None:
    seed(srm)
    r = srm(
        "import",
        "contacts",
        "-",
        input="supplier,name,role,email\nacme,Carla Diaz,quality,carla@acme.test\n",
    )
    assert r.exit_code == 0 and r.stderr.startswith("contacts: added 1, skipped 0 ")
    carla = srm("contact", "list", "acme", "-f", "json").json()[0]
    assert (carla["name"], carla["role"], carla["email"], carla["active"]) == (
        "Carla Diaz", "quality", "carla@acme.test", True,
    )  # fmt: skip
    jsonl = '{"supplier": "acme", "name": "Dan Roe", "role": "finance", "active": false}\n'
    piped = srm("import", "contacts", "-", "-f", "jsonl", input=jsonl)
    assert piped.exit_code == 0, piped
    (tmp_path / "people.jsonl").write_text(
        '{"supplier": "acme", "name": "Eve Park", "role": "executive"}\n'
    )
    assert srm("import", "contacts", str(tmp_path / "people.jsonl")).exit_code == 0
    names = {c["name"]: c["active"] for c in srm("contact", "list", "acme", "-f", "json").json()}
    assert names == {"Carla Diaz": True, "Dan Roe": False, "Eve Park": True}


@pytest.mark.parametrize(
    "kind, header, row, expected",
    [
        (
            "suppliers",
            "name,size",
            "Globex,huge",
            "line 2: size: unknown size 'huge'; accepted: small",
        ),
        (
            "suppliers",
            "name,cadence_days",
            "Globex,soon",
            "line 2: cadence_days: cadence 'soon' is not accepted; give a whole number of days",
        ),
        (
            "suppliers",
            "name,aliases",
            "Globex,nw",
            "line 2: aliases: 'nw' is already used by supplier 'Northwind Metals'",
        ),
        (
            "suppliers",
            "name,created_at",
            "Globex,yesterday",
            "line 2: created_at: created_at 'yesterday' is not accepted; give a date and time as "
            "YYYY-MM-DDTHH:MM:SS, YYYY-MM-DD or DD.MM.YYYY",
        ),
        (
            "contacts",
            "supplier,name,role",
            "acme,Carla,wizard",
            "line 2: role: unknown role 'wizard'",
        ),
        (
            "contacts",
            "supplier,name,role,email",
            "acme,Carla,sales,carla at acme",
            "line 2: email: email 'carla at acme'",
        ),
        (
            "contacts",
            "supplier,name,role,active",
            "acme,Carla,sales,maybe",
            "line 2: active: 'maybe' is not accepted; use true or false",
        ),
        (
            "contacts",
            "supplier,name,role",
            "Northw,Carla,sales",
            "line 2: supplier: no supplier named exactly 'Northw'",
        ),
        (
            "interactions",
            "supplier,occurred_at,note",
            "Nope,2026-11-01,hi",
            "line 2: supplier: no supplier named exactly 'Nope'",
        ),
        (
            "interactions",
            "supplier,occurred_at,note",
            "acme,,hi",
            "line 2: occurred_at: empty; give when it happened",
        ),
        (
            "interactions",
            "supplier,occurred_at,note",
            "acme,2026-02-30,hi",
            "line 2: occurred_at: occurred_at '2026-02-30' is not a real date",
        ),
        (
            "interactions",
            "supplier,occurred_at,note",
            "acme,2026-11-01,",
            "line 2: note: the note is empty",
        ),
        (
            "interactions",
            "supplier,occurred_at,channel,note",
            "acme,2026-11-01,pigeon,hi",
            "line 2: channel: unknown channel 'pigeon'",
        ),
        (
            "interactions",
            "supplier,occurred_at,tactics,note",
            "acme,2026-11-01,bundling;bribery,hi",
            "line 2: tactics: unknown tactic 'bribery'",
        ),
        (
            "interactions",
            "supplier,occurred_at,duration_min,note",
            "acme,2026-11-01,-5,hi",
            "line 2: duration_min: duration '-5'",
        ),
        (
            "interactions",
            "supplier,occurred_at,contacts,note",
            "NW,2026-11-01,Alice Moreau;Zed,hi",
            "line 2: contacts: no contact named exactly 'Zed' at Northwind Metals",
        ),
        (
            "interactions",
            "supplier,occurred_at,contacts,note",
            "NW,2026-11-01,alice,hi",
            "line 2: contacts: no contact named exactly 'alice'",
        ),
        (
            "issues",
            "supplier,kind,opened_at,severity",
            "acme,quality,2026-11-01,9",
            "line 2: severity: severity '9' is not accepted",
        ),
        (
            "issues",
            "supplier,kind,opened_at",
            "acme,delays,2026-11-01",
            "line 2: kind: unknown issue kind 'delays'",
        ),
        (
            "issues",
            "supplier,kind,opened_at,status",
            "acme,quality,2026-11-01,resolved",
            "line 2: status: status resolved needs resolved_at",
        ),
        (
            "issues",
            "supplier,kind,opened_at,resolved_at",
            "acme,quality,2026-11-05,2026-11-01",
            "line 2: resolved_at: resolved 2026-11-01 is before the issue was opened",
        ),
        (
            "issues",
            "supplier,kind,opened_at,escalated_at,escalated_to",
            "NW,quality,2026-11-01,2026-11-02,Zed",
            "line 2: escalated_to: no contact named exactly 'Zed'",
        ),
        (
            "issues",
            "supplier,kind,opened_at,interaction_at",
            "acme,quality,2026-11-01,soon",
            "line 2: interaction_at: interaction_at 'soon' is not accepted",
        ),
        (
            "issues",
            "supplier,kind,opened_at,interaction_at",
            "acme,quality,2026-11-01,2026-11-20T09:15:00",
            "line 2: interaction_at: no interaction of Acme Fasteners at 2026-11-20T09:15:00; "
            "import the interactions first",
        ),
        (
            "followups",
            "supplier,text,due",
            "acme,Call back,friday",
            "line 2: due: due 'friday' is not accepted; give a date as YYYY-MM-DD or DD.MM.YYYY",
        ),
        (
            "followups",
            "supplier,owner,text,due",
            "acme,nobody,Call back,2026-12-01",
            "line 2: owner: unknown owner 'nobody'",
        ),
        (
            "followups",
            "supplier,text,due",
            "acme,  ,2026-12-01",
            "line 2: text: the follow-up text is empty",
        ),
        (
            "followups",
            "supplier,text,due,colour",
            "acme,x,2026-12-01,red",
            "line 1: unknown column 'colour'",
        ),
        ("followups", "supplier,due", "acme,2026-12-01", "line 1: the column 'text' is missing"),
    ],
)
def test_import_errors_name_the_line_and_the_column(
    srm, tmp_path, kind, header, row, expected
) -> None:
    seed(srm)
    before = snapshot(srm)
    path = tmp_path / "bad.csv"
    path.write_text(f"{header}\n{row}\n")
    r = srm("import", kind, str(path))
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith(f"Error: {expected}"), r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert snapshot(srm) == before


def test_json_errors_name_the_record(srm, tmp_path: Path) -> None:
    seed(srm)
    path = tmp_path / "issues.json"
    path.write_text(json.dumps([
        {"supplier": "acme", "kind": "quality", "opened_at": "2026-11-01"},
        {"supplier": "acme", "kind": "quality", "opened_at": "2026-11-02", "severity": 7},
    ]))  # fmt: skip
    r = srm("import", "issues", str(path))
    assert r.exit_code == 1 and r.stderr.startswith("Error: record 2: severity: ")
    path.write_text('{"supplier": "acme"}')
    assert "an array of issues records" in srm("import", "issues", str(path)).stderr
    path.write_text("[{]")
    assert srm("import", "issues", str(path)).stderr.startswith("Error: line 1: not valid JSON")
    assert len(srm("export", "issues", "-f", "json").json()) == 1


def test_unreadable_input_is_a_clean_error(srm, tmp_path: Path) -> None:
    seed(srm)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("name\nCaf\xe9 Ltd\n".encode("latin-1"))
    r = srm("import", "suppliers", str(latin))
    assert r.exit_code == 1 and "not UTF-8" in r.stderr
    quote = tmp_path / "quote.csv"
    quote.write_text('name\nfine\n"never closed\n')
    r = srm("import", "suppliers", str(quote))
    assert r.exit_code == 1 and r.stderr.startswith("Error: line 3: cannot read this CSV row")
    wide = tmp_path / "wide.csv"
    wide.write_text("name,size\nGlobex,large,extra\n")
    r = srm("import", "suppliers", str(wide))
    assert r.stderr.startswith("Error: line 2: the row has 3 cells but the header has 2 columns")
    r = srm("import", "suppliers", str(tmp_path / "missing.csv"))
    assert r.exit_code == 1 and "cannot read" in r.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    r = srm("import", "suppliers", str(empty))
    assert r.exit_code == 1 and "header row" in r.stderr
    bom = tmp_path / "excel.csv"
    bom.write_bytes("\ufeffname,category\nCafé Ltd,food\n".encode())
    assert srm("import", "suppliers", str(bom)).exit_code == 0
    assert srm("supplier", "show", "café ltd", "-f", "json").json()["category"] == "food"


def test_import_names_suppliers_and_contacts_exactly(srm, tmp_path: Path) -> None:
    """Alias and any case are fine; a prefix is not (a file must mean the same tomorrow)."""
    seed(srm)
    path = tmp_path / "i.csv"
    path.write_text(
        "supplier,occurred_at,contacts,note\n"
        "nw,2026-11-01T08:00:00,ALICE MOREAU;bob chen,by alias\n"
        "northwind metals,2026-11-02T08:00:00,,by name\n"
    )
    assert srm("import", "interactions", str(path)).exit_code == 0
    rows = srm("export", "interactions", "--to", "2026-11-02", "-f", "json").json()
    assert [(r["supplier"], r["contacts"]) for r in rows] == [
        ("Northwind Metals", ["Alice Moreau", "Bob Chen"]),
        ("Northwind Metals", []),
    ]


def test_a_contact_name_holding_a_semicolon_is_refused_on_every_path(srm) -> None:
    """`;` separates the people of an interaction's `contacts` column (SPEC §13)."""
    seed(srm)
    added = srm("contact", "add", "acme", "Lee; Jr", "--role", "sales")
    assert added.exit_code == 1
    assert added.stderr == (
        "Error: a contact name cannot contain ';' (it separates the people of an "
        "interaction in CSV)\n"
    )
    srm("contact", "add", "acme", "Lee", "--role", "quality", ok=True)
    renamed = srm("contact", "edit", "acme", "Lee", "--name", "Lee;Jr")
    assert renamed.exit_code == 1 and "cannot contain ';'" in renamed.stderr
    imported = srm(
        "import", "contacts", "-", input="supplier,name,role\nAcme Fasteners,Kim,sales\n"
        "Acme Fasteners,Lee; Jr,sales\n",
    )  # fmt: skip
    assert imported.exit_code == 1
    assert imported.stderr.startswith("Error: line 3: name: a contact name cannot contain ';'")
    names = [c["name"] for c in srm("contact", "list", "acme", "-f", "json", ok=True).json()]
    assert "Kim" not in names and "Lee" in names  # all or nothing


def test_links_go_by_interaction_at_and_ignore_the_files_ids(srm, tmp_path: Path) -> None:
    seed(srm)
    acme_id = srm("export", "interactions", "--supplier", "acme", "-f", "json").json()[0]["id"]
    path = tmp_path / "issues.csv"
    path.write_text(
        "supplier,kind,opened_at,description,interaction_id,interaction_at\n"
        f"NW,quality,2026-11-20T09:15:00,by the moment,{acme_id},2026-11-20T09:15:00\n"
        "NW,quality,2026-11-20T09:16:00,an id alone links nothing,1,\n"
        "NW,quality,2026-11-20T09:17:00,to the minute,abc,2026-11-20 09:15\n"
    )
    r = srm("import", "issues", str(path))
    assert r.exit_code == 0, r
    assert r.stderr.startswith("issues: added 3, skipped 0 ")
    issues = srm("issue", "list", "--status", "all", "-f", "json").json()
    nw_meeting = srm("export", "interactions", "--supplier", "nw", "-f", "json").json()[0]
    links = {i["description"]: (i["interaction_id"], i["interaction_at"]) for i in issues}
    assert links["by the moment"] == (nw_meeting["id"], "2026-11-20T09:15:00")
    assert links["to the minute"] == (nw_meeting["id"], "2026-11-20T09:15:00")
    assert links["an id alone links nothing"] == (None, None)


def test_a_moment_matching_several_interactions_is_refused(srm, tmp_path: Path) -> None:
    seed(srm)
    srm("log", "acme", "Second call", "--date", "2026-11-21", "--again", ok=True)
    before = srm("export", "followups", "-f", "json", ok=True).json()
    r = srm(
        "import", "followups", "-",
        input="supplier,text,due,interaction_at\nacme,Send drawings,2026-12-01,2026-11-21\n",
    )  # fmt: skip
    assert r.exit_code == 1
    assert r.stderr.startswith(
        "Error: line 2: interaction_at: Acme Fasteners has several interactions at "
        "2026-11-21T00:00:00"
    ), r.stderr
    assert srm("export", "followups", "-f", "json", ok=True).json() == before


@pytest.mark.parametrize(
    "strategy", [pytest.param("assigned", marks=pytest.mark.sqlite_only), "returning", "one-by-one"]
)
def test_batches_keep_links_with_the_right_interaction(
    srm, tmp_path: Path, monkeypatch, strategy
) -> None:
    """Rows past the first batch still get their own contacts and tactics, however the
    batch learns its new ids: assigned up front (SQLite), RETURNING, or one row at a time."""
    from srmcli.services import interchange

    monkeypatch.setattr(interchange, "BATCH", 7)
    monkeypatch.setattr(interchange, "_id_strategy", lambda conn: strategy)
    seed(srm)
    lines = ["supplier,occurred_at,contacts,tactics,tone,note"]
    for n in range(40):
        people = ["Alice Moreau", "Bob Chen", ""][n % 3]
        tactic = ["bundling", "", "snooping;bypass"][n % 3]
        lines.append(
            f"NW,2026-09-01T{n // 60:02d}:{n % 60:02d}:00,{people},{tactic},{n % 5 - 2},n{n}"
        )
    lines.append(lines[5])  # a repeat inside the file
    (tmp_path / "batch.csv").write_text("\n".join(lines) + "\n")
    r = srm("import", "interactions", str(tmp_path / "batch.csv"))
    assert r.stderr.startswith("interactions: added 40, skipped 1 ")
    rows = srm("export", "interactions", "--to", "2026-09-30", "-f", "json").json()
    assert len(rows) == 40
    for row in rows:
        n = int(row["note"][1:])
        assert row["contacts"] == [["Alice Moreau"], ["Bob Chen"], []][n % 3]
        assert row["tactics"] == [["bundling"], [], ["bypass", "snooping"]][n % 3]
        assert row["tone"] == n % 5 - 2
    found = srm("search", "n39", "-f", "json").json()  # the search index was filled too
    assert [f["note"] for f in found] == ["n39"]


def test_progress_bar_path_imports_the_same(srm, tmp_path: Path, monkeypatch) -> None:
    from srmcli.cli import interchange as cli_interchange

    monkeypatch.setattr(cli_interchange, "_show_progress", lambda source: True)
    seed(srm)
    (tmp_path / "f.csv").write_text("supplier,text,due\nacme,Ring back,2026-12-02\n")
    r = srm("import", "followups", str(tmp_path / "f.csv"))
    assert r.exit_code == 0 and r.stderr.strip().endswith(
        "followups: added 1, skipped 0 (already in the journal, or repeated in the file)."
    )


def test_log_and_import_share_the_rules(srm, tmp_path: Path) -> None:
    seed(srm)
    logged = srm("log", "acme", "hello", "--tone", "3")
    (tmp_path / "i.csv").write_text("supplier,occurred_at,tone,note\nacme,2026-11-01,3,hello\n")
    imported = srm("import", "interactions", str(tmp_path / "i.csv"))
    # the option is named `--tone`, the column `tone`: the rest is word for word the same
    assert logged.stderr.removeprefix("Error: --") == imported.stderr.removeprefix(
        "Error: line 2: tone: "
    )


# -- the round trip, for any text -------------------------------------------------------

_tricky = st.sampled_from(["", "=", "+", "-", "@", "\t", "\r", "'", "'=", "''-", '"', ",", "\r\n"])
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=40,
)
_notes = st.builds(lambda a, b, c: a + b + c, _tricky, _text, _tricky).filter(
    lambda n: n.strip("\n").strip() != ""
)
# names are one line without control characters (SPEC §13); notes may hold any
_name_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=40,
)
_names = (
    st.builds(lambda a, b: a + b, st.sampled_from(["=", "-", "@", "+", "'=", ""]), _name_text)
    .map(lambda n: " ".join(n.split())[:60])
    .filter(lambda n: n != "" and ";" not in n)
)


@pytest.fixture(scope="module")
def srm_fast(tmp_path_factory):
    """`srm ARGS…` through a Click command built once: Typer rebuilds it on every
    CliRunner call, which would make 50 examples take most of a minute."""
    import typer

    from srmcli import db
    from srmcli.cli import app

    command = typer.main.get_command(app)

    def run(*args: str) -> None:
        try:
            code = command.main(list(args), prog_name="srm", standalone_mode=False)
        finally:
            db.dispose()
            db.select(None)
        assert code in (None, 0), args

    blank = tmp_path_factory.mktemp("blank") / "blank.db"
    run("--db", str(blank), "supplier", "list", "-f", "json")  # migrated once, copied after
    run.blank = blank  # type: ignore[attr-defined]
    return run


_example = count()


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(note=_notes, name=_names, alias=_names)
def test_any_text_survives_export_import_export(srm_fast, tmp_path, note, name, alias) -> None:
    from srmcli.naming import key

    folder = tmp_path / f"example-{next(_example)}"
    folder.mkdir()
    a, b = ("--db", str(folder / "a.db")), ("--db", str(folder / "b.db"))
    shutil.copy(srm_fast.blank, folder / "a.db")
    shutil.copy(srm_fast.blank, folder / "b.db")
    alias_args = [f"--alias={alias}"] if key(alias) != key(name) else []
    srm_fast(*a, "supplier", "add", *alias_args, f"--note={note}", "--", name)
    srm_fast(*a, "log", "--date", "2026-11-20 10:00", "--", name, note)
    for kind in ("suppliers", "interactions"):
        first, second = folder / f"{kind}-a.csv", folder / f"{kind}-b.csv"
        srm_fast(*a, "export", kind, "-o", str(first))
        srm_fast(*b, "import", kind, str(first))
        srm_fast(*b, "export", kind, "-o", str(second))
        exported = [csv_rows(exact_text(p)) for p in (first, second)]
        assert without(exported[0], "id") == without(exported[1], "id")
        srm_fast(*b, "export", kind, "-f", "json", "-o", str(folder / f"{kind}.json"))
    stored = json.loads(exact_text(folder / "interactions.json"))[0]
    assert stored["note"] == note.strip("\n") and stored["supplier"] == name
    supplier = json.loads(exact_text(folder / "suppliers.json"))[0]
    assert supplier["note"] == note and supplier["aliases"] == ([alias] if alias_args else [])


# -- the lean CSV writer ----------------------------------------------------------------


def _csv_module_export(kind: str) -> str:
    """The export as the csv module writes the records (the reference the lean path
    must match byte for byte)."""
    from srmcli import db, render
    from srmcli.services import interchange

    buffer = io.StringIO(newline="")
    with db.session() as s:
        render.write_csv(
            interchange.export_rows(session=s, kind=kind), buffer, interchange.columns_for(kind)
        )
    db.dispose()
    return buffer.getvalue()


def test_csv_export_is_byte_for_byte_what_the_csv_module_writes(srm, tmp_path: Path) -> None:
    seed(srm)
    srm("contact", "add", "acme", 'Lee "Jr", Esq', "--role", "sales", ok=True)
    srm("issue", "escalate", "1", "--to", "alice", "--note", "=HYPERLINK(x), now", ok=True)
    for note in ('commas, "quotes"', "=1+1, formula", "multi\nline, note", "-5, minus", "plain"):
        srm("log", "acme", "--with", "Lee", "--tag", "t,1", "--date", "2026-11-12", "--", note,
            ok=True)  # fmt: skip
    for kind in KINDS:
        for raw in ((), ("--raw",)):
            exported = export_file(srm, kind, tmp_path / f"{kind}.csv", *raw)
            if not raw:
                assert exported == _csv_module_export(kind), kind
            assert csv_rows(exported)  # and the csv module reads it back
    rows = csv_rows(export_file(srm, "interactions", tmp_path / "i.csv"))
    assert {r["note"] for r in rows} >= {'commas, "quotes"', "'=1+1, formula", "'-5, minus"}
    assert {r["contacts"] for r in rows if r["supplier"] == "Acme Fasteners"} == {
        "",
        'Lee "Jr", Esq',
    }


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_text, min_size=3, max_size=3), min_size=1, max_size=5))
def test_write_cells_quotes_like_the_csv_module(rows) -> None:
    from srmcli.services import interchange

    quoted = [[interchange._csv_quoted(c) for c in row] for row in rows]
    ours = io.StringIO(newline="")
    interchange.write_cells([quoted], ours, ["a", "b", "c"])
    reference = io.StringIO(newline="")
    writer = csv.writer(reference, dialect="excel")
    writer.writerow(["a", "b", "c"])
    writer.writerows(rows)
    assert ours.getvalue() == reference.getvalue()
