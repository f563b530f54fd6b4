"""Service issues: the builder's rules, open → escalate → resolve, listings and the summary.

The clock is fixed at 2026-11-25 10:30 (a Wednesday) by conftest; tests that need an
escalation on another day move SRM_NOW for that one command.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest

ISSUE_KEYS = [
    "id", "supplier", "kind", "severity", "status", "opened_at", "escalated_at",
    "escalated_to", "resolved_at", "description", "resolution", "interaction_id",
    "interaction_at",
]  # fmt: skip


def seed(srm) -> None:
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)
    srm("supplier", "add", "Acme Fasteners", ok=True)
    srm("contact", "add", "NW", "Alice Moreau", "--role", "customer-service", ok=True)
    srm("contact", "add", "NW", "Bob Chen", "--role", "operations", ok=True)
    srm("contact", "add", "NW", "Dana Wu", "--role", "executive", ok=True)
    srm("contact", "add", "Acme", "Alan Smith", "--role", "sales", ok=True)


def all_issues(srm) -> list[dict]:
    return srm("issue", "list", "--status", "all", "-f", "json", ok=True).json()


def one_error_line(r) -> str:
    assert r.exit_code == 1, r
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    return lines[0]


# -- the builder: the rules every path (open, log, import, status) shares ---------------


@pytest.fixture
def northwind():
    from srmcli.models import Contact, Supplier

    supplier = Supplier(id=1, name="Northwind Metals", name_key="northwind metals",
                        created_at=datetime(2026, 1, 1))  # fmt: skip
    dana = Contact(id=7, supplier_id=1, name="Dana Wu", name_key="dana wu", role="executive")
    stranger = Contact(id=8, supplier_id=2, name="Alan Smith", name_key="alan smith", role="sales")
    return supplier, dana, stranger


def test_build_issue_derives_status_from_dates(northwind) -> None:
    from srmcli.services.issues import build_issue

    supplier, dana, _ = northwind
    opened = datetime(2026, 11, 2, 15, 0)
    plain = build_issue(supplier=supplier, kind="Late-Delivery", opened_at=opened)
    assert (plain.kind, plain.severity, plain.status) == ("late-delivery", 3, "open")
    escalated = build_issue(supplier=supplier, kind="quality", severity="1", opened_at=opened,
                            escalated_at=datetime(2026, 11, 3), escalated_to=dana)  # fmt: skip
    assert (escalated.status, escalated.severity, escalated.escalated_to_id) == ("escalated", 1, 7)
    resolved = build_issue(supplier=supplier, kind="billing", opened_at=opened, severity="",
                           escalated_at=datetime(2026, 11, 2, 16, 0), status="RESOLVED",
                           resolved_at=datetime(2026, 11, 2, 9, 0), resolution=" refund ")  # fmt: skip
    # resolved earlier in the day than opened and escalated, but on the same calendar day:
    # accepted, because the rules compare calendar days
    assert (resolved.status, resolved.severity, resolved.resolution) == ("resolved", 3, "refund")
    assert resolved.id is None and resolved.supplier_id == 1


@pytest.mark.parametrize(
    "extra, fragment",
    [
        ({"kind": "delays"}, "late-delivery, quality, short-shipment"),
        ({"severity": 7}, "1 (critical), 2, 3 or 4 (minor)"),
        ({"severity": "high"}, "1 (critical)"),
        ({"status": "resolved"}, "status resolved needs resolved_at"),
        ({"status": "escalated"}, "status escalated needs escalated_at"),
        ({"status": "closed"}, "open, escalated, resolved"),
        ({"status": "open", "escalated_at": datetime(2026, 11, 3)}, "status open contradicts escalated_at"),
        ({"status": "escalated", "escalated_at": datetime(2026, 11, 3),
          "resolved_at": datetime(2026, 11, 4)}, "status escalated contradicts resolved_at"),
        ({"escalated_at": datetime(2026, 11, 1)}, "before the issue was opened (2026-11-02)"),
        ({"resolved_at": datetime(2026, 11, 1, 23, 0)}, "give a day on or after 2026-11-02"),
        ({"escalated_at": datetime(2026, 11, 9), "resolved_at": datetime(2026, 11, 5)},
         "before the issue was escalated (2026-11-09)"),
        ({"resolution": "fixed"}, "a resolution goes with resolved_at"),
    ],
)  # fmt: skip
def test_build_issue_refuses_inconsistent_values(northwind, extra, fragment) -> None:
    from srmcli.errors import InvalidValueError
    from srmcli.services.issues import build_issue

    supplier, _, _ = northwind
    values = {"supplier": supplier, "kind": "quality", "opened_at": datetime(2026, 11, 2, 15, 0)}
    with pytest.raises(InvalidValueError) as caught:
        build_issue(**{**values, **extra})
    assert fragment in str(caught.value)


def test_build_issue_escalated_to_must_belong_to_the_supplier(northwind) -> None:
    from srmcli.errors import InvalidValueError
    from srmcli.services.issues import build_issue

    supplier, dana, stranger = northwind
    base = {"supplier": supplier, "kind": "quality", "opened_at": datetime(2026, 11, 2)}
    with pytest.raises(InvalidValueError, match="Alan Smith is not a contact of Northwind Metals"):
        build_issue(**base, escalated_at=datetime(2026, 11, 3), escalated_to=stranger)
    with pytest.raises(InvalidValueError, match="needs escalated_at"):
        build_issue(**base, escalated_to=dana)


# -- open -----------------------------------------------------------------------------


def test_open_defaults_and_record_shape(srm) -> None:
    seed(srm)
    r = srm("issue", "open", "NW", "late-delivery", "Truck late again, PO 4411", "-f", "json")
    assert r.exit_code == 0, r.stderr
    rec = r.json()
    assert list(rec) == ISSUE_KEYS
    assert rec == {
        "id": 1, "supplier": "Northwind Metals", "kind": "late-delivery", "severity": 3,
        "status": "open", "opened_at": "2026-11-25T10:30:00", "escalated_at": None,
        "escalated_to": None, "resolved_at": None, "description": "Truck late again, PO 4411",
        "resolution": None, "interaction_id": None, "interaction_at": None,
    }  # fmt: skip


def test_open_table_message_severity_and_past_leaning_date(srm) -> None:
    seed(srm)
    r = srm("issue", "open", "acme", "QUALITY", "--severity", "1", "--date", "friday")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip() == "Opened issue #1 with Acme Fasteners: quality, severity 1."
    rec = all_issues(srm)[0]
    # "friday" leans to the past for --date: the Friday before Wednesday 2026-11-25
    assert (rec["opened_at"], rec["severity"], rec["description"]) == (
        "2026-11-20T00:00:00", 1, None
    )  # fmt: skip


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["NW", "delays"], "accepted: late-delivery, quality"),
        (
            ["NW", "quality", "--severity", "7"],
            "--severity '7' is not accepted; give 1 (critical), 2, 3 or 4 (minor)",
        ),
        (["NW", "quality", "--severity", "high"], "give 1 (critical)"),
        (["NW", "quality", "--date", "someday"], "accepted: now, today"),
        (["NW", "quality", "--date", "2026-02-30"], "not a real calendar date"),
        (["NW", "quality", "--date", "tomorrow"], "2026-11-26 is in the future"),
        (["Nortwind", "quality"], "Did you mean: Northwind Metals"),
        (["NW", "quality", "-f", "xml"], "accepted: table, json, csv"),
    ],
)
def test_open_bad_values_write_nothing(srm, args, fragment) -> None:
    seed(srm)
    line = one_error_line(srm("issue", "open", *args))
    assert fragment in line
    assert all_issues(srm) == []


# -- escalate and resolve --------------------------------------------------------------


def test_lifecycle_open_escalate_higher_resolve(srm, monkeypatch) -> None:
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "Truck late again", "--severity", "2",
        "--date", "2026-11-20 08:15", ok=True)  # fmt: skip

    monkeypatch.setenv("SRM_NOW", "2026-11-23T09:00:00")
    r = srm("issue", "escalate", "1", "--to", "ali", "--note", "no ship date after two calls",
            "-f", "json")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    first = r.json()
    assert (first["status"], first["escalated_to"], first["escalated_at"]) == (
        "escalated", "Alice Moreau", "2026-11-23T09:00:00"
    )  # fmt: skip
    assert first["description"] == (
        "Truck late again\n2026-11-23 escalated to Alice Moreau: no ship date after two calls"
    )

    # up the ladder to the president: the contact changes, the first escalation date stays
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")
    r = srm("issue", "escalate", "#1", "--to", "wu", "-f", "json")
    second = r.json()
    assert (second["escalated_to"], second["escalated_at"]) == ("Dana Wu", "2026-11-23T09:00:00")
    assert second["description"].splitlines()[-1] == "2026-11-25 escalated to Dana Wu"

    r = srm("issue", "resolve", "1", "--note", "Dana expedited by air", "--date", "today")
    assert r.exit_code == 0 and r.stdout == ""
    assert r.stderr.strip() == ("Resolved issue #1 (Northwind Metals, late-delivery) after 5 days.")
    done = all_issues(srm)[0]
    assert (done["status"], done["resolved_at"], done["resolution"]) == (
        "resolved", "2026-11-25T00:00:00", "Dana expedited by air"
    )  # fmt: skip
    assert (done["escalated_to"], done["escalated_at"]) == ("Dana Wu", "2026-11-23T09:00:00")

    refused = one_error_line(srm("issue", "escalate", "1", "--to", "Bob"))
    assert "#1 was resolved on 2026-11-25 and cannot be escalated" in refused
    assert "srm issue open 'Northwind Metals' late-delivery" in refused
    again = one_error_line(srm("issue", "resolve", "1"))
    assert "issue #1 is already resolved (on 2026-11-25)" in again
    assert all_issues(srm) == [done]


def test_escalate_goes_to_someone_and_each_line_starts_with_its_day(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "billing", "Invoice twice", ok=True)
    before = all_issues(srm)
    refused = srm("issue", "escalate", "1")
    assert refused.exit_code == 1 and refused.stdout == ""
    assert refused.stderr.startswith("Error: an escalation goes to someone: give --to CONTACT")
    assert all_issues(srm) == before
    r = srm("issue", "escalate", "1", "--to", "bob", "-f", "json", ok=True).json()
    assert (r["status"], r["escalated_to"], r["escalated_at"]) == (
        "escalated", "Bob Chen", "2026-11-25T10:30:00"
    )  # fmt: skip
    assert r["description"] == "Invoice twice\n2026-11-25 escalated to Bob Chen"
    kept = srm(
        "issue", "escalate", "1", "--to", "dana", "--note", "still waiting", "-f", "json"
    ).json()
    assert kept["escalated_to"] == "Dana Wu"
    assert kept["escalated_at"] == "2026-11-25T10:30:00"
    assert kept["description"].splitlines()[-1] == "2026-11-25 escalated to Dana Wu: still waiting"


def test_escalate_to_unknown_or_other_suppliers_contact_lists_the_people_there(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "Burrs", ok=True)
    before = all_issues(srm)
    line = one_error_line(srm("issue", "escalate", "1", "--to", "Alan"))
    # Alan Smith works at Acme, not at Northwind: the choice is among Northwind's people
    assert "no contact 'Alan' at Northwind Metals" in line
    assert "Alice Moreau (customer-service), Bob Chen (operations), Dana Wu (executive)" in line
    full_name = one_error_line(srm("issue", "escalate", "1", "--to", "Alan Smith"))
    assert "no contact 'Alan Smith' at Northwind Metals" in full_name
    assert all_issues(srm) == before


def test_resolve_dates_are_checked_by_calendar_day(srm) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "--date", "2026-11-20 16:00", ok=True)
    early = one_error_line(srm("issue", "resolve", "1", "--date", "2026-11-19"))
    assert "resolved 2026-11-19 is before the issue was opened (2026-11-20)" in early
    future = one_error_line(srm("issue", "resolve", "1", "--date", "in 2 days"))
    assert "2026-11-27 is in the future" in future
    assert all_issues(srm)[0]["status"] == "open"
    # the same day is fine even at an earlier hour: dates count as calendar days
    r = srm("issue", "resolve", "1", "--date", "2026-11-20 09:00", "-f", "json").json()
    assert (r["resolved_at"], r["resolution"]) == ("2026-11-20T09:00:00", None)


def test_resolve_before_escalation_day_is_refused(srm, monkeypatch) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "--date", "2026-11-10", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-18T12:00:00")
    srm("issue", "escalate", "1", "--to", "bob", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")
    line = one_error_line(srm("issue", "resolve", "1", "--date", "2026-11-15"))
    assert "before the issue was escalated (2026-11-18)" in line


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["escalate", "12"], "no issue #12"),
        (["resolve", "12"], "no issue #12"),
        (["escalate", "abc"], "issue id 'abc' is not accepted"),
        (["resolve", "0"], "issue id '0' is not accepted"),
        (["resolve", "1", "--date", "someday"], "cannot read the date 'someday'"),
        (["escalate", "1", "--to", ""], "an escalation goes to someone"),
        (["escalate", "1", "--to", "bob", "--date", "tomorrow"], "is in the future"),
        (["list", "--status", "closed"], "accepted: open (every unresolved issue"),
        (["list", "Nobody"], "no supplier named 'Nobody'"),
    ],
)
def test_bad_ids_and_values_are_one_line_errors(srm, args, fragment) -> None:
    seed(srm)
    srm("issue", "open", "NW", "quality", "Burrs", ok=True)
    before = all_issues(srm)
    assert fragment in one_error_line(srm("issue", *args))
    assert all_issues(srm) == before


# -- listing --------------------------------------------------------------------------


def build_mix(srm, monkeypatch) -> None:
    """#1 NW sev 3 open (old), #2 NW sev 1 escalated, #3 Acme sev 3 open (newer),
    #4 NW resolved 11-10, #5 Acme resolved 11-22."""
    seed(srm)
    srm("issue", "open", "NW", "late-delivery", "old and minor", "--date", "2026-11-01", ok=True)
    srm("issue", "open", "NW", "quality", "critical", "--severity", "1", "--date", "2026-11-15",
        ok=True)  # fmt: skip
    srm("issue", "open", "Acme", "billing", "newer", "--date", "2026-11-05", ok=True)
    srm("issue", "open", "NW", "price", "done early", "--date", "2026-11-02", ok=True)
    srm("issue", "open", "Acme", "quality", "done late", "--date", "2026-11-03", ok=True)
    srm("issue", "resolve", "4", "--date", "2026-11-10", ok=True)
    srm("issue", "resolve", "5", "--date", "2026-11-22", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-20T08:00:00")
    srm("issue", "escalate", "2", "--to", "dana", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")


def test_list_filters_and_order(srm, monkeypatch) -> None:
    build_mix(srm, monkeypatch)
    ids = lambda *args: [r["id"] for r in srm("issue", "list", *args, "-f", "json", ok=True).json()]  # noqa: E731
    # default "open" = every unresolved issue, most severe first, then oldest
    assert ids() == [2, 1, 3]
    assert ids("--status", "open") == [2, 1, 3]
    assert ids("--status", "ESCALATED") == [2]
    # resolved: most recently resolved first
    assert ids("--status", "resolved") == [5, 4]
    assert ids("--status", "all") == [2, 1, 3, 5, 4]
    assert ids("nw") == [2, 1]
    assert ids("Acme", "--status", "all") == [3, 5]


def test_list_table_shows_age_and_who_it_was_escalated_to(srm, monkeypatch) -> None:
    build_mix(srm, monkeypatch)
    srm("issue", "escalate", "1", "--to", "Bob Chen", "--note", "second line of the trail", ok=True)
    r = srm("issue", "list")
    assert r.exit_code == 0 and r.stderr == ""
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = lines[0].split()
    assert header == ["#", "supplier", "kind", "sev", "status", "opened", "days", "by", "what"]
    at = next(n for n, line in enumerate(lines) if line.startswith("2 "))
    # opened 2026-11-15, today 2026-11-25: 10 days; the status cell names who it went to
    assert "quality" in lines[at] and "2026-11-15" in lines[at] and " 10 " in lines[at]
    assert " kim " in lines[at]  # who opened it: the login name, as no author is configured
    assert "escalated" in lines[at] and "to Dana Wu" in lines[at + 1]
    # the whole description is shown, the escalation trail too: a table drops no word
    assert all(word in r.stdout.split() for word in ("second", "trail")) and "…" not in r.stdout
    resolved = srm("issue", "list", "--status", "resolved").stdout
    # #5 opened 11-03, resolved 11-22: 19 days to resolve
    row5 = next(line for line in resolved.splitlines() if line.startswith("5 "))
    assert "resolved" in row5 and " 19 " in row5
    empty = srm("issue", "list", "acme", "--status", "escalated")
    assert empty.exit_code == 0 and "No issues match" in empty.stdout


def test_list_csv_columns_are_the_issue_record(srm, monkeypatch) -> None:
    build_mix(srm, monkeypatch)
    out = srm("issue", "list", "--status", "escalated", "-f", "csv", ok=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ISSUE_KEYS
    assert rows[1] == ["2", "Northwind Metals", "quality", "1", "escalated",
                       "2026-11-15T00:00:00", "2026-11-20T08:00:00", "Dana Wu", "",
                       "critical\n2026-11-20 escalated to Dana Wu", "", "", ""]  # fmt: skip


def test_write_with_csv_prints_the_record(srm) -> None:
    seed(srm)
    out = srm("issue", "open", "NW", "price", "=HYPERLINK()", "-f", "csv", ok=True).stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ISSUE_KEYS and len(rows) == 2
    assert rows[1][:5] == ["1", "Northwind Metals", "price", "3", "open"]
    assert rows[1][9] == "'=HYPERLINK()"


# -- summary --------------------------------------------------------------------------


def build_summary_journal(srm, monkeypatch) -> None:
    """Northwind late-delivery:
      A opened 10-20, resolved 11-05 (16 days)
      B opened 11-02 15:00, escalated 11-10, resolved 11-20 09:00 (18 calendar days)
      C opened 11-12, escalated 11-16, still open
      H opened 11-03, resolved 11-04 (1 day)
    Northwind quality: D opened 11-24, open
    Acme billing: E opened 09-01, resolved 09-10 (9 days); F opened 11-01, open
    """
    seed(srm)
    opened = [
        ("NW", "late-delivery", "A", "2026-10-20"),
        ("NW", "late-delivery", "B", "2026-11-02 15:00"),
        ("NW", "late-delivery", "C", "2026-11-12"),
        ("NW", "late-delivery", "H", "2026-11-03"),
        ("NW", "quality", "D", "2026-11-24"),
        ("Acme", "billing", "E", "2026-09-01"),
        ("Acme", "billing", "F", "2026-11-01"),
    ]
    for supplier, kind, text, day in opened:
        srm("issue", "open", supplier, kind, text, "--date", day, ok=True)
    srm("issue", "resolve", "1", "--date", "2026-11-05", ok=True)
    srm("issue", "resolve", "4", "--date", "2026-11-04", ok=True)
    srm("issue", "resolve", "6", "--date", "2026-09-10", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-10T11:00:00")
    srm("issue", "escalate", "2", "--to", "Bob", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-16T11:00:00")
    srm("issue", "escalate", "3", "--to", "Dana", ok=True)
    monkeypatch.setenv("SRM_NOW", "2026-11-25T10:30:00")
    srm("issue", "resolve", "2", "--date", "2026-11-20 09:00", ok=True)


def row(supplier, kind, opened, open_, escalated, resolved, mean, oldest) -> dict:
    return {"supplier": supplier, "kind": kind, "opened": opened, "open": open_,
            "escalated": escalated, "resolved": resolved, "mean_days_to_resolve": mean,
            "oldest_open_days": oldest}  # fmt: skip


def test_summary_whole_history_to_today(srm, monkeypatch) -> None:
    build_summary_journal(srm, monkeypatch)
    r = srm("issue", "summary", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert r.json() == [
        # A, B, H resolved: (16 + 18 + 1) / 3 = 11.67 -> 11.7; C open since 11-12: 13 days
        row("Acme Fasteners", "billing", 2, 1, 0, 1, 9.0, 24),
        row("Northwind Metals", "late-delivery", 4, 1, 1, 3, 11.7, 13),
        row("Northwind Metals", "quality", 1, 1, 0, 0, None, 1),
    ]


def test_summary_period_counts_inside_and_state_at_the_end(srm, monkeypatch) -> None:
    build_summary_journal(srm, monkeypatch)
    r = srm("issue", "summary", "--from", "2026-11-01", "--to", "2026-11-15", "-f", "json")
    assert r.json() == [
        # F opened on the first day of the period (inclusive); E resolved before it
        row("Acme Fasteners", "billing", 1, 1, 0, 0, None, 14),
        # opened B, C, H; resolved A (16) and H (1): 8.5; at 11-15 B and C are open,
        # B escalated on 11-10, C only on 11-16; oldest open is B from 11-02: 13 days
        row("Northwind Metals", "late-delivery", 3, 2, 1, 2, 8.5, 13),
        # D (opened 11-24) is outside the period: no quality row
    ]


def test_summary_single_day_edge(srm, monkeypatch) -> None:
    build_summary_journal(srm, monkeypatch)
    r = srm("issue", "summary", "--from", "2026-11-20", "--to", "2026-11-20", "-f", "json")
    assert r.json() == [
        row("Acme Fasteners", "billing", 0, 1, 0, 0, None, 19),
        # B resolved at 09:00 on the last day counts as resolved and no longer open
        row("Northwind Metals", "late-delivery", 0, 1, 1, 1, 18.0, 8),
    ]


def test_summary_mean_rounds_halves_up(srm) -> None:
    seed(srm)
    # spans 1, 2, 3, 3 days: 9 / 4 = 2.25 -> 2.3 (not banker's 2.2)
    for n, (opened, resolved) in enumerate(
        [("2026-11-01", "2026-11-02"), ("2026-11-01", "2026-11-03"),
         ("2026-11-01", "2026-11-04"), ("2026-11-02", "2026-11-05")], start=1
    ):  # fmt: skip
        srm("issue", "open", "Acme", "price", f"p{n}", "--date", opened, ok=True)
        srm("issue", "resolve", str(n), "--date", resolved, ok=True)
    rows = srm("issue", "summary", "-f", "json").json()
    assert rows == [row("Acme Fasteners", "price", 4, 0, 0, 4, 2.3, None)]


def test_summary_table_csv_and_errors(srm, monkeypatch) -> None:
    build_summary_journal(srm, monkeypatch)
    table = srm("issue", "summary", "--from", "2026-11-01", "--to", "2026-11-15")
    assert table.exit_code == 0 and table.stderr == ""
    assert table.stdout.splitlines()[0].rstrip() == "Issues, 2026-11-01 to 2026-11-15"
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    out = srm("issue", "summary", "-f", "csv", ok=True).stdout
    parsed = list(csv.reader(io.StringIO(out)))
    assert parsed[0] == ["supplier", "kind", "opened", "open", "escalated", "resolved",
                         "mean_days_to_resolve", "oldest_open_days"]  # fmt: skip
    assert parsed[3] == ["Northwind Metals", "quality", "1", "1", "0", "0", "", "1"]
    bad = one_error_line(srm("issue", "summary", "--from", "2026-11-20", "--to", "2026-11-01"))
    assert "--from 2026-11-20 is after --to 2026-11-01" in bad
    assert "cannot read the date" in one_error_line(srm("issue", "summary", "--to", "soon"))
    later = srm("issue", "summary", "--from", "2027-01-01", "--to", "2027-01-31", "-f", "json")
    # nothing happens in January 2027, but three issues are still open at its end
    assert later.json() == [row("Acme Fasteners", "billing", 0, 1, 0, 0, None, 91),
                            row("Northwind Metals", "late-delivery", 0, 1, 1, 0, None, 80),
                            row("Northwind Metals", "quality", 0, 1, 0, 0, None, 68)]  # fmt: skip


def test_summary_of_an_empty_journal(srm) -> None:
    assert srm("issue", "summary", "-f", "json", ok=True).json() == []
    assert "No issues in this period." in srm("issue", "summary", ok=True).stdout
