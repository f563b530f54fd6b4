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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--suppliers", type=int, default=500)
    ap.add_argument("--import-rows", type=int, default=200_000)
    ap.add_argument("--jrnl", help="a jrnl executable to compare `srm log` with, or `auto`")
    ap.add_argument("--work", default=str(HERE.parent / ".bench"))
    ap.add_argument("--runs", type=int, default=5)
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

    if len(per_size) > 1:
        small, large = min(per_size), max(per_size)
        for what in ("log", "brief", "report"):
            report(f"growth: {what} {large:,} vs {small:,}", f"itself at {small:,}",
                   per_size[large][what], per_size[small][what])  # fmt: skip


if __name__ == "__main__":
    main()
