"""Capture (SPEC §12): supplier domains, and meetings, mail threads and vCards imported
from files written the way Outlook, Google, Apple and mail programs write them.

The clock is fixed at 2026-11-25 10:30 (conftest) and the machine's zone is set to
Amsterdam for each test, so the Outlook sample's times read as its buyer saw them.
"""

from __future__ import annotations

import mailbox
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

# copies of shared/samples: an Outlook export, an mbox and an address book's vCards
SAMPLES = Path(__file__).parent / "samples"
OUTLOOK = SAMPLES / "outlook-calendar.ics"
MBOX = SAMPLES / "suppliers.mbox"
VCARDS = SAMPLES / "contacts.vcf"


@pytest.fixture(autouse=True)
def amsterdam(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def in_zone(monkeypatch: pytest.MonkeyPatch, zone: str) -> None:
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture
def suppliers(srm) -> None:
    srm("supplier", "add", "Northwind Metals BV", "--alias", "NWM", "--domain",
        "northwind.example", ok=True)  # fmt: skip
    srm("supplier", "add", "Müller Präzision GmbH", "--domain", "mueller-praezision.example",
        ok=True)  # fmt: skip
    srm("supplier", "add", "Lumen Castings", "--domain", "lumen-castings.example", ok=True)
    srm("contact", "add", "Northwind", "Alice Moreau", "--role", "sales", "--email",
        "alice.moreau@northwind.example", ok=True)  # fmt: skip


def interactions(srm, supplier: str | None = None) -> list[dict[str, Any]]:
    args = ["export", "interactions", "-f", "json"]
    if supplier:
        args += ["--supplier", supplier]
    rows: list[dict[str, Any]] = srm(*args, ok=True).json()
    return sorted(rows, key=lambda r: (r["supplier"], r["occurred_at"]))


def contacts(srm) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in srm("export", "contacts", "-f", "json", ok=True).json()}


def write(tmp_path: Path, name: str, text: str, newline: str = "\r\n") -> str:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return str(path)


# -- supplier domains -------------------------------------------------------------------


def test_domains_are_kept_in_the_record_and_cleaned(srm) -> None:
    rec = srm("supplier", "add", "Acme", "--domain", "@Acme.Example", "--domain", "acme.example",
              "-f", "json", ok=True).json()  # fmt: skip
    assert rec["domains"] == ["acme.example"]
    assert list(rec)[:4] == ["id", "name", "aliases", "domains"]
    rec = srm("supplier", "edit", "Acme", "--domain", "acme-eu.example", "--remove-domain",
              "acme.example", "-f", "json", ok=True).json()  # fmt: skip
    assert rec["domains"] == ["acme-eu.example"]


@pytest.mark.parametrize("bad", ["acme", "acme .example", "a@acme.example", "-acme.example", ""])
def test_a_domain_that_is_not_one_is_refused(srm, bad: str) -> None:
    r = srm("supplier", "add", "Acme", "--domain", bad)
    assert r.exit_code == 1 and "is not an email domain" in r.stderr
    assert srm("supplier", "list", "-f", "json", ok=True).json() == []


def test_a_domain_belongs_to_one_supplier(srm) -> None:
    srm("supplier", "add", "Acme", "--domain", "acme.example", ok=True)
    r = srm("supplier", "add", "Other", "--domain", "ACME.example")
    assert r.exit_code == 1
    assert "Error: the domain acme.example is already used by supplier 'Acme'" in r.stderr
    srm("supplier", "add", "Other", ok=True)
    r = srm("supplier", "edit", "Other", "--domain", "acme.example")
    assert r.exit_code == 1 and "supplier 'Acme'" in r.stderr
    r = srm("supplier", "edit", "Other", "--remove-domain", "acme.example")
    assert r.exit_code == 1 and "has no domain 'acme.example'" in r.stderr


def test_domains_export_and_import_back(srm, tmp_path: Path) -> None:
    srm("supplier", "add", "Acme", "--domain", "acme.example", "--domain", "acme.de", ok=True)
    out = tmp_path / "s.csv"
    srm("export", "suppliers", "-o", str(out), ok=True)
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("id,name,aliases,domains,category")
    assert "acme.example;acme.de" in text
    srm("supplier", "rm", "Acme", ok=True)
    srm("import", "suppliers", str(out), ok=True)
    assert srm("supplier", "show", "Acme", "-f", "json", ok=True).json()["domains"] == [
        "acme.example", "acme.de"
    ]  # fmt: skip
    clash = write(tmp_path, "clash.csv", "name,domains\nZed,acme.de\n", "\n")
    r = srm("import", "suppliers", clash)
    assert r.exit_code == 1
    assert "line 2: domains: the domain acme.de is already used by supplier 'Acme'" in r.stderr


# -- calendar -----------------------------------------------------------------------------


def test_outlook_calendar_becomes_interactions_once(srm, suppliers) -> None:
    r = srm("import", "calendar", str(OUTLOOK), ok=True)
    # weekly call: Oct 6 … Nov 24 less the EXDATE of Oct 27 = 7; the Teams review = 1
    assert "added 8 interactions (Northwind Metals BV 8)" in r.stderr
    assert "1 cancelled" in r.stderr and "1 private" in r.stderr and "1 not over yet" in r.stderr
    assert "2 people at northwind.example are not contacts" in r.stderr
    assert "Chen, Bob <bob.chen@northwind.example>" in r.stderr
    rows = interactions(srm)
    assert {r["supplier"] for r in rows} == {"Northwind Metals BV"}
    weekly = [r for r in rows if r["note"].startswith("Weekly expedite call")]
    # 09:30 in Amsterdam on both sides of the change from summer time (Oct 25)
    assert [w["occurred_at"] for w in weekly] == [
        "2026-10-06T09:30:00", "2026-10-13T09:30:00", "2026-10-20T09:30:00",
        "2026-11-03T09:30:00", "2026-11-10T09:30:00", "2026-11-17T09:30:00",
        "2026-11-24T09:30:00",
    ]  # fmt: skip
    assert {(w["channel"], w["initiator"], w["duration_min"]) for w in weekly} == {
        ("meeting", "us", 30)
    }
    assert all(w["contacts"] == ["Alice Moreau"] and w["tags"] == ["calendar"] for w in weekly)
    (teams,) = [r for r in rows if r["note"].startswith("Q1 price review")]
    assert teams["occurred_at"] == "2026-11-18T14:00:00"  # 13:00 UTC
    assert (teams["channel"], teams["initiator"], teams["duration_min"]) == ("video", "them", 75)
    assert teams["note"] == "Q1 price review (8% increase proposal)"

    again = srm("import", "calendar", str(OUTLOOK), ok=True)
    assert "added 0 interactions" in again.stderr and "8 already in the journal" in again.stderr
    assert len(interactions(srm)) == 8


def test_times_are_read_in_the_machines_own_zone(
    srm, suppliers, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_zone(monkeypatch, "America/New_York")
    srm("import", "calendar", str(OUTLOOK), ok=True)
    rows = interactions(srm)
    (teams,) = [r for r in rows if r["note"].startswith("Q1")]
    assert teams["occurred_at"] == "2026-11-18T08:00:00"
    weekly = [r["occurred_at"] for r in rows if r["note"].startswith("Weekly")]
    assert weekly[0] == "2026-10-06T03:30:00" and weekly[3] == "2026-11-03T03:30:00"


def test_add_contacts_adds_the_people_at_the_domain(srm, suppliers) -> None:
    before = contacts(srm)
    r = srm("import", "calendar", str(OUTLOOK), "--add-contacts", "--dry-run", ok=True)
    # a dry run says what it would do, and does not claim to have done it
    assert "Would add 2 contacts (role other)." in r.stderr and "Added" not in r.stderr
    assert contacts(srm) == before
    r = srm("import", "calendar", str(OUTLOOK), "--add-contacts", ok=True)
    assert "Added 2 contacts (role other)." in r.stderr and "not contacts" not in r.stderr
    people = contacts(srm)
    assert people["Chen, Bob"]["role"] == "other"
    assert people["Chen, Bob"]["email"] == "bob.chen@northwind.example"
    (teams,) = [r for r in interactions(srm) if r["note"].startswith("Q1")]
    assert sorted(teams["contacts"]) == ["Alice Moreau", "de Vries, Piet"]


def test_dry_run_and_date_range(srm, suppliers) -> None:
    r = srm("import", "calendar", str(OUTLOOK), "--dry-run", ok=True)
    assert "dry run, nothing written" in r.stderr and "added 8 interactions" in r.stderr
    assert interactions(srm) == []
    r = srm("import", "calendar", str(OUTLOOK), "--from", "2026-11-01", "--to", "2026-11-17",
            ok=True)  # fmt: skip
    assert "added 3 interactions" in r.stderr and "2 outside --from/--to" in r.stderr
    days = [r["occurred_at"][:10] for r in interactions(srm)]
    assert days == ["2026-11-03", "2026-11-10", "2026-11-17"]


def test_with_description_adds_the_events_text(srm, suppliers) -> None:
    srm("import", "calendar", str(OUTLOOK), "--with-description", "--from", "2026-11-18",
        "--to", "2026-11-18", ok=True)  # fmt: skip
    (teams,) = interactions(srm)
    assert teams["note"].startswith("Q1 price review (8% increase proposal)\n\n____")
    assert (
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
        in (teams["note"])
    )


GOOGLE = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:pat.buyer@ourco.example
X-WR-TIMEZONE:Europe/Berlin
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261102T160000
DTEND;TZID=Europe/Berlin:20261102T163000
RRULE:FREQ=WEEKLY;BYDAY=MO
DTSTAMP:20261125T090000Z
ORGANIZER;CN=Sam Lumen:mailto:sam@lumen-castings.example
UID:7kukuqrfedlm2f9t2vn5u8b5hj@google.com
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=pat.buyer
 @ourco.example;X-NUM-GUESTS=0:mailto:pat.buyer@ourco.example
ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=DECLINED;CN=Lee Lume
 n;X-NUM-GUESTS=0:mailto:lee@lumen-castings.example
DESCRIPTION:Join with Google Meet: https://meet.google.com/abc-defg-hij\\nOr d
 ial: +1 555-0100
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Lumen weekly [red]sync[/]
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261111T100000
DTEND;TZID=Europe/Berlin:20261111T110000
DTSTAMP:20261125T090000Z
UID:7kukuqrfedlm2f9t2vn5u8b5hj@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20261109T160000
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Lumen weekly [red]sync[/] (moved)
ORGANIZER;CN=Sam Lumen:mailto:sam@lumen-castings.example
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261116T160000
DTEND;TZID=Europe/Berlin:20261116T163000
UID:7kukuqrfedlm2f9t2vn5u8b5hj@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20261116T160000
STATUS:CANCELLED
SUMMARY:Lumen weekly [red]sync[/]
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261119
DTEND;VALUE=DATE:20261120
UID:allday-1@google.com
SUMMARY:Supplier day at Lumen and Northwind
ORGANIZER:mailto:pat.buyer@ourco.example
ATTENDEE:mailto:sam@lumen-castings.example
ATTENDEE:mailto:alice.moreau@northwind.example
END:VEVENT
BEGIN:VEVENT
DTSTART:20261120T150000
DTEND:20261120T153000
UID:floating-1@google.com
SUMMARY:Floating call
ORGANIZER:mailto:pat.buyer@ourco.example
ATTENDEE:mailto:sam@lumen-castings.example
LOCATION:https://us02web.zoom.us/j/8888
END:VEVENT
END:VCALENDAR
"""


def test_google_calendar_recurrence_moves_cancellations_and_all_day(
    srm, suppliers, tmp_path: Path
) -> None:
    path = write(tmp_path, "google.ics", GOOGLE, "\n")  # LF, as some exports are saved
    r = srm("import", "calendar", path, ok=True)
    rows = interactions(srm, "Lumen")
    weekly = [r for r in rows if r["note"].startswith("Lumen weekly")]
    # Nov 2, (Nov 9 moved to Nov 11), Nov 16 cancelled, Nov 23; Nov 30 is not yet
    assert [w["occurred_at"] for w in weekly] == [
        "2026-11-02T16:00:00", "2026-11-11T10:00:00", "2026-11-23T16:00:00"
    ]  # fmt: skip
    assert weekly[0]["note"] == "Lumen weekly [red]sync[/]"  # text is data
    assert weekly[1]["note"] == "Lumen weekly [red]sync[/] (moved)"
    assert weekly[0]["channel"] == "video" and weekly[0]["initiator"] == "them"
    assert weekly[0]["contacts"] == []  # Lee declined; Sam is not a contact
    assert "1 cancelled" in r.stderr
    (day,) = [r for r in rows if r["note"].startswith("Supplier day")]
    assert day["occurred_at"] == "2026-11-19T00:00:00" and day["duration_min"] is None
    (north,) = interactions(srm, "Northwind")  # one interaction with each supplier present
    assert north["note"] == "Supplier day at Lumen and Northwind"
    assert north["contacts"] == ["Alice Moreau"] and north["initiator"] == "us"
    (floating,) = [r for r in rows if r["note"] == "Floating call"]
    assert floating["occurred_at"] == "2026-11-20T15:00:00" and floating["channel"] == "video"
    assert "sam@lumen-castings.example" in r.stderr and "lee@" not in r.stderr
    again = srm("import", "calendar", path, ok=True)
    assert "added 0 interactions" in again.stderr


CUSTOM_ZONE_LATE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Apple Inc.//macOS 14//EN
BEGIN:VEVENT
UID:apple-1
DTSTART;TZID=Customized Time Zone:20261110T090000
DURATION:PT45M
SUMMARY:Review with Alice
ATTENDEE;CN="Alice Moreau":mailto:alice.moreau@northwind.example
END:VEVENT
BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0530
TZOFFSETTO:+0530
END:STANDARD
END:VTIMEZONE
END:VCALENDAR
"""


def test_a_time_zone_defined_after_its_event_is_used(srm, suppliers, tmp_path: Path) -> None:
    srm("import", "calendar", write(tmp_path, "apple.ics", CUSTOM_ZONE_LATE), ok=True)
    (row,) = interactions(srm)
    # 09:00 at +05:30 is 03:30 UTC, 04:30 in Amsterdam
    assert row["occurred_at"] == "2026-11-10T04:30:00" and row["duration_min"] == 45


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (CUSTOM_ZONE_LATE.replace("TZID=Customized", "TZID=Nowhere"),
         "line 4: the time zone 'Nowhere Time Zone' is neither defined"),
        (GOOGLE.replace("DTSTART:20261120T150000", "DTSTART:2026112"),
         "line 53: the VEVENT's DTSTART cannot be read"),
        (GOOGLE.replace("END:VCALENDAR\n", ""), "line 1: BEGIN:VCALENDAR is never closed"),
        (GOOGLE.replace("UID:floating-1@google.com\n", ""), "line 53: the event has no UID"),
        (GOOGLE.replace("Floating call", "Floating\x00call"), "line 57: holds a NUL byte"),
        ("hello\n", "line 1: 'hello' is outside any BEGIN:VCALENDAR"),
        (GOOGLE.replace("UID:floating-1@google.com\n",
                        'UID:floating-1@google.com\nORGANIZER;CN="x\x07y":mailto:a@b.example\n'),
         "line 57: a line of the VEVENT cannot be read"),
    ],
)  # fmt: skip
def test_a_malformed_calendar_is_refused_whole(
    srm, suppliers, tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, "bad.ics", text)
    r = srm("import", "calendar", path)
    assert r.exit_code == 1 and r.stderr.startswith("Error: ")
    assert f"{path}: {message}" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert interactions(srm) == []


def test_not_utf8_is_refused(srm, suppliers, tmp_path: Path) -> None:
    path = tmp_path / "latin1.ics"
    path.write_bytes(GOOGLE.replace("Floating call", "Café").encode("latin-1"))
    r = srm("import", "calendar", str(path))
    assert r.exit_code == 1 and "line 57: not UTF-8 text" in r.stderr


def test_options_of_another_kind_are_refused(srm, tmp_path: Path) -> None:
    path = write(tmp_path, "x.ics", GOOGLE)
    r = srm("import", "calendar", path, "--with-body")
    assert r.exit_code == 1 and "--with-body belongs to `srm import mail`" in r.stderr
    r = srm("import", "suppliers", path, "--add-contacts")
    assert r.exit_code == 1 and "--add-contacts belongs to" in r.stderr


# -- mail -----------------------------------------------------------------------------------


def test_mbox_threads_become_one_interaction_per_day(srm, suppliers) -> None:
    r = srm("import", "mail", str(MBOX), "--with-body", ok=True)
    assert "added 2 interactions" in r.stderr
    assert "1 no supplier's people on it" in r.stderr  # the newsletter
    assert "1 message joined the interaction of their thread that day." in r.stderr
    assert "1 person at mueller-praezision.example is not a contact: Jürgen Weiß" in r.stderr
    (north,) = interactions(srm, "Northwind")
    assert north["channel"] == "email" and north["initiator"] == "them"
    assert north["occurred_at"] == "2026-11-16T09:02:11"
    assert north["contacts"] == ["Alice Moreau"]
    assert north["note"] == "New ship date for PO 4411\n\nHi Pat,"
    (weiss,) = interactions(srm, "Müller")
    assert weiss["note"] == "8D report for the burrs on M8\n\nHallo Pat,"
    assert weiss["initiator"] == "them" and weiss["contacts"] == []
    again = srm("import", "mail", str(MBOX), ok=True)
    assert "added 0 interactions" in again.stderr and "3 already in the journal" in again.stderr


def message(
    mid: str, sender: str, to: str, subject: str, date: str, body: str, **headers: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["Message-ID"] = f"<{mid}>"
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = date
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body, cte="quoted-printable")
    return msg


def test_eml_folder_maildir_and_one_file(srm, suppliers, tmp_path: Path) -> None:
    first = message("m1@northwind.example", "Alice Moreau <alice.moreau@northwind.example>",
                    "pat@ourco.example", "Ship date", "Tue, 10 Nov 2026 08:00:00 +0000",
                    "Ship date moved to\nthe 27th — sorry.\n\nRegards")  # fmt: skip
    reply = message("m2@ourco.example", "pat@ourco.example", "alice.moreau@northwind.example",
                    "Re: Ship date", "Wed, 11 Nov 2026 08:00:00 +0000", "Not good.",
                    In_Reply_To="<m1@northwind.example>", References="<m1@northwind.example>")  # fmt: skip
    folder = tmp_path / "eml"
    folder.mkdir()
    (folder / "1.eml").write_bytes(first.as_bytes())
    (folder / "2.eml").write_bytes(reply.as_bytes())
    (folder / "notes.txt").write_text("not mail")
    r = srm("import", "mail", str(folder), "--with-body", ok=True)
    assert "added 2 interactions" in r.stderr  # the reply came a day later
    rows = interactions(srm)
    assert [(x["initiator"], x["occurred_at"]) for x in rows] == [
        ("them", "2026-11-10T09:00:00"), ("us", "2026-11-11T09:00:00")
    ]  # fmt: skip
    assert rows[0]["note"] == "Ship date\n\nShip date moved to\nthe 27th — sorry."
    box = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    box.add(first.as_bytes())
    box.add(reply.as_bytes())
    assert (
        "added 0 interactions" in srm("import", "mail", str(tmp_path / "Maildir"), ok=True).stderr
    )
    srm("interaction", "rm", str(rows[1]["id"]), ok=True)
    r = srm("import", "mail", str(folder / "2.eml"), ok=True)
    assert "added 0 interactions" in r.stderr  # removed on purpose: not brought back


def test_a_later_message_of_the_same_thread_and_day_joins(srm, suppliers, tmp_path: Path) -> None:
    first = message("a@northwind.example", "alice.moreau@northwind.example", "pat@ourco.example",
                    "Drawing rev C", "Tue, 10 Nov 2026 08:00:00 +0000", "See attached.")  # fmt: skip
    later = message("b@ourco.example", "pat@ourco.example", "alice.moreau@northwind.example",
                    "RE: Drawing rev C", "Tue, 10 Nov 2026 15:00:00 +0000", "Thanks.",
                    References="<a@northwind.example>")  # fmt: skip
    srm("import", "mail", write(tmp_path, "a.eml", first.as_string()), ok=True)
    r = srm("import", "mail", write(tmp_path, "b.eml", later.as_string()), ok=True)
    assert "added 0 interactions" in r.stderr and "1 message joined" in r.stderr
    assert len(interactions(srm)) == 1


def test_the_body_never_comes_from_an_attachment(srm, suppliers, tmp_path: Path) -> None:
    msg = message("att@northwind.example", "alice.moreau@northwind.example", "pat@ourco.example",
                  "Certificates", "Tue, 10 Nov 2026 08:00:00 +0000", "Certificates attached.")  # fmt: skip
    msg.add_attachment("SECRET FROM THE ATTACHMENT\n", filename="cert.txt")
    only = EmailMessage()
    for name in ("From", "To", "Date"):
        only[name] = msg[name]
    only["Subject"] = "Just a file"
    only["Message-ID"] = "<only@northwind.example>"
    only.add_attachment(b"%PDF-1.4 binary", maintype="application", subtype="pdf",
                        filename="x.pdf")  # fmt: skip
    folder = tmp_path / "att"
    folder.mkdir()
    (folder / "a.eml").write_bytes(msg.as_bytes())
    (folder / "b.eml").write_bytes(only.as_bytes())
    srm("import", "mail", str(folder), "--with-body", ok=True)
    notes = sorted(r["note"] for r in interactions(srm))
    assert notes == ["Certificates\n\nCertificates attached.", "Just a file"]


def test_a_supplier_message_without_a_date_is_refused(srm, suppliers, tmp_path: Path) -> None:
    good = message("g@northwind.example", "alice.moreau@northwind.example", "pat@ourco.example",
                   "Fine", "Tue, 10 Nov 2026 08:00:00 +0000", "ok")  # fmt: skip
    bad = message("b@northwind.example", "alice.moreau@northwind.example", "pat@ourco.example",
                  "Broken", "yesterday-ish", "ok")  # fmt: skip
    path = tmp_path / "box.mbox"
    box = mailbox.mbox(str(path))
    box.add(good)
    box.add(bad)
    box.close()
    r = srm("import", "mail", str(path))
    assert r.exit_code == 1
    assert f"Error: {path}: message 2: the message has no readable Date" in r.stderr
    assert interactions(srm) == []


def test_a_missing_mail_path_is_refused(srm, tmp_path: Path) -> None:
    r = srm("import", "mail", str(tmp_path / "nope"))
    assert r.exit_code == 1 and "no such file or folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = srm("import", "mail", str(tmp_path / "empty"))
    assert r.exit_code == 1 and "holds no .eml files and is not a Maildir" in r.stderr


@pytest.mark.parametrize("name", ["calendar.ics", "notes.eml"])
def test_a_file_that_is_not_mail_is_refused(srm, suppliers, tmp_path: Path, name: str) -> None:
    """A calendar or a text file given to `import mail` is a mistake, not a mailbox with
    nothing of a supplier's in it."""
    text = GOOGLE if name.endswith(".ics") else "Shopping list\n\nmilk, bread\n"
    path = write(tmp_path, name, text)
    r = srm("import", "mail", path)
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {path}: not a mail message")
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


# -- vCards ----------------------------------------------------------------------------------


def test_vcards_of_both_versions_become_contacts_once(srm, suppliers) -> None:
    r = srm("import", "vcards", str(VCARDS), ok=True)
    assert "added 2 contacts" in r.stderr and "1 already a contact" in r.stderr
    assert "No supplier for: Support Desk (Brightline Components)" in r.stderr
    people = contacts(srm)
    assert people["Piet de Vries"]["role"] == "executive"
    assert people["Piet de Vries"]["supplier"] == "Northwind Metals BV"
    weiss = people["Jürgen Weiß"]
    assert (weiss["supplier"], weiss["role"], weiss["phone"]) == (
        "Müller Präzision GmbH", "quality", "+49-711-555-0123"
    )  # fmt: skip
    assert weiss["note"] == "Met at the supplier day, prefers calls before 10"
    assert "added 0 contacts" in srm("import", "vcards", str(VCARDS), ok=True).stderr
    srm("supplier", "add", "Brightline Components", ok=True)  # found by its organisation now
    r = srm("import", "vcards", str(VCARDS), ok=True)
    assert "added 1 contact" in r.stderr
    assert contacts(srm)["Support Desk"]["role"] == "customer-service"


APPLE_VCARDS = """BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//macOS 14.0//EN
N:Lumen;Sam;;;
FN:Sam Lumen
ORG:Lumen Castings Ltd;
TITLE:Operations Manager
EMAIL;type=INTERNET;type=WORK;type=pref:sam@lumen-castings.example
TEL;type=CELL;type=VOICE;type=pref:+44 20 7946 0000
item1.ADR;type=WORK;type=pref:;;1 Foundry Road;Sheffield;;S1 2AB;UK
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Kim Lee
EMAIL;PREF=2:kim.private@example.org
EMAIL;PREF=1:kim.lee@lumen-castings.example
TITLE:Accounts Payable
END:VCARD
"""


def test_apple_and_vcard4_shapes(srm, suppliers, tmp_path: Path) -> None:
    path = write(tmp_path, "apple.vcf", APPLE_VCARDS)
    r = srm("import", "vcards", path, "--dry-run", ok=True)
    assert "added 2 contacts" in r.stderr and contacts(srm).keys() == {"Alice Moreau"}
    srm("import", "vcards", path, ok=True)
    people = contacts(srm)
    assert people["Sam Lumen"]["role"] == "operations"  # by its email domain
    assert people["Sam Lumen"]["phone"] == "+44 20 7946 0000"
    assert people["Kim Lee"]["email"] == "kim.lee@lumen-castings.example"
    assert people["Kim Lee"]["role"] == "finance"


def test_supplier_option_and_a_malformed_card(srm, suppliers, tmp_path: Path) -> None:
    path = write(tmp_path, "x.vcf", APPLE_VCARDS)
    srm("import", "vcards", path, "--supplier", "NWM", ok=True)
    assert contacts(srm)["Sam Lumen"]["supplier"] == "Northwind Metals BV"
    broken = write(
        tmp_path, "broken.vcf", APPLE_VCARDS.replace("FN:Kim Lee\n", "FN:Kim Lee\nnot a line\n")
    )
    r = srm("import", "vcards", broken)
    # the 15th line of the file, as an editor numbers it (CRLF line ends)
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {broken}: line 15: ")
    assert "not a valid vCard" in r.stderr and "At line" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    folded = write(
        tmp_path,
        "folded.vcf",
        APPLE_VCARDS.replace(
            "FN:Kim Lee\n", "FN:Kim Lee\nNOTE:a long\n  note\nbad line with\n  a fold\n"
        ),
        newline="\n",
    )
    r = srm("import", "vcards", folded)
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: {folded}: line 17: "), r.stderr


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Key Account Manager", "sales"), ("VP Sales", "sales"),
        ("Customer Service Representative", "customer-service"),
        ("Plant Manager", "operations"), ("Production Lead", "operations"),
        ("Senior Process Engineer", "engineering"), ("Quality Director", "quality"),
        ("Leiter Qualitätssicherung", "quality"), ("Shipping Coordinator", "logistics"),
        ("Accounts Receivable", "finance"), ("Finance Manager", "finance"),
        ("President & CEO", "executive"), ("Managing Director", "executive"),
        ("Geschäftsführer", "executive"), ("Receptionist", "other"), (None, "other"),
    ],
)  # fmt: skip
def test_role_from_title(title: str | None, role: str) -> None:
    from srmcli.services.capture import role_from_title

    assert role_from_title(title) == role


def test_capture_reads_no_network(srm, suppliers, tmp_path: Path, monkeypatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("capture tried to reach the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    srm("import", "calendar", write(tmp_path, "g.ics", GOOGLE), ok=True)
    srm("import", "vcards", write(tmp_path, "a.vcf", APPLE_VCARDS), ok=True)


OUTLOOK_EVENT = """BEGIN:VCALENDAR
VERSION:2.0
BEGIN:VEVENT
UID:with-extras
DTSTART:20261110T090000Z
DTEND:20261110T093000Z
SUMMARY:Tooling review
ORGANIZER:mailto:alice.moreau@northwind.example
X-ALT-DESC;FMTTYPE=text/html:<html><body>Join: https://zoom.us/j/1</body></htm
 l>
ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=drawing.pdf:JVBERi0xLjQK
 JVBERi0xLjQKJVBERi0xLjQK
BEGIN:VALARM
TRIGGER:-PT15M
DESCRIPTION:https://teams.microsoft.com/l/meetup-join/reminder
END:VALARM
END:VEVENT
END:VCALENDAR
"""


def test_html_copies_attachments_and_alarms_are_not_read(srm, suppliers, tmp_path: Path) -> None:
    srm("import", "calendar", write(tmp_path, "o.ics", OUTLOOK_EVENT), ok=True)
    (row,) = interactions(srm)
    # the only links are in the HTML copy and in the reminder: neither is the meeting's
    assert (row["channel"], row["note"], row["duration_min"]) == ("meeting", "Tooling review", 30)


def test_raw_utf8_and_encoded_headers(srm, suppliers, tmp_path: Path) -> None:
    raw = (
        "Message-ID: <u1@mueller-praezision.example>\r\n"
        "From: Jürgen Weiß <j.weiss@mueller-praezision.example>\r\n"
        "To: pat@ourco.example\r\n"
        "Subject: =?iso-8859-1?q?Pr=FCfbericht?= =?utf-8?q?_f=C3=BCr_M8?=\r\n"
        "Date: Thu, 12 Nov 2026 10:00:00 +0100\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHallo\r\n"
    ).encode()
    path = tmp_path / "u.eml"
    path.write_bytes(raw)
    r = srm("import", "mail", str(path), ok=True)
    assert "Jürgen Weiß <j.weiss@mueller-praezision.example>" in r.stderr
    (row,) = interactions(srm)
    assert row["note"] == "Prüfbericht für M8" and row["occurred_at"] == "2026-11-12T10:00:00"


# -- large files: read in a second process ---------------------------------------------


@pytest.fixture
def in_background(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every file read as a large one is: by a forked child (the sizes it was asked for)."""
    from srmcli.readers import background

    sizes: list[int] = []
    worth_it = background._worth_it

    def always(size: int) -> bool:
        sizes.append(size)
        return worth_it(background.BACKGROUND_FROM)

    monkeypatch.delenv("SRM_READ_INLINE", raising=False)
    monkeypatch.setattr(background, "_worth_it", always)
    return sizes


def test_a_large_calendar_and_mailbox_read_in_the_background_give_the_same(
    srm, suppliers, in_background: list[int]
) -> None:
    r = srm("import", "calendar", str(OUTLOOK), ok=True)
    assert "added 8 interactions (Northwind Metals BV 8)" in r.stderr
    assert "1 cancelled" in r.stderr and "1 private" in r.stderr and "1 not over yet" in r.stderr
    r = srm("import", "mail", str(MBOX), "--with-body", ok=True)
    assert "added 2 interactions" in r.stderr
    assert "1 message joined the interaction of their thread that day." in r.stderr
    assert in_background == [OUTLOOK.stat().st_size, MBOX.stat().st_size]
    again = srm("import", "calendar", str(OUTLOOK), ok=True)
    assert "8 already in the journal" in again.stderr
    mails = [r for r in interactions(srm, "Northwind Metals BV") if r["channel"] == "email"]
    assert [m["note"] for m in mails] == ["New ship date for PO 4411\n\nHi Pat,"]


def test_a_refusal_made_in_the_background_writes_nothing(
    srm, suppliers, tmp_path: Path, in_background: list[int]
) -> None:
    good = message("g@northwind.example", "alice.moreau@northwind.example", "pat@ourco.example",
                   "Fine", "Tue, 10 Nov 2026 08:00:00 +0000", "ok")  # fmt: skip
    path = tmp_path / "box.mbox"
    box = mailbox.mbox(str(path))
    box.add(good)
    box.close()
    with open(path, "ab") as fh:  # a second message that is not text
        fh.write(b"From x\nFrom: alice.moreau@northwind.example\nSubject: a\x00b\n\nok\n")
    r = srm("import", "mail", str(path))
    assert r.exit_code == 1
    assert r.stderr == f"Error: {path}: message 2: holds a NUL byte; a mail message is text\n"
    assert interactions(srm) == []
    broken = OUTLOOK.read_text(encoding="utf-8").replace("END:VCALENDAR", "")
    cal = tmp_path / "broken.ics"
    cal.write_text(broken, encoding="utf-8")
    r = srm("import", "calendar", str(cal))
    assert r.exit_code == 1 and "BEGIN:VCALENDAR is never closed" in r.stderr
    assert interactions(srm) == []


def test_a_maildir_is_sized_by_its_messages(tmp_path: Path) -> None:
    from srmcli.readers.background import size_of as _size

    box = mailbox.Maildir(str(tmp_path / "box"))
    box.add(message("a@x.example", "a@x.example", "b@x.example", "s", "Tue, 10 Nov 2026 08:00:00 +0000", "hello"))  # fmt: skip
    total = sum(p.stat().st_size for p in (tmp_path / "box").rglob("*") if p.is_file())
    assert _size(str(tmp_path / "box")) == total > 0
    assert _size(str(tmp_path / "nowhere")) == 0
