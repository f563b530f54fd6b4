"""Benchmark runner: times srm against floors measured in the same run, prints ratios.

    python benchmarks/run.py                       # 100k interactions, a few minutes
    python benchmarks/run.py --sizes 100000 1000000 --jrnl auto

`--jrnl auto` installs jrnl (the peer a buyer might use instead of `srm log`) from PyPI
into its own virtual environment under the work folder, once, and gives it a config.

Every figure is the median wall time of several subprocess runs; peak memory comes from
`/usr/bin/time -f %M` when it exists. Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
PY = sys.executable
_SCRIPT = Path(sys.executable).with_name("srm")
SRM = [str(_SCRIPT)] if _SCRIPT.exists() else [PY, "-m", "srmcli"]
GNU_TIME = Path("/usr/bin/time")


def timed(cmd: list[str], *, runs: int = 5, env: dict[str, str] | None = None,
          stdin: str | None = None) -> tuple[float, int | None]:  # fmt: skip
    """Median seconds and peak RSS (KiB) of `cmd`."""
    times, peaks = [], []
    for _ in range(runs):
        wrapped = [str(GNU_TIME), "-f", "%M", *cmd] if GNU_TIME.exists() else cmd
        t0 = time.perf_counter()
        proc = subprocess.run(wrapped, env=env, input=stdin, text=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
        if GNU_TIME.exists():
            peaks.append(int(proc.stderr.strip().splitlines()[-1]))
    return statistics.median(times), (max(peaks) if peaks else None)


Command = list[str] | Callable[[int], list[str]]


def paired(cmd: Command, floor: list[str], *, runs: int, env: dict[str, str] | None = None,
           floor_env: dict[str, str] | None = None) -> tuple[float, float, int | None]:  # fmt: skip
    """Medians of `cmd` and of its floor, run in turns so both see the same machine
    (a busy moment slows both, not one), and the peak RSS of `cmd`. `cmd` may be a
    function of the run's number, for commands that must differ each time."""
    ours: list[float] = []
    theirs: list[float] = []
    peaks: list[int] = []
    for n in range(runs):
        seconds, peak = timed(cmd(n) if callable(cmd) else cmd, runs=1, env=env)
        ours.append(seconds)
        if peak is not None:
            peaks.append(peak)
        theirs.append(timed(floor, runs=1, env=floor_env)[0])
    return statistics.median(ours), statistics.median(theirs), (max(peaks) if peaks else None)


def journal(size: int, suppliers: int, folder: Path) -> Path:
    path = folder / f"journal-{size}.db"
    if not path.exists():
        print(f"building a {size:,}-interaction journal …", flush=True)
        subprocess.run([PY, str(HERE / "generate.py"), "--suppliers", str(suppliers),
                        "--interactions", str(size), "--db", str(path),
                        "--keep-csv", str(folder / f"csv-{size}")], check=True)  # fmt: skip
    return path


JRNL_CONFIG = """\
colors: {{body: none, date: none, tags: none, title: none}}
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: true
indent_character: '|'
journals:
  default:
    journal: {journal}
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: v4.6
"""


def jrnl_setup(spec: str, work: Path) -> tuple[str, Path]:
    """The jrnl executable (`auto`: installed into work/jrnl-venv) and a HOME holding its
    config and journal, so it never prompts."""
    exe = spec
    if spec == "auto":
        venv = work / "jrnl-venv"
        exe = str(venv / "bin" / "jrnl")
        if not Path(exe).exists():
            print("installing jrnl into its own virtual environment …", flush=True)
            subprocess.run([PY, "-m", "venv", str(venv)], check=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "jrnl==4.*"], check=True)
    home = work / "jrnl-home"
    config = home / ".config" / "jrnl" / "jrnl.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(JRNL_CONFIG.format(journal=home / "journal.txt"), encoding="utf-8")
    return exe, home


def executemany_floor(db: Path, csv_path: Path, out: Path) -> float:
    """stdlib sqlite3 inserting the same interaction rows (and links) into a copy."""
    shutil.copy(db, out)
    con = sqlite3.connect(out)
    con.execute("PRAGMA foreign_keys=ON")
    sup = dict(con.execute("SELECT name, id FROM supplier"))
    con.execute("DELETE FROM interaction")
    con.commit()
    with open(csv_path, newline="", encoding="utf-8") as fh:
        rows = [(sup[r["supplier"]], r["occurred_at"].replace("T", " "), r["channel"],
                 r["initiator"], r["duration_min"] or None, int(r["tone"]), "[]", r["note"],
                 r["author"]) for r in csv.DictReader(fh)]  # fmt: skip
    t0 = time.perf_counter()
    con.executemany(
        "INSERT INTO interaction (supplier_id, occurred_at, channel, initiator, duration_min,"
        " tone, tags, note, author) VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    con.commit()
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed


def correction_times(env: dict[str, str], *, runs: int) -> tuple[float, float]:
    """Median seconds of `srm interaction edit` of the newest interaction and of `srm undo`
    of that edit, in turns (each undo puts back what its edit changed)."""
    con = sqlite3.connect(env["SRM_DB"])
    last = con.execute("SELECT max(id) FROM interaction").fetchone()[0]
    con.close()
    edits, undos = [], []
    for n in range(runs):
        edits.append(timed([*SRM, "interaction", "edit", str(last), "--note", f"Edited {n}"],
                           runs=1, env=env)[0])  # fmt: skip
        con = sqlite3.connect(env["SRM_DB"])
        change = con.execute("SELECT max(id) FROM history").fetchone()[0]
        con.close()
        undos.append(timed([*SRM, "undo", str(change)], runs=1, env=env)[0])
    return statistics.median(edits), statistics.median(undos)


def last_quarter() -> str:
    """The calendar quarter before today's, as `--quarter` takes it (2026Q3)."""
    today = time.localtime()
    index = today.tm_year * 4 + (today.tm_mon - 1) // 3 - 1
    return f"{index // 4}Q{index % 4 + 1}"


def agenda_times(env: dict[str, str], name: str, label: str, runs: int,
                 report: Callable[..., None]) -> None:  # fmt: skip
    """The scorecard of a quarter against the brief of the same supplier, and `srm today`
    against the portfolio: each must cost no more than the report it sits beside."""
    brief = [*SRM, "report", name, "-f", "json"]
    card = [*SRM, "scorecard", name, "--quarter", last_quarter(), "-f", "json"]
    ours, floor, _ = paired(card, brief, runs=runs, env=env, floor_env=env)
    report(f"srm scorecard --quarter ({label})", "srm report SUPPLIER -f json", ours, floor)
    portfolio = [*SRM, "report", "-f", "json"]
    ours, floor, _ = paired([*SRM, "today", "-f", "json"], portfolio, runs=runs, env=env,
                            floor_env=env)  # fmt: skip
    report(f"srm today ({label})", "srm report -f json", ours, floor)


# -- capture (SPEC §12): a calendar and an mbox against the same rows as CSV ------------

CAPTURE_NOW = "2026-12-01T12:00:00"
CAPTURE_SUPPLIERS = 40
_TOPICS = ("price review", "expedite call", "quality escalation", "capacity plan", "QBR")


def _capture_journal(folder: Path, env: dict[str, str]) -> Path:
    """An empty journal with suppliers that have email domains and one contact each."""
    path = folder / "capture-base.db"
    if path.exists():
        return path
    rows = ["name,domains"] + [
        f"Supplier {i:02d},s{i:02d}.example" for i in range(CAPTURE_SUPPLIERS)
    ]
    suppliers = folder / "capture-suppliers.csv"
    suppliers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    people = ["supplier,name,role,email"] + [
        f"Supplier {i:02d},Person {i:02d},sales,p{i:02d}@s{i:02d}.example"
        for i in range(CAPTURE_SUPPLIERS)
    ]
    contacts = folder / "capture-contacts.csv"
    contacts.write_text("\n".join(people) + "\n", encoding="utf-8")
    for kind, file in (("suppliers", suppliers), ("contacts", contacts)):
        subprocess.run([*SRM, "--db", str(path), "import", kind, str(file)], check=True,
                       capture_output=True, env=env)  # fmt: skip
    return path


def _moment(n: int) -> tuple[str, str]:
    """The n-th item's start, spread over the years before CAPTURE_NOW (ics, csv)."""
    day = n % 2000
    minute = (n * 37) % 600
    stamp = time.gmtime(1_600_000_000 + day * 86400 + 8 * 3600 + minute * 60)
    return time.strftime("%Y%m%dT%H%M%S", stamp), time.strftime("%Y-%m-%dT%H:%M:%S", stamp)


def write_calendar(path: Path, events: int) -> None:
    """An export as Outlook writes it: CRLF, a VTIMEZONE, TZID times, folded lines, the
    description twice (text and HTML), Outlook's own properties and a reminder."""
    with open(path, "w", encoding="utf-8", newline="\r\n") as fh:
        fh.write("BEGIN:VCALENDAR\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\n"
                 "VERSION:2.0\nMETHOD:PUBLISH\nBEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\n"
                 "BEGIN:STANDARD\nDTSTART:16011028T030000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\n"
                 "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\n"
                 "DTSTART:16010325T020000\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\n"
                 "TZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n")  # fmt: skip
        for n in range(events):
            s = n % CAPTURE_SUPPLIERS
            start, _ = _moment(n)
            teams = n % 3 == 0
            link = "LOCATION:Microsoft Teams Meeting\n" if teams else "LOCATION:Room 2\n"
            join = "https://teams.microsoft.com/l/meetup-join/19%3a" if teams else "Agenda"
            fh.write(
                f"BEGIN:VEVENT\nCLASS:PUBLIC\nCREATED:20200101T090000Z\n"
                f"DESCRIPTION:{join} for {_TOPICS[n % 5]} {n}\\n\\nPlease come prepared.\\n\n"
                f"DTEND;TZID=W. Europe Standard Time:{start[:9]}235900\n"
                "DTSTAMP:20261201T080000Z\n"
                f"DTSTART;TZID=W. Europe Standard Time:{start}\n"
                "LAST-MODIFIED:20200101T090000Z\n"
                'ORGANIZER;CN="Buyer, Pat":mailto:pat.buyer@ourco.example\n'
                f'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN="Person {s:02d}":mailto:p\n'
                f" {s:02d}@s{s:02d}.example\n{link}"
                "PRIORITY:5\nSEQUENCE:0\nSTATUS:CONFIRMED\n"
                f"SUMMARY;LANGUAGE=en-us:{_TOPICS[n % 5]} {n}\nTRANSP:OPAQUE\n"
                f"UID:040000008200E00074C5B7101A82E008{n:016d}\n"
                "X-ALT-DESC;FMTTYPE=text/html:<html><head><meta name=3DGenerator content=\n"
                ' "Microsoft Exchange Server"></head><body><p>Please come prepared.</p></bo\n'
                " dy></html>\n"
                "X-MICROSOFT-CDO-BUSYSTATUS:BUSY\nX-MICROSOFT-CDO-IMPORTANCE:1\n"
                "X-MICROSOFT-DISALLOW-COUNTER:FALSE\nX-MS-OLK-AUTOFILLLOCATION:FALSE\n"
                "X-MS-OLK-CONFTYPE:0\nBEGIN:VALARM\nTRIGGER:-PT15M\nACTION:DISPLAY\n"
                "DESCRIPTION:Reminder\nEND:VALARM\nEND:VEVENT\n"
            )
        fh.write("END:VCALENDAR\n")


def write_mbox(path: Path, messages: int) -> None:
    """An mbox as mail programs keep it: quoted-printable bodies, reply threads."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for n in range(messages):
            s = n % CAPTURE_SUPPLIERS
            _, iso = _moment(n)
            stamp = time.strftime(
                "%a, %d %b %Y %H:%M:%S +0000", time.strptime(iso, "%Y-%m-%dT%H:%M:%S")
            )
            theirs = n % 2 == 0
            sender = (
                f"Person {s:02d} <p{s:02d}@s{s:02d}.example>" if theirs else "pat@ourco.example"
            )
            to = "pat@ourco.example" if theirs else f"p{s:02d}@s{s:02d}.example"
            fh.write(
                f"From MAILER-DAEMON Tue Dec  1 22:53:30 2026\nMessage-ID: <{n}@bench.example>\n"
                f"From: {sender}\nTo: {to}\nSubject: {_TOPICS[n % 5]} {n}\nDate: {stamp}\n"
                "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                "Content-Transfer-Encoding: quoted-printable\n\n"
                f"Hello,\n\nthe order {n} ships next week =E2=80=94 regards.\n\n"
            )


def write_rows(path: Path, count: int, channel: str) -> None:
    """The same number of interactions as an import file (the floor)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["supplier", "occurred_at", "channel", "contacts", "note"])
        for n in range(count):
            s = n % CAPTURE_SUPPLIERS
            out.writerow([f"Supplier {s:02d}", _moment(n)[1], channel, f"Person {s:02d}",
                          f"{_TOPICS[n % 5]} {n}"])  # fmt: skip


def capture_times(work: Path, env: dict[str, str], report: Callable[..., None], *, runs: int,
                  events: int, messages: int) -> None:  # fmt: skip
    """srm import calendar / mail against srm import interactions of as many rows, and
    peak memory at the full size and at a quarter of it (flat when streamed)."""
    e = {**env, "SRM_NOW": CAPTURE_NOW, "TZ": "Europe/Amsterdam"}
    base = _capture_journal(work, e)
    for kind, count, write, channel in (("calendar", events, write_calendar, "meeting"),
                                        ("mail", messages, write_mbox, "email")):  # fmt: skip
        source = work / f"capture-{kind}-{count}.{'ics' if kind == 'calendar' else 'mbox'}"
        small = work / f"capture-{kind}-{count // 4}.{source.suffix[1:]}"
        rows = work / f"capture-{kind}-{count}.csv"
        for file, size in ((source, count), (small, count // 4)):
            if not file.exists():
                write(file, size)
        if not rows.exists():
            write_rows(rows, count, channel)

        def fresh(file: Path, what: str) -> list[str]:
            """A copy of the base journal for each run: a repeat would skip everything."""
            target = work / f"capture-run-{what}.db"
            shutil.copy(base, target)
            return [*SRM, "--db", str(target), "import", what, str(file)]

        ours, floors, peaks = [], [], []
        for _ in range(runs):  # in turns, so a busy moment slows both
            seconds, peak = timed(fresh(source, kind), runs=1, env=e)
            ours.append(seconds)
            peaks.append(peak or 0)
            floors.append(timed(fresh(rows, "interactions"), runs=1, env=e)[0])
        _, small_peak = timed(fresh(small, kind), runs=1, env=e)
        note = (
            f"peak {max(peaks) / 1024:.0f} MiB ({(small_peak or 0) / 1024:.0f} at {count // 4:,})"
        )
        report(f"srm import {kind} ({count:,})", f"import interactions ({count:,})",
               statistics.median(ours), statistics.median(floors), note)  # fmt: skip


# a bare XlsxWriter constant-memory loop over a sqlite3 cursor: the rows `srm export
# interactions -f xlsx` writes (names resolved, lists joined, date cells), nothing more
XLSX_FLOOR = r"""
import json, sqlite3, sys
from datetime import datetime
import xlsxwriter
db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
suppliers = dict(con.execute("SELECT id, name FROM supplier"))
people = dict(con.execute("SELECT id, name FROM contact"))
cur = con.execute(
    "SELECT i.id, i.supplier_id, i.occurred_at, i.channel, i.initiator, i.contact_ids,"
    " i.duration_min, i.tone, i.tags, i.note,"
    " (SELECT group_concat(tactic, ';') FROM interaction_tactic t WHERE t.interaction_id = i.id),"
    " i.author FROM interaction i ORDER BY i.occurred_at, i.id")
book = xlsxwriter.Workbook(out, {"constant_memory": True})
sheet = book.add_worksheet("interactions")
moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
sheet.write_row(0, 0, ["id", "supplier", "occurred_at", "channel", "initiator", "contacts",
                       "duration_min", "tone", "tags", "tactics", "note", "author"])
r = 0
for (id_, sid, at, channel, initiator, cids, minutes, tone, tags, note, tactics,
     author) in cur:
    r += 1
    sheet.write_number(r, 0, id_)
    sheet.write_string(r, 1, suppliers[sid])
    sheet.write_datetime(r, 2, datetime.fromisoformat(at[:19]), moment)
    sheet.write_string(r, 3, channel)
    sheet.write_string(r, 4, initiator)
    names = ";".join(sorted(people[c] for c in json.loads(cids)))
    if names:
        sheet.write_string(r, 5, names)
    if minutes is not None:
        sheet.write_number(r, 6, minutes)
    sheet.write_number(r, 7, tone)
    joined = ";".join(json.loads(tags))
    if joined:
        sheet.write_string(r, 8, joined)
    if tactics:
        sheet.write_string(r, 9, tactics)
    sheet.write_string(r, 10, note)
    if author:
        sheet.write_string(r, 11, author)
sheet.freeze_panes(1, 0)
sheet.autofilter(0, 0, r, 11)
book.close()
"""


def sheet_benchmarks(args: argparse.Namespace, work: Path, env: dict[str, str],
                     report: Callable[..., None]) -> None:  # fmt: skip
    """xlsx out against a bare XlsxWriter loop (time and peak memory, at every size), and
    an import of the same rows from xlsx against the same import from CSV."""
    out = work / "export.xlsx"
    for size in args.sizes:
        db = journal(size, args.suppliers, work)
        e = {**env, "SRM_DB": str(db)}
        ours, floor, peak = paired(
            [*SRM, "export", "interactions", "-o", str(out)],
            [PY, "-c", XLSX_FLOOR, str(db), str(work / "floor.xlsx")],
            runs=max(1, args.runs // 2), env=e, floor_env=env,
        )  # fmt: skip
        report(f"srm export interactions -f xlsx ({size:,})", "bare XlsxWriter loop", ours,
               floor, f"peak {peak / 1024:.0f} MiB" if peak else "")  # fmt: skip
    # the import sample as a workbook: imported from CSV once, exported as xlsx
    sample = work / f"import-{args.import_rows}.csv"
    workbook = work / f"import-{args.import_rows}.xlsx"
    target = work / "import-target.db"
    if not sample.exists() or not target.exists():
        raise SystemExit(f"{sample} and {target} come from a full run of this script")
    if not workbook.exists():
        staged = work / "import-staged.db"
        shutil.copy(target, staged)
        subprocess.run([*SRM, "--db", str(staged), "import", "interactions", str(sample)],
                       check=True, capture_output=True, env=env)  # fmt: skip
        subprocess.run([*SRM, "--db", str(staged), "export", "interactions", "-o", str(workbook)],
                       check=True, capture_output=True, env=env)  # fmt: skip
        staged.unlink()
    times: dict[Path, list[float]] = {sample: [], workbook: []}
    for _ in range(3):
        for path in (sample, workbook):  # in turns: a busy moment slows both
            fresh = Path(tempfile.mkdtemp()) / "t.db"
            shutil.copy(target, fresh)
            t0 = time.perf_counter()
            subprocess.run([*SRM, "--db", str(fresh), "import", "interactions", str(path)],
                           check=True, capture_output=True, env=env)  # fmt: skip
            times[path].append(time.perf_counter() - t0)
            shutil.rmtree(fresh.parent)
    report(f"srm import interactions from xlsx ({args.import_rows:,})", "the same from CSV",
           statistics.median(times[workbook]), statistics.median(times[sample]))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--suppliers", type=int, default=500)
    ap.add_argument("--import-rows", type=int, default=200_000)
    ap.add_argument("--jrnl", help="a jrnl executable to compare `srm log` with, or `auto`")
    ap.add_argument("--work", default=str(HERE.parent / ".bench"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--capture-events", type=int, default=10_000)
    ap.add_argument("--capture-messages", type=int, default=50_000)
    ap.add_argument("--only-capture", action="store_true", help="just the capture lines")
    ap.add_argument("--only-sheets", action="store_true",
                    help="only the spreadsheet benchmarks (xlsx export and import)")  # fmt: skip
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(exist_ok=True)
    # like an installed package: compiled modules are cached, not rebuilt on every run
    # (for every command measured, floors included)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pyc")
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("SRM_DATABASE_URL", None)
    rows: list[tuple[str, str, float, float, str]] = []

    def report(what: str, floor_name: str, value: float, floor: float, note: str = "") -> None:
        rows.append((what, floor_name, value, floor, note))
        print(f"{what:<44} {value:7.3f} s  vs {floor_name:<28} {floor:7.3f} s  "
              f"= {value / floor:5.2f}x {note}", flush=True)  # fmt: skip

    r = args.runs
    if args.only_capture:
        capture_times(work, env, report, runs=r, events=args.capture_events,
                      messages=args.capture_messages)  # fmt: skip
        return
    if args.only_sheets:
        journal(args.sizes[0], args.suppliers, work)
        sheet_benchmarks(args, work, env, report)
        return
    floor_pass = [PY, "-c", "pass"]
    floor_imports = [PY, "-c", "import typer, rich.table, sqlmodel"]
    for what, cmd, cmd_env in (
        ("srm --version", [*SRM, "--version"], env),
        ("srm --help", [*SRM, "--help"], env),
        ("completion (srm sup<TAB>)", SRM,
         {**env, "_SRM_COMPLETE": "complete_bash", "COMP_WORDS": "srm sup", "COMP_CWORD": "1"}),
    ):  # fmt: skip
        ours, floor, _ = paired(cmd, floor_pass, runs=r * 2, env=cmd_env, floor_env=env)
        report(what, "python -c pass", ours, floor)

    per_size: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        db = journal(size, args.suppliers, work)
        scratch = work / f"scratch-{size}.db"
        shutil.copy(db, scratch)
        e = {**env, "SRM_DB": str(scratch)}
        name = sqlite3.connect(db).execute("SELECT name FROM supplier ORDER BY id").fetchone()[0]
        label = f"{size:,}"
        got: dict[str, float] = {}

        # each note differs: the same call twice in one second is refused as a repeat
        def log(n: int, name: str = name, size: int = size) -> list[str]:
            return [*SRM, "log", name, f"Benchmark note {size} {n} {time.time_ns()}"]

        if args.jrnl:
            jrnl, home = jrnl_setup(args.jrnl, work)
            jenv = {**env, "HOME": str(home)}
            got["log"], floor, _ = paired(log, [jrnl, "Benchmark entry"], runs=r, env=e,
                                          floor_env=jenv)  # fmt: skip
            report(f"srm log ({label})", "jrnl adding an entry", got["log"], floor)
        else:
            got["log"], floor, _ = paired(log, floor_pass, runs=r, env=e, floor_env=env)
            report(f"srm log ({label})", "python -c pass", got["log"], floor, "(no jrnl)")
        got["edit"], got["undo"] = correction_times(e, runs=r)
        report(f"srm interaction edit ({label})", "srm log, same journal", got["edit"], got["log"])
        report(f"srm undo ({label})", "srm log, same journal", got["undo"], got["log"])
        for key, what, cmd in (
            ("report", f"srm report -f json ({label})", [*SRM, "report", "-f", "json"]),
            ("brief", f"srm report SUPPLIER -f json ({label})",
             [*SRM, "report", name, "-f", "json"]),
        ):  # fmt: skip
            got[key], floor, _ = paired(cmd, floor_imports, runs=r, env=e, floor_env=env)
            report(what, "import typer,rich,sqlmodel", got[key], floor)
        agenda_times(e, name, label, r, report)
        # the score history (SPEC §10): the brief with 12 month ends against the brief alone
        brief_cmd = [*SRM, "report", name, "-f", "json"]
        got["history"], floor, _ = paired([*brief_cmd, "--months", "12"], brief_cmd, runs=r,
                                          env=e, floor_env=e)  # fmt: skip
        report(f"srm report SUPPLIER --months 12 ({label})", "the brief without it",
               got["history"], floor)  # fmt: skip
        sqlite_csv = ["sqlite3", "-csv", "-header", str(scratch), "SELECT * FROM interaction"]
        got["export"], floor, peak = paired([*SRM, "export", "interactions"], sqlite_csv,
                                            runs=max(3, r // 2), env=e, floor_env=env)  # fmt: skip
        report(f"srm export interactions ({label})", "sqlite3 -csv", got["export"], floor,
               f"peak {peak / 1024:.0f} MiB" if peak else "")  # fmt: skip
        per_size[size] = got

    # import of N interaction rows, against stdlib executemany of the same rows
    base = journal(args.sizes[0], args.suppliers, work)
    csv_all = work / f"csv-{args.sizes[0]}" / "interactions.csv"
    sample = work / f"import-{args.import_rows}.csv"
    # generated notes hold no line breaks, so the first N+1 lines are the header and N rows
    with open(csv_all, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i > args.import_rows:
                break
            dst.write(line)
    target = work / "import-target.db"
    shutil.copy(base, target)
    con = sqlite3.connect(target)
    con.execute("PRAGMA foreign_keys=ON")  # the links go with the interactions
    con.execute("DELETE FROM interaction")
    con.commit()
    con.close()
    times = []
    for _ in range(3):
        fresh = Path(tempfile.mkdtemp()) / "t.db"
        shutil.copy(target, fresh)
        t0 = time.perf_counter()
        subprocess.run([*SRM, "--db", str(fresh), "import", "interactions", str(sample)],
                       check=True, capture_output=True, env=env)  # fmt: skip
        times.append(time.perf_counter() - t0)
    floor_many = statistics.median(
        executemany_floor(target, sample, work / "floor.db") for _ in range(3)
    )
    report(f"srm import interactions ({args.import_rows:,})", "stdlib executemany",
           statistics.median(times), floor_many)  # fmt: skip

    capture_times(work, env, report, runs=max(3, r // 2), events=args.capture_events,
                  messages=args.capture_messages)  # fmt: skip
    sheet_benchmarks(args, work, env, report)

    if len(per_size) > 1:
        small, large = min(per_size), max(per_size)
        for what in ("log", "brief", "report"):
            report(f"growth: {what} {large:,} vs {small:,}", f"itself at {small:,}",
                   per_size[large][what], per_size[small][what])  # fmt: skip


if __name__ == "__main__":
    main()
