"""Deterministic generator of realistic srm journals, loaded through the public import path.

    python benchmarks/generate.py --suppliers 500 --interactions 1000000 --db /tmp/big.db

Writes CSV files in the SPEC §7 export/import columns (suppliers, contacts, interactions,
issues, followups) into a work folder and runs `srm import` on each, exactly as a user
would. The same seed always gives the same journal.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROLES = ["sales", "customer-service", "operations", "engineering", "quality", "logistics",
         "finance", "executive"]  # fmt: skip
CHANNELS = ["call"] * 5 + ["email"] * 4 + ["meeting", "visit", "video", "chat", "web"]
TACTICS = ["price-increase", "supply-threat", "deadline-pressure", "flattery", "snooping",
           "bundling", "bypass", "innovative-pitch"]  # fmt: skip
KINDS = ["late-delivery", "quality", "short-shipment", "wrong-item", "billing",
         "responsiveness", "communication", "documentation", "price", "other"]  # fmt: skip
WORDS = (
    "price delivery pallet quote drawing forecast capacity audit invoice schedule "
    "tooling sample freight warehouse shift plant steel resin packaging lead-time "
    "expedite backlog quality certificate engineering change order discount"
).split()
FIRST = [
    "Alice",
    "Bob",
    "Carla",
    "Dmitri",
    "Elif",
    "Femi",
    "Grace",
    "Hiro",
    "Ines",
    "Jon",
    "Kai",
    "Lena",
    "Marco",
    "Nadia",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
]
LAST = ["Moreau", "Chen", "Okafor", "Silva", "Novak", "Haddad", "Berg", "Tanaka", "Rossi",
        "Kowalski", "Dubois", "Ivanova", "Nakamura", "Costa", "Fischer"]  # fmt: skip


def write_csv(path: Path, header: list[str], rows) -> int:  # type: ignore[no-untyped-def]
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
    return n


def generate(folder: Path, suppliers: int, interactions: int, years: int, seed: int,
             end: date) -> dict[str, Path]:  # fmt: skip
    rnd = random.Random(seed)
    start = datetime.combine(end - timedelta(days=365 * years), datetime.min.time())
    end_dt = datetime.combine(end, datetime.min.time())
    span_s = int((end_dt - start).total_seconds() // 60)
    names = [f"Supplier {i:04d} {rnd.choice(['Metals', 'Plastics', 'Logistics', 'Parts', 'Foods'])}"
             for i in range(suppliers)]  # fmt: skip
    files = {k: folder / f"{k}.csv" for k in
             ("suppliers", "contacts", "interactions", "issues", "followups")}  # fmt: skip

    def supplier_rows():  # type: ignore[no-untyped-def]
        for i, name in enumerate(names):
            size = rnd.choice(["small", "mid", "large", "mega"])
            yield ["", name, f"S{i:04d}", rnd.choice(["metals", "plastics", "services"]), size,
                   rnd.choice(["active"] * 8 + ["probation", "prospect"]),
                   rnd.choice(["open", "standard", "standard", "restricted"]),
                   rnd.choice(["low", "high"]), rnd.choice(["low", "high"]),
                   rnd.randrange(10_000, 5_000_000), rnd.randrange(1_000_000, 2_000_000_000),
                   rnd.choice([14, 30, 30, 60, 90]), "bench", "", ""]  # fmt: skip

    people: dict[str, list[str]] = {}

    def contact_rows():  # type: ignore[no-untyped-def]
        for name in names:
            people[name] = []
            for j, role in enumerate(rnd.sample(ROLES, rnd.randint(2, 6))):
                person = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {j}"
                people[name].append(person)
                yield ["", name, person, role, "", "", "", "", "true"]

    def interaction_rows():  # type: ignore[no-untyped-def]
        for _ in range(interactions):
            name = (
                names[min(int(rnd.paretovariate(1.2)) - 1, suppliers - 1)]
                if rnd.random() < 0.5
                else rnd.choice(names)
            )
            when = start + timedelta(minutes=rnd.randrange(span_s))
            who = ";".join(rnd.sample(people[name], rnd.randint(0, min(2, len(people[name])))))
            tactic = rnd.choice(TACTICS) if rnd.random() < 0.03 else ""
            note = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(4, 30)))
            yield ["", name, when.strftime("%Y-%m-%dT%H:%M:%S"), rnd.choice(CHANNELS),
                   rnd.choice(["us", "us", "them"]), who, rnd.choice(["", 5, 15, 30, 60]),
                   rnd.choice([-2, -1, 0, 0, 0, 1, 1, 2]), "", tactic, note, "bench"]  # fmt: skip

    def issue_rows():  # type: ignore[no-untyped-def]
        for _ in range(max(1, interactions // 50)):
            name = rnd.choice(names)
            opened = start + timedelta(minutes=rnd.randrange(span_s))
            resolved = opened + timedelta(days=rnd.randint(1, 60))
            done = resolved < end_dt and rnd.random() < 0.9
            yield ["", name, rnd.choice(KINDS), rnd.randint(1, 4),
                   "resolved" if done else "open", opened.strftime("%Y-%m-%dT%H:%M:%S"), "", "",
                   resolved.strftime("%Y-%m-%dT%H:%M:%S") if done else "",
                   f"issue {rnd.randrange(10**6)}", "fixed" if done else "", ""]  # fmt: skip

    def followup_rows():  # type: ignore[no-untyped-def]
        for _ in range(max(1, interactions // 40)):
            name = rnd.choice(names)
            due = (start + timedelta(days=rnd.randrange((end_dt - start).days + 30))).date()
            done = due < end and rnd.random() < 0.8
            yield ["", name, rnd.choice(["us", "them"]), f"promise {rnd.randrange(10**7)}",
                   due.isoformat(), f"{due.isoformat()}T12:00:00" if done else "", ""]  # fmt: skip

    from srmcli.services import records as r

    write_csv(files["suppliers"], list(r.SUPPLIER_COLUMNS), supplier_rows())
    write_csv(files["contacts"], list(r.CONTACT_COLUMNS), contact_rows())
    write_csv(files["interactions"], list(r.INTERACTION_COLUMNS), interaction_rows())
    write_csv(files["issues"], list(r.ISSUE_COLUMNS), issue_rows())
    write_csv(files["followups"], list(r.FOLLOWUP_COLUMNS), followup_rows())
    return files


def load(files: dict[str, Path], db: Path, srm: list[str]) -> dict[str, float]:
    """Import each file with `srm import`, timing each."""
    timings = {}
    for kind in ("suppliers", "contacts", "interactions", "issues", "followups"):
        t0 = time.perf_counter()
        subprocess.run([*srm, "--db", str(db), "import", kind, str(files[kind])], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        timings[kind] = time.perf_counter() - t0
    return timings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suppliers", type=int, default=500)
    ap.add_argument("--interactions", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--end", default="2026-11-25", help="the last day of history")
    ap.add_argument("--db", required=True, help="journal file to create (must not exist)")
    ap.add_argument("--keep-csv", help="folder to keep the generated CSV files in")
    args = ap.parse_args()
    db = Path(args.db)
    if db.exists():
        sys.exit(f"{db} exists; give a new file")
    folder = Path(args.keep_csv) if args.keep_csv else Path(tempfile.mkdtemp(prefix="srm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    files = generate(folder, args.suppliers, args.interactions, args.years, args.seed,
                     date.fromisoformat(args.end))  # fmt: skip
    gen = time.perf_counter() - t0
    srm = [sys.executable, "-m", "srmcli"]
    timings = load(files, db, srm)
    print(f"generated CSV in {gen:.1f} s; imported: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))  # fmt: skip
    print(f"journal: {db} ({os.path.getsize(db) / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
