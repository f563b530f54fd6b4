"""`srm import calendar|mail|vcards`: capture from what the calendar, the mailbox and the
address book export (SPEC §12). Reached through `srm import KIND`, whose options these
kinds share; the ones that belong to another kind are refused by name."""

from __future__ import annotations

import contextlib
from typing import Any

from srmcli.errors import InvalidValueError

KINDS = {"calendar": "calendar", "ics": "calendar", "mail": "mail", "email": "mail",
         "vcards": "vcards", "vcard": "vcards", "vcf": "vcards"}  # fmt: skip
# option -> the capture kinds it applies to
OPTIONS = {
    "--from": ("calendar", "mail"),
    "--to": ("calendar", "mail"),
    "--with-description": ("calendar",),
    "--with-body": ("mail",),
    "--add-contacts": ("calendar", "mail"),
    "--supplier": ("vcards",),
}


def is_capture(kind: str) -> bool:
    return (kind or "").strip().lower() in KINDS


def _given(options: dict[str, Any]) -> list[str]:
    return [name for name, value in options.items() if value not in (None, False)]


def refuse_capture_options(kind: str, **options: Any) -> None:
    """Capture's options on an import of records: refused, naming where they belong."""
    for name in _given(_named(options)):
        kinds = " and ".join(f"`srm import {k}`" for k in OPTIONS[name])
        raise InvalidValueError(f"{name} belongs to {kinds}, not to `srm import {kind}`")


def refuse_table_options(kind: str, **options: Any) -> None:
    """Options for tables of records (--sheet, --encoding, --decimal, --date-format) on a
    capture: refused, since calendars, mail and vCards say their own types and encoding."""
    for name in _given({"--" + k.replace("_", "-"): v for k, v in options.items()}):
        raise InvalidValueError(
            f"{name} belongs to imports of records (csv, json, xlsx), not to `srm import {kind}`"
        )


def _named(options: dict[str, Any]) -> dict[str, Any]:
    return {"--" + k.replace("_", "-").replace("date-", ""): v for k, v in options.items()}


def run(
    kind: str,
    path: str,
    *,
    dry_run: bool,
    fmt: str | None,
    raw: bool,
    **options: Any,
) -> None:
    from srmcli import dates, render

    source = KINDS[kind.strip().lower()]
    for name in _given(_named(options)):
        if source not in OPTIONS[name]:
            kinds = " and ".join(f"`srm import {k}`" for k in OPTIONS[name])
            raise InvalidValueError(f"{name} belongs to {kinds}, not to `srm import {source}`")
    if fmt:
        raise InvalidValueError(
            f"-f/--format is for records; `srm import {source}` reads its file as "
            f"{'iCalendar' if source == 'calendar' else 'mail' if source == 'mail' else 'vCards'}"
        )
    if raw:
        raise InvalidValueError(f"--raw is for CSV records, not for `srm import {source}`")
    if path == "-":
        raise InvalidValueError(
            f"`srm import {source}` reads a file or folder, not standard input; give its path"
        )
    date_from = options.pop("date_from", None)
    date_to = options.pop("date_to", None)
    start = dates.parse_day(date_from) if date_from else None
    end = dates.parse_day(date_to) if date_to else None
    if start and end and start > end:
        raise InvalidValueError(
            f"--from {start} is after --to {end}; give them the other way round"
        )
    with contextlib.ExitStack() as reading:
        # a calendar or mailbox is read from here on (in a second process, when it is
        # large) while the database libraries load and the journal is opened
        if source == "calendar":
            from srmcli.readers.calendar import meetings_in

            now = dates.now()
            since = dates.day_start(start) if start else None
            meetings = reading.enter_context(meetings_in(path, until=now, since=since))
        elif source == "mail":
            from srmcli.readers.mail import letters_in

            letters = reading.enter_context(letters_in(path, with_body=options["with_body"]))
        from srmcli import db
        from srmcli.services import capture

        with db.session(write=True) as s:
            if source == "calendar":
                summary = capture.import_calendar(
                    session=s, meetings=meetings, now=now, date_from=start, date_to=end,
                    dry_run=dry_run, with_description=options["with_description"],
                    add_contacts=options["add_contacts"],
                )  # fmt: skip
            elif source == "mail":
                summary = capture.import_mail(
                    session=s, letters=letters, date_from=start, date_to=end,
                    dry_run=dry_run, add_contacts=options["add_contacts"],
                )  # fmt: skip
            else:
                summary = capture.import_vcards(
                    session=s, path=path, supplier=options["supplier"], dry_run=dry_run
                )
    for line in report(summary):
        render.say(line)


def report(summary: Any) -> list[str]:
    """The summary in words: what was added, what was skipped and why, who is missing."""
    from srmcli.wording import plural, visible

    record = "contact" if summary.what == "vcards" else "interaction"
    head = f"{summary.what}{' (dry run, nothing written)' if summary.dry_run else ''}: "
    added = sum(summary.added.values())
    text = head + f"added {plural(added, record)}"
    if added:
        text += (
            " ("
            + ", ".join(f"{visible(name)} {n}" for name, n in sorted(summary.added.items()))
            + ")"
        )
    skipped = sum(summary.skipped.values())
    text += f"; skipped {skipped}"
    if skipped:
        text += ": " + ", ".join(f"{n} {why}" for why, n in summary.skipped.most_common())
    text += "."
    lines = [text]
    if summary.joined:
        lines.append(
            f"{plural(summary.joined, 'message')} joined the interaction of their thread that day."
        )
    if summary.contacts_added:
        verb = "Would add" if summary.dry_run else "Added"
        lines.append(f"{verb} {plural(summary.contacts_added, 'contact')} (role other).")
    for domain, people in sorted(summary.strangers.items()):
        shown = ", ".join(
            visible(f"{p.name} <{p.address}>" if p.name else p.address)
            for p in sorted(people.values(), key=lambda p: p.address)
        )
        are = "is not a contact" if len(people) == 1 else "are not contacts"
        lines.append(
            f"{plural(len(people), 'person', 'people')} at {domain} {are}: {shown} "
            "(--add-contacts adds them)."
        )
    if summary.unmatched:
        lines.append(
            "No supplier for: "
            + ", ".join(visible(n) for n in summary.unmatched[:20])
            + (f" and {len(summary.unmatched) - 20} more" if len(summary.unmatched) > 20 else "")
            + " (give --supplier, or add the supplier or its --domain first)."
        )
    return lines
