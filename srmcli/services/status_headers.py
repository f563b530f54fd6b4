"""A supplier's own status-report headers, matched to srm's columns (SPEC §9).

Suppliers send their reports with their own column names (`PO #`, `Qty Shipped`,
`Bestätigter Termin`) and often a title or blank rows above them. A header is matched
after folding case, spaces and `_-.#:` away, against the built-in names of each column
and the names the buyer gave for that supplier with `--map COLUMN=HEADER` (remembered in
the journal, `srm status map`). The header row is the first row in which four or more
cells match. Nothing is guessed: a column that two headers could fill is refused until a
`--map` names the right one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, SQLModel, select

from srmcli.errors import InvalidValueError
from srmcli.models import StatusHeader, Supplier

COLUMNS = (
    "po", "line", "item", "qty_ordered", "qty_received", "promised_date", "received_date",
)  # fmt: skip

BUILT_IN: dict[str, tuple[str, ...]] = {
    "po": ("po", "PO number", "PO no", "purchase order", "order", "order number"),
    "line": ("line", "line no", "line number", "pos", "position", "item line"),
    "item": ("item", "part", "part number", "material", "SKU", "description"),
    "qty_ordered": ("qty ordered", "ordered", "order qty", "quantity", "ordered qty"),
    "qty_received": ("qty received", "received", "delivered", "shipped qty", "qty shipped"),
    "promised_date": ("promised", "promise date", "confirmed date", "due date", "delivery date"),
    "received_date": ("received date", "receipt date", "delivered on"),
}
"""The names each column is known by in suppliers' reports, besides its own."""

HEADER_MATCHES = 4
"""How many cells of a row must name columns for it to be the header row."""

_TABLE = SQLModel.metadata.tables["status_header"]
_FOLDED = re.compile(r"[\s_\-.#:]+")


def fold(header: Any) -> str:
    """A header as it is compared: case, spaces and `_-.#:` folded away."""
    text = "" if header is None else str(header)
    return _FOLDED.sub("", text.replace("\ufeff", "")).casefold()


def header_text(value: Any) -> str:
    """A header cell as text (a spreadsheet may hold a number or a date there)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def parse_maps(items: Iterable[str]) -> dict[str, str]:
    """`--map COLUMN=HEADER` options as {column: header}; the column is one of srm's."""
    wanted: dict[str, str] = {}
    for item in items:
        name, sep, header = (item or "").partition("=")
        column = name.strip().lower().replace("-", "_")
        if not sep or not header.strip():
            raise InvalidValueError(
                f"--map {item!r} is not accepted; give COLUMN=HEADER, e.g. "
                f"--map qty_received='Qty Shipped', with a column of {', '.join(COLUMNS)}"
            )
        if column not in COLUMNS:
            raise InvalidValueError(
                f"--map {item!r}: unknown column {name.strip()!r}; the columns are "
                f"{', '.join(COLUMNS)}"
            )
        if column in wanted and fold(wanted[column]) != fold(header):
            raise InvalidValueError(
                f"--map names {column} twice ({wanted[column]!r} and {header.strip()!r}); "
                "give one header per column"
            )
        wanted[column] = " ".join(header.split())
    return wanted


@dataclass
class HeaderMatcher:
    """Which header names which column, for one supplier's report: `mapped` the headers
    remembered for the supplier, `given` those of this import's `--map` (which win)."""

    mapped: Mapping[str, str] = field(default_factory=dict)
    given: Mapping[str, str] = field(default_factory=dict)  # by --map now: to remember
    seen: list[list[str]] = field(default_factory=list)  # the first rows looked at
    rows_read: int = 0  # rows looked at for the header: the header's row number
    supplier: str = ""  # whose remembered headers `mapped` holds, for the messages

    def __post_init__(self) -> None:
        # remembered headers win over the built-in names, so a refusal must show them
        self.kept = {c: h for c, h in self.mapped.items() if c not in self.given}
        self.mapped = {**self.mapped, **self.given}
        self._mapped = {fold(header): column for column, header in self.mapped.items()}
        self._built_in: dict[str, set[str]] = {}
        for column in COLUMNS:
            for name in (column, *BUILT_IN[column]):
                self._built_in.setdefault(fold(name), set()).add(column)

    def columns_of(self, header: Any) -> set[str]:
        """The columns a header may name: the mapped one, else the built-in ones."""
        folded = fold(header_text(header))
        if not folded:
            return set()
        if folded in self._mapped:
            return {self._mapped[folded]}
        # a header mapped to another column is that column's only
        return {c for c in self._built_in.get(folded, set()) if c not in self.mapped}

    def is_header(self, cells: Sequence[Any]) -> bool:
        """Whether four or more cells of a row name columns (the header-row rule)."""
        self.rows_read += 1
        if len(self.seen) < 3 and any(header_text(c) for c in cells):
            self.seen.append([header_text(c) for c in cells if header_text(c)])
        return sum(1 for c in cells if self.columns_of(c)) >= HEADER_MATCHES

    def assign(self, headers: Sequence[Any], where: str) -> dict[str, str]:
        """{column: header as written} for a header row; a column no header names, or
        one that two headers could fill, is refused naming the headers found."""
        found = [header_text(h) for h in headers]
        named: dict[str, list[str]] = {}
        for header in found:
            for column in self.columns_of(header):
                named.setdefault(column, []).append(header)
        listing = ", ".join(repr(h) for h in found if h) or "none"
        for column in COLUMNS:
            candidates = named.get(column, [])
            if len(candidates) > 1:
                raise InvalidValueError(
                    f"{where}: the headers {' and '.join(repr(h) for h in candidates)} could "
                    f"both be {column}; say which with --map {column}=HEADER"
                )
        missing = [c for c in COLUMNS if c not in named]
        if missing:
            s = "s" if len(missing) > 1 else ""
            raise InvalidValueError(
                f"{where}: missing column{s} {', '.join(missing)}; the headers found: "
                f"{listing}. Name the supplier's header with --map "
                f"{missing[0]}=HEADER (remembered for this supplier){self._kept_words()}"
            )
        return {column: named[column][0] for column in COLUMNS}

    def no_header(self) -> InvalidValueError:
        """No row names four or more columns: say what the file's first rows hold."""
        if not self.seen:
            return InvalidValueError(
                "line 1: header: the file is empty; a status report has a header row naming "
                f"the columns {', '.join(COLUMNS)}"
            )
        shown = "; ".join(", ".join(repr(c) for c in row) for row in self.seen)
        return InvalidValueError(
            f"no header row found: no row names {HEADER_MATCHES} or more of the columns "
            f"{', '.join(COLUMNS)}. The first rows hold: {shown}. Name the supplier's "
            f"headers with --map COLUMN=HEADER (remembered for this supplier){self._kept_words()}"
        )

    def _kept_words(self) -> str:
        if not self.kept:
            return ""
        kept = ", ".join(f"{c}={h!r}" for c, h in self.kept.items())
        who = repr(self.supplier) if self.supplier else "SUPPLIER"
        return (
            f"; the headers remembered for {self.supplier or 'this supplier'}, used instead "
            f"of the built-in names: {kept} (`srm status map {who} --clear` forgets them)"
        )


def matcher_for(*, session: Session, supplier: Supplier, maps: Iterable[str]) -> HeaderMatcher:
    """The matcher of a supplier's report: its remembered headers and `--map` options."""
    return HeaderMatcher(
        mapped=remembered(session=session, supplier=supplier),
        given=parse_maps(maps),
        supplier=supplier.name,
    )


# -- remembered per supplier -------------------------------------------------------------


def remembered(*, session: Session, supplier: Supplier) -> dict[str, str]:
    """The headers remembered for a supplier, {column: header}, in column order."""
    rows = session.exec(select(StatusHeader).where(StatusHeader.supplier_id == supplier.id)).all()
    kept = {r.column: r.header for r in rows}
    return {c: kept[c] for c in COLUMNS if c in kept}


def remember(*, session: Session, supplier: Supplier, mapped: Mapping[str, str]) -> None:
    """Keep the headers of a `--map` for the supplier's next reports (a column named
    again takes its new header)."""
    if not mapped:
        return
    session.flush()
    session.connection().execute(
        delete(_TABLE).where(_TABLE.c.supplier_id == supplier.id, _TABLE.c.column.in_(list(mapped)))
    )
    for column, header in mapped.items():
        session.add(StatusHeader(supplier_id=supplier.id or 0, column=column, header=header))
    session.flush()


def forget(*, session: Session, supplier: Supplier) -> dict[str, str]:
    """Clear the supplier's remembered headers; return what they were."""
    before = remembered(session=session, supplier=supplier)
    session.connection().execute(delete(_TABLE).where(_TABLE.c.supplier_id == supplier.id))
    return before
