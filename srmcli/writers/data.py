"""The formats scripts read: JSON, JSON Lines and CSV. They keep the exact stored text
(no escaping beyond each format's own quoting) and stream a listing row by row, so memory
stays flat however long it is (SPEC §4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from srmcli import render

if TYPE_CHECKING:
    from srmcli.views import View


def _rows(view: View) -> Iterable[Mapping[str, Any]]:
    if isinstance(view.data, Mapping):
        return [view.data]
    return view.data


class JsonWriter:
    names = ("json",)
    extensions = (".json",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        if isinstance(view.data, Mapping):
            render.write_json_object(view.data, out)
        else:
            render.write_json_array(view.data, out)


class JsonLinesWriter:
    names = ("jsonl",)
    extensions = (".jsonl",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        render.write_jsonl(_rows(view), out)


class CsvWriter:
    names = ("csv",)
    extensions = (".csv",)
    binary = False

    def write(self, view: View, out: IO[Any], *, to_file: bool = False) -> None:
        rows = iter(view.csv_rows if view.csv_rows is not None else _rows(view))
        guard = not view.extra.get("raw", False)
        if view.columns:
            render.write_csv(rows, out, list(view.columns), guard=guard)
            return
        rows, columns = render.peek_columns(rows)
        render.write_csv(rows, out, columns, guard=guard)
