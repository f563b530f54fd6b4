"""`srm log`, `srm timeline` and `srm search`."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from srmcli.cli.common import (
    FormatOption,
    OutputOption,
    count,
    output_format,
    read_stdin,
    text_from,
)

WHEN_HELP = "today, yesterday, '3 days ago', 'last friday', 2026-11-20, '2026-11-20 14:30'…"


def _interactive() -> bool:
    return sys.stdin.isatty()


def _from_editor(initial: str) -> str:
    """Open $VISUAL/$EDITOR on a private temporary file and return what was written."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return str(typer.prompt("Note"))
    folder = tempfile.mkdtemp(prefix="srm-")
    path = os.path.join(folder, "note.txt")
    try:
        from srmcli import files
        from srmcli.errors import SrmError

        files.write_text(path, initial, newline=None)
        try:
            command = shlex.split(editor)
            result = subprocess.run([*command, path], check=False)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise SrmError(
                f"the editor {editor!r} cannot be started ({reason}); set $EDITOR to an editor "
                "command (e.g. nano or 'code --wait'), or give the note as an argument; "
                "nothing was logged"
            ) from None
        if result.returncode != 0:
            raise SrmError(
                f"the editor {editor!r} exited with code {result.returncode}; nothing was logged"
            )
        with open(path, "rb") as fh:
            return text_from(fh, "the note the editor saved")
    finally:
        import shutil

        # the editor may leave its own backup or swap file beside the note
        shutil.rmtree(folder, ignore_errors=True)


def read_note(note: str | None, *, edit: bool) -> str:
    """The argument, else stdin when it is not a terminal, else the editor (SPEC §3)."""
    if edit:
        return _from_editor(note or "")
    if note is not None:
        return note
    if not _interactive():
        return read_stdin("the note on standard input")
    return _from_editor("")


def log(
    supplier: Annotated[
        str | None, typer.Argument(help="Supplier name, alias or unique prefix.")
    ] = None,
    note: Annotated[
        str | None,
        typer.Argument(help="What happened. Omit to read stdin or open $EDITOR."),
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", help="A contact who took part (repeatable).", metavar="CONTACT"),
    ] = None,
    channel: Annotated[
        str, typer.Option("--channel", help="call, meeting, visit, video, email, chat, web, other.")
    ] = "call",
    initiator: Annotated[
        str, typer.Option("--initiator", help="Who reached out: us or them.")
    ] = "us",
    when: Annotated[
        str | None, typer.Option("--date", help=f"When it happened (default now): {WHEN_HELP}")
    ] = None,
    duration: Annotated[
        str | None, typer.Option("--duration", help="Minutes.", metavar="MIN")
    ] = None,
    tone: Annotated[
        str, typer.Option("--tone", help="-2 (hostile) … 0 … +2 (warm).", metavar="N")
    ] = "0",
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    tactic: Annotated[
        list[str] | None,
        typer.Option(
            "--tactic",
            help="A negotiation tactic they used (repeatable): price-increase, supply-threat, "
            "deadline-pressure, flattery, snooping, bundling, bypass, innovative-pitch.",
        ),
    ] = None,
    issue: Annotated[
        str | None,
        typer.Option("--issue", help="Also open a service issue of this kind.", metavar="KIND"),
    ] = None,
    severity: Annotated[
        str | None,
        typer.Option("--severity", help="Issue severity 1 (critical) … 4 (minor); default 3."),
    ] = None,
    follow_up: Annotated[
        str | None,
        typer.Option("--follow-up", help="Also record a follow-up.", metavar="TEXT"),
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="When the follow-up is due.", metavar="WHEN")
    ] = None,
    owner: Annotated[
        str, typer.Option("--owner", help="us (our to-do, default) or them (their promise).")
    ] = "us",
    for_issue: Annotated[
        str | None,
        typer.Option(
            "--for-issue",
            help="The open issue this call was about: it joins that issue's trail.",
            metavar="ID",
        ),
    ] = None,
    again: Annotated[
        bool,
        typer.Option(
            "--again", help="Record it even though the same call (time, channel, note) is there."
        ),
    ] = False,
    from_draft: Annotated[
        str | None,
        typer.Option(
            "--from-draft",
            help="Log the note of a draft srm saved when the journal could not take it; "
            "the draft is removed once logged.",
            metavar="FILE",
        ),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Write the note in $EDITOR.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Log an interaction with a supplier, right after the call."""
    fmt = output_format(fmt)
    from srmcli.errors import InvalidValueError

    if from_draft is not None and (note is not None or edit):
        raise InvalidValueError(
            "--from-draft takes the note from the draft file; leave out the NOTE and --edit"
        )
    interactive = _interactive()
    if supplier is None:
        if not interactive:
            raise InvalidValueError("no supplier given: srm log SUPPLIER NOTE")
        supplier = _ask("Supplier")
    from srmcli import dates, values

    # read here, so that a refusal names the option
    tone_value = 0 if values.blank(tone) else values.tone(tone, "--tone")
    minutes = None if values.blank(duration) else values.minutes(duration, "--duration")
    level = None if values.blank(severity) else values.severity(severity, "--severity")
    occurred = dates.parse_when(when, lean="past") if when is not None else None
    due_day = dates.parse_day(due, lean="future") if due is not None else None
    options: dict[str, Any] = dict(  # noqa: C408
        supplier=supplier, contacts=with_ or [], channel=channel,
        initiator=initiator, occurred_at=occurred, duration_min=minutes, tone=tone_value,
        tags=tag or [], tactics=tactic or [], issue_kind=issue, issue_severity=level,
        follow_up=follow_up, follow_up_due=due_day, follow_up_owner=owner, for_issue=for_issue,
    )  # fmt: skip
    if interactive:
        # nothing typed is lost: the supplier and every option are checked before the note
        options["supplier"] = _check_before_note(options)
    if from_draft is not None:
        from srmcli import saved_notes

        text, typed = saved_notes.read(from_draft), False
    else:
        # a note given as an argument is still on the command line; one typed or piped is not
        typed = edit or note is None
        text = read_note(note, edit=edit)
    try:
        record = _store({**options, "note": text}, again=again)
    except Exception as exc:
        _keep_the_note(exc, text, options, typed=typed, draft=from_draft)
        raise
    if from_draft is not None:
        from srmcli import render, saved_notes

        removed = saved_notes.remove(from_draft)
        render.say(
            f"Logged the draft {from_draft}; it was removed."
            if removed
            else f"Logged the draft {from_draft}; it could not be removed, delete it yourself."
        )
    from srmcli.cli.common import wrote
    from srmcli.services.records import INTERACTION_COLUMNS

    who = f" with {', '.join(record['contacts'])}" if record["contacts"] else ""
    extra = ""
    if "for_issue" in record:
        extra += f" for issue #{record['for_issue']}"
    if "issue" in record:
        extra += f"; opened {record['issue']['kind']} issue #{record['issue']['id']}"
    if "follow_up" in record:
        f = record["follow_up"]
        extra += f"; follow-up #{f['id']} due {f['due']}"
    message = f"Logged {record['channel']} with {record['supplier']}{who} (#{record['id']}){extra}."
    wrote(record, fmt, message, columns=INTERACTION_COLUMNS)


def _ask(what: str) -> str:
    """One answer typed at the terminal (the prompt on stderr: stdout is for records)."""
    from srmcli.errors import InvalidValueError

    try:
        answer = str(typer.prompt(what, default="", show_default=False, err=True)).strip()
    except typer.Abort:
        answer = ""
    if not answer:
        raise InvalidValueError(f"no {what.lower()} given; nothing was logged")
    return answer


def _store(options: dict[str, Any], *, again: bool) -> dict[str, Any]:
    """Write one interaction: the stdlib sqlite3 store on a current SQLite journal (no
    SQLAlchemy import, same rules, see logbook), else the ORM session."""
    from srmcli import db

    if db.is_sqlite():
        from srmcli.services import logbook
        from srmcli.sqlite_journal import writer

        with writer() as store:
            if store is not None:
                return logbook.log_interaction(store=store, again=again, **options)
    from srmcli.services.interactions import log_interaction

    with db.session(write=True) as s:
        return log_interaction(session=s, again=again, **options)


@contextmanager
def _lookup_store() -> Iterator[Any]:
    """A `logbook.LogStore` for reading names, holding no write lock."""
    from srmcli import db

    if db.is_sqlite():
        from srmcli.sqlite_journal import reader

        with reader() as store:
            if store is not None:
                yield store
                return
    from srmcli.services.interactions import OrmStore

    with db.session() as s:
        yield OrmStore(s)


def _check_before_note(options: dict[str, Any]) -> str:
    """On a terminal: resolve the supplier, asking again (with "did you mean") while it
    matches none, then check every option with a stand-in note. Returns the supplier's
    name, so the write resolves exactly that one."""
    import sys

    from srmcli.errors import NotFoundError
    from srmcli.services import logbook

    wanted = options["supplier"]
    while True:
        with _lookup_store() as store:
            try:
                found = store.find_supplier(wanted)
            except NotFoundError as exc:
                print(f"{exc}", file=sys.stderr)
            else:
                logbook.plan_interaction(
                    store=store, **{**options, "supplier": found.name, "note": "(to come)"}
                )
                return str(found.name)
        wanted = _ask("Supplier")


def _keep_the_note(
    exc: Exception, text: str, options: dict[str, Any], *, typed: bool, draft: str | None
) -> None:
    """When the journal could not store a note that was typed, edited or piped in, save it
    to a private draft and name it in the error (SPEC §8); a refusal (a bad value, the
    same call twice) is not a storage failure and keeps nothing."""
    from srmcli import db
    from srmcli.errors import DatabaseError, SrmError

    if isinstance(exc, DatabaseError):
        reason = str(exc)
    elif isinstance(exc, SrmError) or isinstance(exc, OSError):
        return
    else:
        explained = db.explain(exc)
        if explained is None:
            return
        reason = explained
    if draft is not None:
        raise DatabaseError(
            f"{reason.rstrip('.')}; the note is still in the draft {draft}"
        ) from None
    if not typed or not text.strip():
        return
    from srmcli import saved_notes
    from srmcli.files import OutputFileError

    supplier = str(options["supplier"])
    try:
        path = saved_notes.save(text, supplier)
    except OutputFileError as failed:
        import sys

        print(f"Error: {' '.join(reason.split())}", file=sys.stderr)
        print(
            f"The note could not be saved as a draft either ({failed}); here it is:",
            file=sys.stderr,
        )
        print(text, file=sys.stderr)
        raise typer.Exit(1) from None
    when = options["occurred_at"] or _now()
    again_cmd = shlex.join(
        ["srm", "log", supplier, "--from-draft", str(path), "--date", f"{when:%Y-%m-%d %H:%M}"]
    )
    raise DatabaseError(
        f"{reason.rstrip('.')}; the note was saved to the draft {path}: log it later with "
        f"`{again_cmd}` and the same options"
    ) from None


def _now() -> Any:
    from srmcli import dates

    return dates.now()


def timeline(
    supplier: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    n: Annotated[
        str | None, typer.Option("-n", help="Keep the newest N entries.", metavar="N")
    ] = None,
    date_from: Annotated[
        str | None, typer.Option("--from", help="From this day (inclusive).", metavar="WHEN")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Up to this day (inclusive).", metavar="WHEN")
    ] = None,
    author: Annotated[
        str | None,
        typer.Option(
            "--author", help="Only what this person recorded (any entry type).", metavar="NAME"
        ),
    ] = None,
    tactic: Annotated[
        str | None,
        typer.Option("--tactic", help="Only interactions with this tactic.", metavar="TACTIC"),
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", help="Only interactions with this tag.", metavar="TAG")
    ] = None,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """A supplier's interactions, issues and follow-ups, oldest first."""
    fmt = output_format(fmt)
    from srmcli import dates, db, writers
    from srmcli.cli.common import for_people
    from srmcli.services.interactions import timeline as build_timeline
    from srmcli.views.timeline import timeline as timeline_view

    newest = count(n, "entries")
    start = dates.parse_day(date_from) if date_from else None
    end = dates.parse_day(date_to) if date_to else None
    with db.session() as s:
        rows = build_timeline(
            session=s, supplier=supplier, limit=newest, date_from=start, date_to=end,
            author=author, with_author=for_people(fmt), tactic=tactic, tag=tag,
        )  # fmt: skip
    writers.deliver(timeline_view(rows), fmt, out)


def search(
    text: Annotated[
        str,
        typer.Argument(
            help="Words to find in notes, tags, tactics, issues and follow-ups (prefixes count)."
        ),
    ],
    supplier: Annotated[str | None, typer.Option("--supplier", help="Only this supplier.")] = None,
    kinds: Annotated[
        list[str] | None,
        typer.Option(
            "--type", help="Only interaction, issue or followup (repeatable).", metavar="TYPE"
        ),
    ] = None,
    limit: Annotated[str, typer.Option("-n", help="At most N results.", metavar="N")] = "50",
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """Search everything written: notes, tags, tactics, issues and follow-ups."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.search import check_types, search_everything
    from srmcli.views.timeline import search as search_view

    most = count(limit, "results") or 50
    types = check_types(kinds)
    with db.session() as s:
        rows = search_everything(session=s, text=text, supplier=supplier, types=types, limit=most)
    writers.deliver(search_view(rows), fmt, out)
