"""The iCalendar writer: a view's calendar to-dos (VTODO) as an `.ics` file.

Only views that carry to-dos (`extra["todos"]`, built in `srmcli.views.agenda`) can be
written as iCalendar: `srm today` and `srm followup list`. The `icalendar` library does
the format (line folding, escaping of `,`, `;` and newlines, CRLF line ends). Times are
written in UTC; due days as dates. Text from the journal has its control characters shown
as escapes (`\\x1b`), as in a table: iCalendar text may not hold them, and `--ics` printed
on a terminal must not drive it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from srmcli.errors import InvalidValueError

if TYPE_CHECKING:
    from srmcli.views import View


def _utc(moment: datetime) -> datetime:
    """A journal time (local, naive) as UTC."""
    return moment.astimezone(UTC) if moment.tzinfo is None else moment


class IcsWriter:
    names = ("ics",)
    extensions = (".ics",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        from icalendar import Calendar, Todo

        from srmcli import __version__, dates
        from srmcli.wording import visible

        todos = view.extra.get("todos")
        if todos is None:
            raise InvalidValueError(
                f"{view.title} has no calendar to-dos; iCalendar is written by `srm today` "
                "and `srm followup list`"
            )
        stamp = _utc(dates.now())
        calendar = Calendar()
        calendar.add("prodid", f"-//srm//srm {__version__}//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", visible(view.title, newlines=False))
        for item in todos:
            todo = Todo()
            todo.add("uid", item.uid)
            todo.add("dtstamp", stamp)
            todo.add("summary", visible(item.summary, newlines=False))
            todo.add("due", item.due)
            if item.completed is not None:
                todo.add("status", "COMPLETED")
                todo.add("completed", _utc(item.completed))
            else:
                todo.add("status", "NEEDS-ACTION")
            if item.description:
                todo.add("description", visible(item.description))
            if item.categories:
                todo.add("categories", [visible(c, newlines=False) for c in item.categories])
            calendar.add_component(todo)
        out.write(calendar.to_ical().decode("utf-8"))
