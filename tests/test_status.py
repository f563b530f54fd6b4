"""Weekly status reports: import, reconcile (slipped / late / arrived late), on-time delivery.

The clock is fixed at 2026-11-25 (conftest); the first report is dated a week earlier.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

HEADER = "po,line,item,qty_ordered,qty_received,promised_date,received_date\n"

# A week ago: line 4411/2 is 3 days late (promised 11-15, 200 of 500 in on 11-14).
REPORT_1 = HEADER + (
    "4411,1,M8 hex bolts,1000,1000,2026-11-10,2026-11-09\n"
    "4411,2,M8 washers,500,200,2026-11-15,2026-11-14\n"
    "4420,1,Anchor bolts,300,0,2026-11-22,\n"
)
# Today: 4411/2 completed on 11-21 (6 days after its promise), 4420/1 slipped from 11-22
# to 11-29 (+7), 4425/1 is 2 days late (50 of 200), 4430/1 over-delivered on its day.
REPORT_2 = HEADER + (
    "4411,2,M8 washers,500,500,2026-11-15,2026-11-21\n"
    "4420,1,Anchor bolts,300,0,2026-11-29,\n"
    "4425,1,Threaded rod M10,200,50,2026-11-23,2026-11-20\n"
    "4430,1,Hinges,100,120,2026-11-24,2026-11-24\n"
)


@pytest.fixture
def northwind(srm) -> None:
    srm("supplier", "add", "Northwind Metals", "--alias", "NW", ok=True)


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def two_reports(srm, tmp_path: Path) -> None:
    srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1), "--date", "2026-11-18",
        ok=True)  # fmt: skip
    srm("status", "import", "north", write(tmp_path, "r2.csv", REPORT_2), ok=True)


def line(po, ln, item, ordered, received, promised, received_on):
    return {
        "po": po,
        "line": ln,
        "item": item,
        "qty_ordered": ordered,
        "qty_received": received,
        "promised_date": promised,
        "received_date": received_on,
    }


def test_two_reports_a_week_apart_reconcile(srm, northwind, tmp_path) -> None:
    two_reports(srm, tmp_path)
    shown = srm("status", "show", "northwind", "-f", "json", ok=True).json()
    assert list(shown) == [
        "supplier", "report_date", "on_time_delivery", "on_time_delivery_first_promise",
        "lines", "slipped", "late", "received_late", "previous_report_date",
    ]  # fmt: skip
    assert shown["supplier"] == "Northwind Metals"
    assert shown["report_date"] == "2026-11-25"
    assert shown["previous_report_date"] == "2026-11-18"
    assert shown["lines"] == [
        line("4411", "2", "M8 washers", 500, 500, "2026-11-15", "2026-11-21"),
        line("4420", "1", "Anchor bolts", 300, 0, "2026-11-29", None),
        line("4425", "1", "Threaded rod M10", 200, 50, "2026-11-23", "2026-11-20"),
        line("4430", "1", "Hinges", 100, 120, "2026-11-24", "2026-11-24"),
    ]
    assert shown["slipped"] == [
        {
            **line("4420", "1", "Anchor bolts", 300, 0, "2026-11-29", None),
            "previous_promised_date": "2026-11-22",
            "days_slipped": 7,
        }
    ]
    # 4411/2 is fully received and 4430/1 over-delivered: neither is late any more
    assert shown["late"] == [
        {
            **line("4425", "1", "Threaded rod M10", 200, 50, "2026-11-23", "2026-11-20"),
            "days_late": 2,
        }  # fmt: skip
    ]
    assert shown["received_late"] == [
        {
            **line("4411", "2", "M8 washers", 500, 500, "2026-11-15", "2026-11-21"),
            "days_late": 6,
        }  # fmt: skip
    ]
    # On-time delivery as of 2026-11-25, each line in its latest state:
    #   4411/1 (only in the first report) 1000 due, 1000 by its promise
    #   4411/2 500 due, completed 11-21 after the 11-15 promise, but the
    #          first report had 200 in on 11-14: those were in time  -> 200
    #   4420/1 promised 11-29, not due yet                           -> not counted
    #   4425/1 200 due, 50 received 11-20 before the 11-23 promise   -> 50
    #   4430/1 100 due, 120 received on the day, capped at ordered   -> 100
    #   (1000 + 200 + 50 + 100) / (1000 + 500 + 200 + 100) = 1350 / 1800 = 0.75
    assert shown["on_time_delivery"] == 0.75
    # Against the first promise, 4420/1 was due on 11-22 (300, none in):
    #   1350 / (1800 + 300) = 0.642857…
    assert shown["on_time_delivery_first_promise"] == 0.6429


def test_show_as_of_an_earlier_day_reconciles_that_report(srm, northwind, tmp_path) -> None:
    two_reports(srm, tmp_path)
    first = srm("status", "show", "NW", "--date", "2026-11-20", "-f", "json", ok=True).json()
    assert first["report_date"] == "2026-11-18" and first["previous_report_date"] is None
    assert first["slipped"] == [] and first["received_late"] == []
    assert [(e["po"], e["line"], e["days_late"]) for e in first["late"]] == [("4411", "2", 3)]
    # As of 11-18: 4411/1 1000 of 1000 on time; 4411/2 200 of 500 by 11-14 (promise 11-15);
    # 4420/1 not yet due. (1000 + 200) / (1000 + 500) = 0.8
    assert first["on_time_delivery"] == 0.8
    early = srm("status", "show", "NW", "--date", "2026-11-17")
    assert early.exit_code == 1 and "first is dated 2026-11-18" in early.stderr


def test_import_json_output_csv_and_table(srm, northwind, tmp_path) -> None:
    srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1), "--date", "2026-11-18",
        ok=True)  # fmt: skip
    r = srm("status", "import", "NW", write(tmp_path, "r2.csv", REPORT_2), "-f", "json", ok=True)
    assert r.json()["opened_issues"] == []
    assert [e["po"] for e in r.json()["slipped"]] == ["4420"]
    out = srm("status", "show", "NW", "-f", "csv", ok=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "po", "line", "item", "qty_ordered", "qty_received", "promised_date", "received_date",
        "previous_promised_date", "days_slipped", "days_late", "days_received_late",
    ]  # fmt: skip
    by_po = {(row["po"], row["line"]): row for row in rows}
    assert by_po[("4420", "1")]["days_slipped"] == "7"
    assert by_po[("4420", "1")]["previous_promised_date"] == "2026-11-22"
    assert by_po[("4425", "1")]["days_late"] == "2"
    assert by_po[("4411", "2")]["days_received_late"] == "6"
    assert by_po[("4430", "1")]["days_late"] == ""
    table = srm("status", "show", "NW", ok=True)
    assert "On-time delivery (past year): 75.0%; against the first promise: 64.3%" in table.stdout
    assert "slipped 7 d" in table.stdout and "late 2 d" in table.stdout
    assert all(len(text) <= 80 for text in table.stdout.splitlines())
    message = srm("status", "import", "NW", write(tmp_path, "r3.csv", REPORT_2),
                  "--date", "2026-11-24")  # fmt: skip
    assert message.exit_code == 0 and message.stdout == ""
    assert message.stderr.startswith("Imported the 2026-11-24 status report of Northwind Metals")


def test_import_from_stdin(srm, northwind) -> None:
    r = srm("status", "import", "NW", "-", "-f", "json", input=REPORT_1)
    assert r.exit_code == 0, r.stderr
    assert r.json()["report_date"] == "2026-11-25" and len(r.json()["lines"]) == 3


def test_same_day_is_refused_unless_replaced(srm, northwind, tmp_path) -> None:
    path = write(tmp_path, "r1.csv", REPORT_1)
    srm("status", "import", "NW", path, ok=True)
    again = srm("status", "import", "NW", write(tmp_path, "r2.csv", REPORT_2))
    assert again.exit_code == 1
    assert again.stderr.startswith("Error: Northwind Metals already has a status report dated "
                                   "2026-11-25 (3 lines")  # fmt: skip
    assert "--replace" in again.stderr
    assert len(srm("status", "show", "NW", "-f", "json").json()["lines"]) == 3
    srm("status", "import", "NW", write(tmp_path, "r2.csv", REPORT_2), "--replace", ok=True)
    lines = srm("status", "show", "NW", "-f", "json").json()["lines"]
    assert [(x["po"], x["line"]) for x in lines] == [
        ("4411", "2"), ("4420", "1"), ("4425", "1"), ("4430", "1"),
    ]  # fmt: skip


def test_a_replaced_report_can_be_brought_back(srm, northwind, tmp_path) -> None:
    srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1), ok=True)
    before = srm("export", "status-lines", "-f", "json").json()
    srm("status", "import", "NW", write(tmp_path, "r2.csv", REPORT_2), "--replace", ok=True)
    replace = srm("history", "-n", "1", "-f", "json").json()[0]["change"]
    srm("status", "rm", "NW", "--date", "2026-11-25", ok=True)
    srm("undo", str(replace), ok=True)
    assert srm("export", "status-lines", "-f", "json").json() == before


@pytest.mark.parametrize(
    "text, prefix, detail",
    [
        (HEADER + "4411,1,Bolts,10,0,2026-11-20,\n4411,2,Nuts,10,0,2026-13-01,\n",
         "line 3: promised_date:", "'2026-13-01' is not a real date; give a date as YYYY-MM-DD"),
        (HEADER + "4411,1,Bolts,10,-5,2026-11-20,2026-11-19\n",
         "line 2: qty_received:", "'-5' is not accepted; give a quantity, 0 or more"),
        ("po,line,item,qty_ordered,qty_received,promised_date\n4411,1,Bolts,10,0,2026-11-20\n",
         "line 1: header:", "missing column received_date"),
        (HEADER + "4411,1,Bolts,10,0,2026-11-20,\n4411,2,Nuts,10,0,2026-11-20,\n"
         "4411,3,Pins,ten,0,2026-11-20,\n",
         "line 4: qty_ordered:", "'ten' is not accepted; give a quantity, 0 or more"),
        (HEADER + "4411,1,Bolts,10,4,2026-11-20,\n",
         "line 2: received_date:", "empty, but qty_received is 4"),
        (HEADER + "4411,1,Bolts,10,0,2026-11-20,\n4411,1,Bolts,10,0,2026-11-21,\n",
         "line 3: line:", "PO 4411 line 1 is already on line 2"),
        (HEADER + "4411,1,Bolts,10,0,2026-11-20,,extra\n",
         "line 2:", "the row has 8 cells but the header has 7 columns"),
        (HEADER + "4411,1,Bolts,10,10,2026-11-20,2026-11-26\n",
         "line 2: received_date:", "after the report date 2026-11-25"),
        (HEADER + "4411,1,Bolts,0,0,2026-11-20,\n", "line 2: qty_ordered:", "above 0"),
        (HEADER + ",1,Bolts,10,0,2026-11-20,\n", "line 2: po:", "empty"),
        (HEADER, "line 2:", "no PO lines"),
        ("", "line 1: header:", "the file is empty"),
    ],
)  # fmt: skip
def test_malformed_file_is_rejected_whole(srm, northwind, tmp_path, text, prefix, detail) -> None:
    r = srm("status", "import", "NW", write(tmp_path, "bad.csv", text), "--open-issues")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith(f"Error: {prefix} ") and detail in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    nothing = srm("status", "show", "NW")
    assert nothing.exit_code == 1 and "has no status reports yet" in nothing.stderr
    assert srm("issue", "list", "--status", "all", "-f", "json").json() == []


def test_bad_second_report_leaves_the_first_untouched(srm, northwind, tmp_path) -> None:
    srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1), "--date", "2026-11-18",
        ok=True)  # fmt: skip
    bad = REPORT_2.replace("4430,1,Hinges,100,120", "4430,1,Hinges,100,lots")
    r = srm("status", "import", "NW", write(tmp_path, "bad.csv", bad), "--open-issues")
    assert r.exit_code == 1 and r.stderr.startswith(
        "Error: line 5: qty_received: qty_received 'lots'"
    )
    shown = srm("status", "show", "NW", "-f", "json").json()
    assert shown["report_date"] == "2026-11-18" and len(shown["lines"]) == 3
    assert srm("issue", "list", "--status", "all", "-f", "json").json() == []


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["Nowhere", "FILE"], "no supplier named 'Nowhere'"),
        (["NW", "FILE", "--date", "tomorrow"], "report date 2026-11-26 is in the future"),
        (["NW", "FILE", "--date", "someday"], "cannot read the date"),
        (["NW", "missing.csv"], "cannot read missing.csv: no such file"),
        (["NW", "FILE", "-f", "xml"], "unknown format 'xml'"),
    ],
)
def test_import_refuses_bad_arguments(srm, northwind, tmp_path, args, fragment) -> None:
    path = write(tmp_path, "r1.csv", REPORT_1)
    r = srm("status", "import", *[path if a == "FILE" else a for a in args])
    assert r.exit_code == 1 and r.stderr.startswith("Error:") and fragment in r.stderr
    assert srm("status", "show", "NW").exit_code == 1


def test_guarded_and_padded_cells_are_read_back(srm, northwind, tmp_path) -> None:
    text = (
        "\ufeffPO, Line ,Item,QTY_ORDERED,qty_received,promised_date,received_date,comment\n"
        "'-4411,1,'=SUM(A1),10,0,2026-11-30,,ignored\n"
    )
    r = srm("status", "import", "NW", write(tmp_path, "odd.csv", text), "-f", "json", ok=True)
    assert r.json()["lines"] == [line("-4411", "1", "=SUM(A1)", 10, 0, "2026-11-30", None)]


def late_issues(srm) -> list[dict]:
    rows = srm("issue", "list", "--status", "all", "-f", "json", ok=True).json()
    return sorted(rows, key=lambda row: row["id"])


def test_open_issues_never_twice_for_the_same_line(srm, northwind, tmp_path) -> None:
    first = srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1),
                "--date", "2026-11-18", "--open-issues", "-f", "json", ok=True).json()  # fmt: skip
    assert [i["description"] for i in first["opened_issues"]] == [
        "PO 4411 line 2 late: promised 2026-11-15, 200 of 500 received "
        "(M8 washers; status report 2026-11-18)"
    ]
    issue = late_issues(srm)[0]
    assert (issue["kind"], issue["severity"], issue["status"]) == ("late-delivery", 3, "open")
    assert issue["opened_at"] == "2026-11-18T00:00:00"

    # 4411/2 is still late (300 of 500), 4425/1 is newly late: only 4425/1 gets an issue
    still_late = HEADER + (
        "4411,2,M8 washers,500,300,2026-11-15,2026-11-20\n"
        "4425,1,Threaded rod M10,200,50,2026-11-19,2026-11-18\n"
    )
    path = write(tmp_path, "r2.csv", still_late)
    second = srm("status", "import", "NW", path, "--date", "2026-11-21", "--open-issues",
                 "-f", "json", ok=True).json()  # fmt: skip
    assert [i["description"][:20] for i in second["opened_issues"]] == ["PO 4425 line 1 late:"]
    again = srm("status", "import", "NW", path, "--date", "2026-11-21", "--open-issues",
                "--replace", "-f", "json", ok=True).json()  # fmt: skip
    assert again["opened_issues"] == []
    assert len(late_issues(srm)) == 2

    # an escalated issue still covers its line; once resolved, a line still late is raised anew
    srm("contact", "add", "NW", "Dana Wu", "--role", "executive", ok=True)
    srm("issue", "escalate", str(issue["id"]), "--to", "Dana", ok=True)
    third = srm("status", "import", "NW", path, "--date", "2026-11-22", "--open-issues",
                "-f", "json", ok=True).json()  # fmt: skip
    assert third["opened_issues"] == []
    srm("issue", "resolve", str(issue["id"]), ok=True)
    fourth = srm("status", "import", "NW", path, "--date", "2026-11-23", "--open-issues",
                 "-f", "json", ok=True).json()  # fmt: skip
    assert [i["description"][:20] for i in fourth["opened_issues"]] == ["PO 4411 line 2 late:"]
    assert len(late_issues(srm)) == 3


def test_without_open_issues_nothing_is_opened(srm, northwind, tmp_path) -> None:
    srm("status", "import", "NW", write(tmp_path, "r1.csv", REPORT_1), ok=True)
    assert late_issues(srm) == []


def test_show_without_reports(srm, northwind) -> None:
    r = srm("status", "show", "NW")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: Northwind Metals has no status reports yet")


def session_call(fn, **kwargs):
    from srmcli import db

    with db.session() as s:
        return fn(session=s, **kwargs)


def test_on_time_delivery_year_window_and_latest_state(srm, northwind, tmp_path) -> None:
    from srmcli.services.status import on_time_delivery

    # promised 2025-11-25 is exactly 365 days before T: outside (T − Y, T];
    # 2025-11-26 is 364 days back: inside. The line late by one day earns nothing.
    old = HEADER + (
        "1,1,Old,40,40,2025-11-25,2025-11-25\n"
        "1,2,Edge,10,10,2025-11-26,2025-11-26\n"
        "1,3,Late,30,30,2025-11-26,2025-11-27\n"
    )
    srm("status", "import", "NW", write(tmp_path, "old.csv", old), "--date", "2025-12-01",
        ok=True)  # fmt: skip
    # 10 on time of 10 + 30 due = 0.25 (the 40 of line 1/1 are outside the year)
    assert session_call(on_time_delivery, supplier_id=1, as_of=date(2026, 11, 25)) == 0.25
    # a day earlier line 1/1 is inside the year: (40 + 10) / (40 + 10 + 30) = 0.625
    assert session_call(on_time_delivery, supplier_id=1, as_of=date(2026, 11, 24)) == 0.625
    # before the report existed there is no data, not a zero
    assert session_call(on_time_delivery, supplier_id=1, as_of=date(2025, 11, 30)) is None
    # a later report rewrites line 1/3 as on time: its latest state wins from then on
    fixed = HEADER + "1,3,Late,30,30,2025-11-26,2025-11-26\n"
    srm("status", "import", "NW", write(tmp_path, "fix.csv", fixed), "--date", "2025-12-08",
        ok=True)  # fmt: skip
    assert session_call(on_time_delivery, supplier_id=1, as_of=date(2026, 11, 25)) == 1.0
    assert session_call(on_time_delivery, supplier_id=1, as_of=date(2025, 12, 7)) == 0.625


def test_talking_points_name_late_and_slipped_lines(srm, northwind, tmp_path) -> None:
    from srmcli.services.status import status_talking_points

    two_reports(srm, tmp_path)
    points = session_call(status_talking_points, supplier_id=1, as_of=date(2026, 11, 25))
    assert points == [
        "PO 4425 line 1 (Threaded rod M10) is 2 days late in the 2026-11-25 status report: "
        "50 of 200 received, promised 2026-11-23; raise it before any price talk.",
        "PO 4420 line 1 (Anchor bolts) slipped 7 days to 2026-11-29 (was 2026-11-22) in the "
        "2026-11-25 status report; ask why and get a firm date.",
    ]
    earlier = session_call(status_talking_points, supplier_id=1, as_of=date(2026, 11, 20))
    assert earlier == [
        "PO 4411 line 2 (M8 washers) is 3 days late in the 2026-11-18 status report: "
        "200 of 500 received, promised 2026-11-15; raise it before any price talk."
    ]
    assert session_call(status_talking_points, supplier_id=1, as_of=date(2026, 11, 1)) == []


def test_talking_points_summarize_many_lines(srm, northwind, tmp_path) -> None:
    from srmcli.services.status import status_talking_points

    text = HEADER + "7,1,A,10,0,2026-11-20,\n7,2,B,10,0,2026-11-10,\n7,3,C,10,0,2026-11-24,\n"
    srm("status", "import", "NW", write(tmp_path, "many.csv", text), ok=True)
    points = session_call(status_talking_points, supplier_id=1, as_of=date(2026, 11, 25))
    assert points == [
        "3 PO lines are late in the 2026-11-25 status report (worst: PO 7 line 2 (B), 15 days "
        "past 2026-11-10); raise them before any price talk."
    ]


def test_demo_status_has_a_slip_and_a_late_line(srm, northwind) -> None:
    from srmcli import db
    from srmcli.services.demo import add_demo_status

    with db.session(write=True) as s:
        add_demo_status(session=s, supplier="Northwind")
    shown = srm("status", "show", "NW", "-f", "json", ok=True).json()
    assert shown["report_date"] == "2026-11-25" and shown["previous_report_date"] == "2026-11-18"
    assert len(shown["slipped"]) == 1 and len(shown["late"]) == 1
    assert shown["on_time_delivery"] is not None


def test_partial_receipts_by_the_promise_count_and_the_first_promise_is_kept(
    srm, northwind, tmp_path
) -> None:
    from srmcli.services.status import delivery_rates

    # Week 1: line 7/1 promised 11-10, 400 of 1000 in on 11-09; line 8/1 promised 11-12.
    week_1 = HEADER + "7,1,Gears,1000,400,2026-11-10,2026-11-09\n8,1,Shafts,100,0,2026-11-12,\n"
    # Week 2: 7/1 complete on 11-16 (after its promise); 8/1 re-promised for 11-19.
    week_2 = HEADER + ("7,1,Gears,1000,1000,2026-11-10,2026-11-16\n8,1,Shafts,100,0,2026-11-19,\n")
    # Week 3: 8/1 arrives on its new promise.
    week_3 = HEADER + "8,1,Shafts,100,100,2026-11-19,2026-11-19\n"
    for n, (text, day) in enumerate(
        ((week_1, "2026-11-11"), (week_2, "2026-11-17"), (week_3, "2026-11-24")), 1
    ):
        srm("status", "import", "NW", write(tmp_path, f"w{n}.csv", text), "--date", day,
            ok=True)  # fmt: skip
    rates = session_call(delivery_rates, supplier_id=1, as_of=date(2026, 11, 25))
    # current promise: 7/1 earns the 400 that were in by 11-10, 8/1 all 100 → 500 / 1100;
    # first promise (8/1 was due 11-12 and missed it): 400 / 1100
    assert rates == (0.4545, 0.3636)
    shown = srm("status", "show", "NW", "-f", "json", ok=True).json()
    assert (shown["on_time_delivery"], shown["on_time_delivery_first_promise"]) == rates
    # as of week 2's report, 8/1 (promised 11-19 now, 11-12 first) is due only by its first
    assert session_call(delivery_rates, supplier_id=1, as_of=date(2026, 11, 17)) == (
        0.4,
        0.3636,
    )
    # the brief reports both, in JSON and on screen
    brief = srm("report", "NW", "-f", "json", ok=True).json()["service"]
    assert (brief["on_time_delivery"], brief["on_time_delivery_first_promise"]) == rates
    assert "36.4%" in srm("report", "NW", ok=True).stdout


def test_a_correction_that_moves_the_receipt_after_the_promise_is_the_final_word(
    srm, northwind, tmp_path
) -> None:
    from srmcli.services.status import delivery_rates

    on_time = HEADER + "9,1,Pins,50,50,2026-11-10,2026-11-10\n"
    corrected = HEADER + "9,1,Pins,50,50,2026-11-10,2026-11-12\n"
    srm("status", "import", "NW", write(tmp_path, "a.csv", on_time), "--date", "2026-11-11",
        ok=True)  # fmt: skip
    assert session_call(delivery_rates, supplier_id=1, as_of=date(2026, 11, 25)) == (1.0, 1.0)
    srm("status", "import", "NW", write(tmp_path, "b.csv", corrected), "--date", "2026-11-18",
        ok=True)  # fmt: skip
    # the same 50 reported again with a later date: nothing arrived after the first
    # report, so it was a correction, not a second receipt
    assert session_call(delivery_rates, supplier_id=1, as_of=date(2026, 11, 25)) == (0.0, 0.0)


# -- the supplier's own headers ----------------------------------------------------------

GERMAN = (
    "Bestell-Nr.,Pos.,Material,Bestellmenge,Geliefert,Bestätigter Termin,Wareneingang\n"
    "4500012345,10,Schraube M8x40,1000,1000,10.11.2026,09.11.2026\n"
    "4500012345,20,Mutter M8,2500,600,17.11.2026,18.11.2026\n"
)
GERMAN_MAPS = (
    "--map", "po=Bestell-Nr.", "--map", "qty_ordered=Bestellmenge",
    "--map", "qty_received=Geliefert", "--map", "promised_date=Bestätigter Termin",
    "--map", "received_date=wareneingang",
)  # fmt: skip


def test_built_in_headers_after_a_title_and_a_blank_row(srm, northwind, tmp_path) -> None:
    text = (
        "Northwind Metals - open order status as of 11/23/2026,,,,,,,\n"
        ",,,,,,,\n"
        "PO #,Line No.,Part,Order Qty,Qty Received,Promise Date,Receipt Date,Buyer\n"
        "PO-88121,1,HX-0840,5000,5000,2026-11-06,2026-11-05,Kim\n"
        "PO-88140,1,NW-0500,10000,0,2026-11-20,,Kim\n"
    )
    r = srm("status", "import", "NW", write(tmp_path, "us.csv", text), "-f", "json", ok=True)
    assert r.json()["lines"] == [
        line("PO-88121", "1", "HX-0840", 5000, 5000, "2026-11-06", "2026-11-05"),
        line("PO-88140", "1", "NW-0500", 10000, 0, "2026-11-20", None),
    ]


def test_map_names_the_rest_and_is_remembered_per_supplier(srm, northwind, tmp_path) -> None:
    srm("supplier", "add", "Acme Fasteners", ok=True)
    path = write(tmp_path, "de.csv", GERMAN)
    # without a map only Pos. and Material are known: no row names four columns
    r = srm("status", "import", "NW", path, "--date", "2026-11-18")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: no header row found: no row names 4 or more"), r.stderr
    assert "'Bestell-Nr.', 'Pos.', 'Material', 'Bestellmenge'" in r.stderr
    assert "--map COLUMN=HEADER" in r.stderr
    # a map for only some columns: the missing one is named, with the headers found
    r = srm("status", "import", "NW", path, "--date", "2026-11-18", *GERMAN_MAPS[:8])
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: line 1: header: missing column received_date; the "
                               "headers found: 'Bestell-Nr.', 'Pos.', 'Material'"), r.stderr  # fmt: skip
    assert "'Wareneingang'" in r.stderr and "--map received_date=HEADER" in r.stderr
    assert srm("status", "map", "NW", "-f", "json", ok=True).json() == []  # nothing kept
    r = srm("status", "import", "NW", path, "--date", "2026-11-18", *GERMAN_MAPS, "-f", "json",
            ok=True)  # fmt: skip
    assert r.json()["lines"][1] == line(
        "4500012345", "20", "Mutter M8", 2500, 600, "2026-11-17", "2026-11-18"
    )
    kept = srm("status", "map", "northwind", "-f", "json", ok=True).json()
    assert [(k["column"], k["header"]) for k in kept] == [
        ("po", "Bestell-Nr."), ("qty_ordered", "Bestellmenge"), ("qty_received", "Geliefert"),
        ("promised_date", "Bestätigter Termin"), ("received_date", "wareneingang"),
    ]  # fmt: skip
    assert "Bestätigter Termin" in srm("status", "map", "NW", ok=True).stdout
    saved = tmp_path / "map.json"
    srm("status", "map", "NW", "-f", "json", "-o", str(saved), ok=True)
    assert json.loads(saved.read_text(encoding="utf-8")) == kept
    assert saved.stat().st_mode & 0o777 == 0o600
    # the next report needs no --map; another supplier's does
    srm("status", "import", "NW", path, ok=True)
    assert srm("status", "import", "Acme", path).exit_code == 1
    cleared = srm("status", "map", "NW", "--clear", "-f", "json", ok=True).json()
    assert len(cleared) == 5
    assert srm("status", "map", "NW", "-f", "json", ok=True).json() == []
    assert "no remembered status-report headers" in srm("status", "map", "NW", ok=True).stdout
    assert srm("status", "import", "NW", path, "--replace").exit_code == 1


def test_a_refusal_shows_the_remembered_headers_that_hid_the_built_in_names(
    srm, northwind, tmp_path
) -> None:
    german = write(tmp_path, "de.csv", GERMAN)
    srm("status", "import", "NW", german, "--date", "2026-11-18", *GERMAN_MAPS, ok=True)
    # the supplier switches to an English template: its remembered German headers still
    # stand for qty_ordered and the rest, so the built-in names do not fill them
    english = write(tmp_path, "en.csv", "PO,Line,Part,Quantity,Received,Due date,Receipt date\n"
                    "88121,1,HX-0840,50,0,2026-11-30,\n")  # fmt: skip
    r = srm("status", "import", "NW", english, "--date", "2026-11-19")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "the headers remembered for Northwind" in r.stderr, r.stderr
    assert "qty_ordered='Bestellmenge'" in r.stderr
    assert "`srm status map 'Northwind" in r.stderr and "--clear` forgets them" in r.stderr
    srm("status", "map", "NW", "--clear", ok=True)
    srm("status", "import", "NW", english, "--date", "2026-11-19", ok=True)


def test_two_headers_for_one_column_are_refused_until_mapped(srm, northwind, tmp_path) -> None:
    text = (
        "PO,Line,Part Number,Description,Ordered,Received,Promised,Received Date\n"
        "88121,1,HX-0840,Hex bolt,50,0,2026-11-30,\n"
    )
    path = write(tmp_path, "two.csv", text)
    r = srm("status", "import", "NW", path)
    assert r.exit_code == 1
    assert r.stderr.startswith(
        "Error: line 1: header: the headers 'Part Number' and 'Description' could both be "
        "item; say which with --map item=HEADER"
    ), r.stderr
    r = srm("status", "import", "NW", path, "--map", "item=description", "-f", "json", ok=True)
    assert r.json()["lines"][0]["item"] == "Hex bolt"


@pytest.mark.parametrize(
    "option, fragment",
    [
        ("qty=Menge", "--map 'qty=Menge': unknown column 'qty'; the columns are po, line,"),
        ("po", "--map 'po' is not accepted; give COLUMN=HEADER"),
        ("po=", "--map 'po=' is not accepted"),
    ],
)
def test_bad_maps_are_refused(srm, northwind, tmp_path, option, fragment) -> None:
    r = srm("status", "import", "NW", write(tmp_path, "r.csv", REPORT_1), "--map", option)
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {fragment}"), r.stderr
    assert srm("status", "map", "NW", "-f", "json", ok=True).json() == []


def test_json_records_with_the_suppliers_field_names(srm, northwind, tmp_path) -> None:
    records = (
        '[{"PO number": "7", "Line": 1, "SKU": "A-1", "Quantity": 5, "Delivered": 5,'
        ' "Due date": "2026-11-20", "Delivered on": "2026-11-19"}]'
    )
    r = srm("status", "import", "NW", write(tmp_path, "r.json", records), "-f", "json",
            ok=True)  # fmt: skip
    assert r.json()["lines"] == [line("7", "1", "A-1", 5, 5, "2026-11-20", "2026-11-19")]
