"""SQLite and PostgreSQL give the same answers (SPEC §13): the same test body runs on
each backend — search over numbers, signs, case and accents, and money printed alike in
JSON, CSV and tables. The PostgreSQL side needs `SRM_TEST_DATABASE_URL` (CI sets it)."""

from __future__ import annotations

import csv
import io
import os

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, srm, monkeypatch):
    """`srm` on a SQLite file, then on the test server, whichever run this is."""
    server = os.environ.get("SRM_TEST_DATABASE_URL", "").strip()
    if request.param == "postgresql":
        if not server:
            pytest.skip("needs a PostgreSQL server: set SRM_TEST_DATABASE_URL (CI does)")
        monkeypatch.setenv("SRM_DATABASE_URL", server)
    else:
        monkeypatch.delenv("SRM_DATABASE_URL", raising=False)  # the test's own SQLite file
    return srm


NOTES = [
    "Offered -5% on the castings",
    "Price up 5.5% from January",
    "Müller called about tolerances",
    "Muller sent the invoice",
    "e-mail from jo@acme.example about PO-4411",
    "ÜBER-urgent delivery",
    "Résumé of the audit",
    "Straße closed, trucks late",
    "Paid 50 EUR – no more",
]

SEARCHES = {
    "5": ["Offered -5% on the castings", "Price up 5.5% from January", "Paid 50 EUR – no more"],
    "-5%": ["Offered -5% on the castings", "Price up 5.5% from January", "Paid 50 EUR – no more"],
    # words are runs of letters and digits on both: `5.5` is two words, each `5…`
    "5.5": ["Offered -5% on the castings", "Price up 5.5% from January", "Paid 50 EUR – no more"],
    "Müller": ["Müller called about tolerances", "Muller sent the invoice"],
    "muller": ["Müller called about tolerances", "Muller sent the invoice"],
    "MÜLLER invoice": ["Muller sent the invoice"],
    "über urgent": ["ÜBER-urgent delivery"],
    "resume": ["Résumé of the audit"],
    "RÉSUMÉ": ["Résumé of the audit"],
    "acme example": ["e-mail from jo@acme.example about PO-4411"],
    "mail 4411": ["e-mail from jo@acme.example about PO-4411"],
    "straße": ["Straße closed, trucks late"],
    "strasse": [],  # FTS5 does not turn ß into ss, and so neither does the server
    "eur no": ["Paid 50 EUR – no more"],
    "castings january": [],
}


def test_search_finds_the_same_notes_on_either_backend(backend) -> None:
    backend("supplier", "add", "Acme", ok=True)
    for day, note in enumerate(NOTES, 1):
        backend("log", "Acme", "--date", f"2026-11-{day:02d}", "--", note, ok=True)
    found = {
        words: sorted(
            r["note"] for r in backend("search", "-f", "json", "--", words, ok=True).json()
        )
        for words in SEARCHES
    }
    assert found == {words: sorted(notes) for words, notes in SEARCHES.items()}


def test_money_prints_the_same_in_json_csv_and_tables(backend) -> None:
    backend("supplier", "add", "Acme", "--annual-spend", "150000", "--supplier-revenue",
            "150000.5", ok=True)  # fmt: skip
    backend("supplier", "add", "Brightline", "--annual-spend", "0.1", "--supplier-revenue",
            "123456789012.25", ok=True)  # fmt: skip
    as_json = {
        s["name"]: (s["annual_spend"], s["supplier_revenue"])
        for s in backend("supplier", "list", "-f", "json", ok=True).json()
    }
    assert as_json == {"Acme": (150000, 150000.5), "Brightline": (0.1, 123456789012.25)}
    assert '"annual_spend": 150000,' in backend("supplier", "show", "Acme", "-f", "json").stdout
    exported = list(csv.DictReader(io.StringIO(backend("export", "suppliers", ok=True).stdout)))
    assert [(r["annual_spend"], r["supplier_revenue"]) for r in exported] == [
        ("150000", "150000.5"),
        ("0.1", "123456789012.25"),
    ]
    table = backend("supplier", "show", "Acme", ok=True).stdout
    assert "150000.0" not in table
    lines = {line.split("  ")[0]: line.split()[-1] for line in table.splitlines() if "  " in line}
    assert lines["annual spend"] == "150000" and lines["supplier revenue"] == "150000.5"


def test_money_with_more_digits_than_both_keep_is_refused(backend) -> None:
    backend("supplier", "add", "Acme", ok=True)
    ran = backend("supplier", "edit", "Acme", "--annual-spend", "1234567890123456")
    assert ran.exit_code == 1
    assert ran.stderr == (
        "Error: --annual-spend '1234567890123456' is not accepted; give a number of at most "
        "15 digits (e.g. 150000 or 150000.5)\n"
    )
