"""Fuzzing every free-text and date option through the command line.

Whatever a buyer types (or a script pastes), srm answers with exit 0, a one-line
`Error:` and exit 1, or a usage error (exit 2) — never a traceback (the `srm` fixture
re-raises any unexpected exception) — and a command that fails leaves every table
exactly as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# what people really type, and what breaks parsers: signs, quotes, wildcards, formula
# starts, huge numbers, impossible dates, control characters
AWKWARD = [
    "", " ", "-", "--", "=1+1", "@sum", "'", '"', "*", "%", "_", "\\", "\x00", "\r", "\t",
    "now", "today", "tomorrow", "yesterday", "friday", "last friday", "next friday",
    "3 days ago", "in 2 weeks", "0 days ago", "in 99999999999 days", "99999999999 weeks ago",
    "2026-02-30", "2026-13-01", "0001-01-01", "9999-12-31", "9999-12-31 23:59",
    "2026-11-20 25:61", "2026-11-20T14:30:00+02:00", "1e9", "-5", "NaN", "ＦＲＩＤＡＹ",
]  # fmt: skip

free_text = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=40))
when = st.one_of(
    st.sampled_from(AWKWARD),
    st.from_regex(r"(in )?[0-9]{1,14} (day|days|week|weeks)( ago)?", fullmatch=True),
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat(sep=" ", timespec="minutes")),
    st.text(max_size=20),
)
number = st.one_of(st.sampled_from(AWKWARD), st.integers().map(str), st.text(max_size=6))


log_when = when
cadence = number


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order: "nothing written" is this, unchanged."""
    from sqlmodel import SQLModel

    import srmcli.models  # noqa: F401
    from srmcli import db

    try:
        with db.connection() as conn:
            return {
                table.name: [
                    tuple(row)
                    for row in conn.execute(
                        table.select().order_by(*table.primary_key.columns)
                    ).all()
                ]
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        db.dispose()


def attempt(srm, *args: str) -> Any:
    """Run one command; check the exit contract and that a failure wrote nothing."""
    before = snapshot()
    ran = srm(*args)
    assert ran.exit_code in (0, 1, 2), ran
    assert "Traceback" not in ran.stderr
    if ran.exit_code == 1:
        assert ran.stderr.startswith("Error: "), ran
        assert len(ran.stderr.strip().splitlines()) == 1, ran
    if ran.exit_code != 0:
        assert snapshot() == before, f"a failed command changed the journal: {args!r}"
    return ran


@pytest.fixture
def acme(srm) -> None:
    srm("supplier", "add", "Acme", ok=True)
    srm("contact", "add", "Acme", "Pat Lee", "--role", "sales", ok=True)
    srm("log", "Acme", "Kickoff call", "--with", "pat", "--date", "2026-11-20", ok=True)


@FUZZ
@given(note=free_text, tag=free_text, date=log_when, due=when, follow_up=free_text)
def test_log(srm, acme, note, tag, date, due, follow_up) -> None:
    attempt(srm, "log", "Acme", note, "--tag", tag, "--date", date)
    attempt(srm, "log", "Acme", "Promised drawings", "--follow-up", follow_up, "--due", due)


@FUZZ
@given(name=free_text, note=free_text, alias=free_text, category=free_text, cadence=cadence)
def test_supplier_add(srm, acme, name, note, alias, category, cadence) -> None:
    attempt(
        srm, "supplier", "add", name, "--note", note, "--alias", alias, "--category", category,
        "--cadence", cadence,
    )  # fmt: skip


@FUZZ
@given(name=free_text, title=free_text, email=free_text, phone=free_text, note=free_text)
def test_contact_add(srm, acme, name, title, email, phone, note) -> None:
    attempt(
        srm, "contact", "add", "Acme", name, "--role", "quality", "--title", title,
        "--email", email, "--phone", phone, "--note", note,
    )  # fmt: skip


@FUZZ
@given(description=free_text, date=when, severity=number)
def test_issue_open(srm, acme, description, date, severity) -> None:
    attempt(
        srm, "issue", "open", "Acme", "late-delivery", description, "--date", date,
        "--severity", severity,
    )  # fmt: skip


@FUZZ
@given(text=free_text, due=when)
def test_followup_add(srm, acme, text, due) -> None:
    attempt(srm, "followup", "add", "Acme", text, "--due", due, "--owner", "them")


@FUZZ
@given(text=free_text, supplier=free_text)
def test_search(srm, acme, text, supplier) -> None:
    ran = attempt(srm, "search", text, "-f", "json")
    if ran.exit_code == 0:
        assert isinstance(ran.json(), list)
    attempt(srm, "search", "kick", "--supplier", supplier)


@FUZZ
@given(start=when, end=when)
def test_timeline(srm, acme, start, end) -> None:
    attempt(srm, "timeline", "Acme", "--from", start, "--to", end, "-f", "json")


@FUZZ
@given(as_of=when, window=number)
def test_report(srm, acme, as_of, window) -> None:
    attempt(srm, "report", "--as-of", as_of, "--window", window, "-f", "json")
    attempt(srm, "report", "Acme", "--as-of", as_of, "--window", window, "-f", "json")


@FUZZ
@given(start=when, end=when, author=free_text)
def test_export(srm, acme, start, end, author) -> None:
    for kind in ("interactions", "issues", "followups", "suppliers"):
        attempt(srm, "export", kind, "--from", start, "--to", end, "-f", "jsonl")
    attempt(srm, "export", "interactions", "--author", author)


# ------------------------------------------------------------ findings, now fixed


@pytest.mark.sqlite_only
def test_a_log_dated_before_the_year_1000_reads_back(srm, acme) -> None:
    ran = attempt(srm, "log", "Acme", "Archive note", "--date", "0943-08-20")
    if ran.exit_code == 0:
        rows = srm("timeline", "Acme", "-f", "json", ok=True).json()
        assert rows[0]["occurred_at"] == "0943-08-20T00:00:00"


@pytest.mark.sqlite_only
def test_a_huge_cadence_is_one_error_line(srm, acme) -> None:
    ran = attempt(srm, "supplier", "add", "Brightline", "--cadence", "99999999999999999999")
    assert ran.exit_code == 1
