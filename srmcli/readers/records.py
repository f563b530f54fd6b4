"""JSON as `srm export -f json` writes it (an array of objects, numbered `record N`) and
JSON lines (one object a line, numbered by line)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from srmcli.errors import InvalidValueError
from srmcli.readers import HeaderKey, HeaderTest, Row, Table


def _row(value: Any, where: str, header_key: HeaderKey) -> Row:
    if not isinstance(value, dict):
        raise InvalidValueError(
            f"{where}: expected an object of named fields, got {type(value).__name__}"
        )
    return Row(where, {header_key(str(k)): v for k, v in value.items()})


def read_json(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,  # records name their own fields: no header row
) -> Table:
    try:
        data = json.load(source)
    except json.JSONDecodeError as exc:
        raise InvalidValueError(f"line {exc.lineno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, list):
        raise InvalidValueError(
            f"a JSON import is an array of {what}, as `srm export -f json` writes; "
            "use -f jsonl for one record per line"
        )

    def rows() -> Iterator[Row]:
        for n, value in enumerate(data, 1):
            yield _row(value, f"record {n}", header_key)

    return Table("json", None, rows())


def read_jsonl(
    source: IO[str],
    *,
    header_key: HeaderKey,
    what: str = "records",
    header_row: HeaderTest | None = None,  # records name their own fields: no header row
) -> Table:
    def rows() -> Iterator[Row]:
        for n, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidValueError(f"line {n}: not valid JSON: {exc.msg}") from None
            yield _row(value, f"line {n}", header_key)

    return Table("jsonl", None, rows())
