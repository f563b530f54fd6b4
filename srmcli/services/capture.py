"""Capture (SPEC §12): meetings from a calendar, threads from a mailbox and people from an
address book become interactions and contacts.

Who is whose: a person belongs to a supplier by a contact's email address first, then by
the address's domain (or a parent domain: `eu.northwind.example` is Northwind's when
`northwind.example` is). Only those people count; everyone else in a meeting or on a
message (our own side, newsletters) is passed over.

Each import is one transaction, like every import (§4): a malformed entry raises
`FILE: line N: …` and nothing is written. What became an interaction is remembered in
`capture_key` (a hash of the event's UID and occurrence, or of the Message-ID), so the
same file imported again adds nothing; interactions are inserted with Core in batches,
as `srm import interactions` does.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel
from sqlmodel import select as orm_select

from srmcli import dates
from srmcli.drafts import interaction_values, link_values, natural_key, recorded_by
from srmcli.errors import InvalidValueError, NotFoundError, SrmError
from srmcli.models import Supplier
from srmcli.naming import Named, key, resolve_supplier
from srmcli.services.contacts import build_contact
from srmcli.services.interchange import (
    CONTACT_TABLE,
    INTERACTION_TABLE,
    PEOPLE_TABLE,
    Pending,
    _insert,
    _insert_with_ids,
    _not_known,
    _values,
)

if TYPE_CHECKING:
    from srmcli.readers.calendar import Meeting
    from srmcli.readers.mail import Letter

CAPTURE_TABLE = SQLModel.metadata.tables["capture_key"]
BATCH = 1000  # offers turned into rows at a time (as `srm import interactions` does)
LOOKUP = 2000  # (supplier, key) pairs asked for in one statement
LARGEST_NOTE = 1 << 20  # bytes of UTF-8, as for every note (SPEC §13)
VIDEO_LINK = re.compile(
    r"https?://(?:[\w-]+\.)*(?:teams\.microsoft\.com|teams\.live\.com|zoom\.us|zoomgov\.com"
    r"|meet\.google\.com|webex\.com)(?:[/:?#]|\b)",
    re.IGNORECASE,
)
# SPEC §12's rules, in its order (the first that matches wins), with the German words
# the same titles are written in
ROLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern, re.IGNORECASE))
    for role, pattern in (
        ("sales", r"\baccount\b(?!s)|\bsales\b|vertrieb|verkauf"),
        (
            "customer-service",
            r"customer[\s-]*(?:service|care|support)|kundendienst|kundenservice|innendienst",
        ),
        ("operations", r"operations|\bplant\b|production|manufacturing|produktion|\bwerk"),
        ("engineering", r"engineer|ingenieur|entwicklung|konstrukt"),
        ("quality", r"quality|qualität|qualitaet|\bqa\b|\bqm\b"),
        ("logistics", r"logistic|shipping|logistik|versand|spedition"),
        ("finance", r"financ|\baccounts\b|accounting|buchhaltung|finanz"),
        (
            "executive",
            r"president|\bceo\b|director|\bvp\b|vice[\s-]president|geschäftsführ|vorstand"
            r"|direktor",
        ),
    )
)


def role_from_title(title: str | None) -> str:
    """The contact role a job title names (SPEC §12), else `other`."""
    for role, pattern in ROLE_RULES:
        if title and pattern.search(title):
            return role
    return "other"


def has_video_link(*texts: str) -> bool:
    return any(VIDEO_LINK.search(t) for t in texts if t)


def checked_text(text: str, where: str, what: str) -> str:
    """Text from a file as the journal may hold it: no NUL, no lone surrogate."""
    if "\x00" in text:
        raise InvalidValueError(f"{where}: the {what} holds a NUL byte; it cannot be stored")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidValueError(
            f"{where}: the {what} holds bytes that are not text (a lone surrogate)"
        ) from None
    return text


def _hashed(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


# -- who is whose ---------------------------------------------------------------------


@dataclass
class Stranger:
    """Someone at a supplier's domain who is not one of its contacts."""

    address: str
    name: str | None


@dataclass
class Summary:
    what: str
    dry_run: bool = False
    added: Counter[str] = field(default_factory=Counter)  # supplier name -> new records
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    joined: int = 0  # messages that joined an interaction of their thread and day
    contacts_added: int = 0
    strangers: dict[str, dict[str, Stranger]] = field(default_factory=dict)  # domain -> …
    unmatched: list[str] = field(default_factory=list)  # vCards with no supplier


class Directory:
    """The journal's suppliers, their domains and their contacts' addresses, read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.conn = session.connection()
        self.suppliers: dict[int, Supplier] = {
            s.id or 0: s for s in session.exec(orm_select(Supplier)).all()
        }
        self.domains: dict[str, int] = {}
        for s in self.suppliers.values():
            for d in s.domains or []:
                self.domains[d] = s.id or 0
        self.addresses: dict[str, tuple[int, int]] = {}
        self.names: dict[tuple[int, str], tuple[int, bool]] = {}
        c = CONTACT_TABLE
        rows = self.conn.execute(
            select(c.c.id, c.c.supplier_id, c.c.name_key, c.c.email).order_by(c.c.id)
        )
        for cid, sid, name_key, email in rows:
            self._know(int(cid), int(sid), name_key, email)

    def _know(self, cid: int, sid: int, name_key: str, email: str | None) -> None:
        if email:
            self.addresses.setdefault(email.strip().lower(), (sid, cid))
        self.names.setdefault((sid, name_key), (cid, bool(email)))

    def domain_of(self, address: str) -> tuple[int, str] | None:
        """The supplier whose domain (or a parent of it) the address is at."""
        domain = address.rpartition("@")[2]
        labels = domain.split(".")
        for i in range(len(labels) - 1):
            candidate = ".".join(labels[i:])
            sid = self.domains.get(candidate)
            if sid is not None:
                return sid, candidate
        return None

    def place(self, address: str, name: str | None) -> tuple[int, int | None, str | None] | None:
        """(supplier id, contact id or None, the domain when only that matched) of a
        person, or None when they are nobody's."""
        known = self.addresses.get(address)
        if known is not None:
            return known[0], known[1], None
        found = self.domain_of(address)
        if found is None:
            return None
        sid, domain = found
        if name:
            # a contact of that supplier recorded by name only is the same person
            for variant in _name_variants(name):
                hit = self.names.get((sid, key(variant)))
                if hit is not None and not hit[1]:
                    return sid, hit[0], None
        return sid, None, domain

    def add_contact(self, sid: int, address: str, name: str | None, where: str) -> int:
        """A new contact (role `other`) for someone at the supplier's domain."""
        supplier = self.suppliers[sid]
        shown = " ".join((name or "").replace(";", ",").split()) or address
        if (sid, key(shown)) in self.names:
            shown = f"{shown} ({address})"
        checked_text(shown, where, "name")
        try:
            person = build_contact(
                supplier=supplier, name=shown[:200], role="other", email=address,
                author=recorded_by(),
            )  # fmt: skip
        except SrmError as exc:
            raise type(exc)(f"{where}: {address}: {exc}") from None
        cid = _insert_with_ids(self.conn, CONTACT_TABLE, [_values(person, CONTACT_TABLE)])[0]
        self._know(cid, sid, person.name_key, address)
        return cid


def _name_variants(name: str) -> list[str]:
    """A display name as written and, for Outlook's `Last, First`, as `First Last`."""
    variants = [name]
    last, comma, first = name.partition(",")
    if comma and last.strip() and first.strip() and "," not in first:
        variants.append(f"{first.strip()} {last.strip()}")
    return variants


# -- interactions from meetings and messages -------------------------------------------


@dataclass
class _Offer:
    supplier_id: int
    identity: str  # hashed key of the event occurrence or message
    join: str | None  # hashed key others may join (a mail thread on a day)
    values: dict[str, Any]
    where: str


@dataclass
class _New:
    keys: list[str]
    pending: Pending


class _Capture:
    """Offers become interactions in batches: each batch asks the journal once which
    keys it already holds, then inserts what is new."""

    def __init__(
        self, session: Session, directory: Directory, summary: Summary, *, add_contacts: bool
    ) -> None:
        self.session = session
        self.conn = session.connection()
        self.directory = directory
        self.summary = summary
        self.add_contacts = add_contacts
        self.offers: list[_Offer] = []
        self.author = recorded_by()

    def people(self, persons: Iterable[tuple[str, str | None]], where: str) -> dict[int, set[int]]:
        """Supplier id -> the contact ids of those present (empty when only a domain
        matched); strangers are noted, or added as contacts with --add-contacts."""
        present: dict[int, set[int]] = {}
        for address, name in persons:
            placed = self.directory.place(address, name)
            if placed is None:
                continue
            sid, cid, domain = placed
            people = present.setdefault(sid, set())
            if cid is not None:
                people.add(cid)
                continue
            if self.add_contacts:
                people.add(self.directory.add_contact(sid, address, name, where))
                self.summary.contacts_added += 1
                continue
            assert domain is not None
            self.summary.strangers.setdefault(domain, {}).setdefault(
                address, Stranger(address, name)
            )
        return present

    def offer(self, offer: _Offer) -> None:
        self.offers.append(offer)
        if len(self.offers) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.offers:
            return
        offers, self.offers = self.offers, []
        wanted = {(o.supplier_id, o.identity) for o in offers} | {
            (o.supplier_id, o.join) for o in offers if o.join
        }
        known = self._known(wanted)
        new: dict[tuple[int, str], _New] = {}
        joins: list[tuple[int, str, int]] = []  # supplier, key, existing interaction
        for o in offers:
            sid = o.supplier_id
            if (sid, o.identity) in known:
                self.summary.skipped["already in the journal"] += 1
                continue
            if (sid, o.identity) in new:
                self.summary.skipped["repeated in the file"] += 1
                continue
            if o.join is not None and (sid, o.join) in known:
                iid = known[(sid, o.join)]
                if iid is None:  # its thread's interaction was removed from the journal
                    self.summary.skipped["removed from the journal"] += 1
                    continue
                joins.append((sid, o.identity, iid))
                known[(sid, o.identity)] = iid
                self.summary.joined += 1
                continue
            if o.join is not None and (sid, o.join) in new:
                group = new[(sid, o.join)]
                group.keys.append(o.identity)
                new[(sid, o.identity)] = group
                people = set(group.pending.values["contact_ids"]) | set(o.values["contact_ids"])
                group.pending.values["contact_ids"] = sorted(people)
                self.summary.joined += 1
                continue
            group = _New(
                [o.identity, *([o.join] if o.join else [])],
                Pending(natural_key("interaction", o.values), o.values),
            )
            for k in group.keys:
                new[(sid, k)] = group
        groups = list({id(g): g for g in new.values()}.values())
        fresh_ids = {
            id(p) for p in _not_known(self.conn, INTERACTION_TABLE, [g.pending for g in groups])
        }
        kept: list[_New] = []
        natural: set[Any] = set()
        for g in groups:
            if id(g.pending) not in fresh_ids or g.pending.key in natural:
                self.summary.skipped["already in the journal (same time, channel and note)"] += 1
                continue
            natural.add(g.pending.key)
            kept.append(g)
        keys: list[dict[str, Any]] = [
            {"supplier_id": sid, "key": k, "interaction_id": iid} for sid, k, iid in joins
        ]
        if kept:
            rows = [g.pending.values for g in kept]
            ids = _insert_with_ids(self.conn, INTERACTION_TABLE, rows)
            links: list[dict[str, Any]] = []
            for iid, g in zip(ids, kept, strict=True):
                took_part, _ = link_values(iid, g.pending.values, [])
                links += took_part
                sid = g.pending.values["supplier_id"]
                keys += [{"supplier_id": sid, "key": k, "interaction_id": iid} for k in g.keys]
                self.summary.added[self.directory.suppliers[sid].name] += 1
            _insert(self.conn, PEOPLE_TABLE, links)
        if keys:
            _insert(self.conn, CAPTURE_TABLE, keys)

    def _known(self, wanted: set[tuple[int, str]]) -> dict[tuple[int, str], int | None]:
        """Which of the (supplier, key) pairs the journal already has: the pairs go in
        as a VALUES list joined to the table, each an index search of its primary key."""
        found: dict[tuple[int, str], int | None] = {}
        ordered = sorted(wanted)
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        for start in range(0, len(ordered), LOOKUP):
            chunk = ordered[start : start + LOOKUP]
            listed = ", ".join([f"({mark}, {mark})"] * len(chunk))
            params = tuple(v for pair in chunk for v in pair)
            rows = self.conn.exec_driver_sql(
                f"WITH wanted (supplier_id, key) AS (VALUES {listed}) "
                "SELECT t.supplier_id, t.key, t.interaction_id FROM wanted "
                "JOIN capture_key AS t ON t.supplier_id = wanted.supplier_id "
                "AND t.key = wanted.key",
                params,
            )
            for sid, k, iid in rows:
                found[(int(sid), k)] = None if iid is None else int(iid)
        return found


def _in_range(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or day >= start) and (end is None or day <= end)


def _note(title: str, extra: str | None, where: str, fallback: str) -> str:
    note = " ".join(title.split()) or fallback
    if extra and extra.strip():
        note = f"{note}\n\n{extra.strip()}"
    checked_text(note, where, "text")
    if len(note.encode("utf-8")) > LARGEST_NOTE:
        raise InvalidValueError(
            f"{where}: the note would be longer than 1 MiB; srm keeps up to 1 MiB"
        )
    return note


def import_calendar(
    *,
    session: Session,
    meetings: Iterable[Meeting],
    now: datetime,
    date_from: date | None = None,
    date_to: date | None = None,
    with_description: bool = False,
    add_contacts: bool = False,
    dry_run: bool = False,
) -> Summary:
    """Every meeting of the calendar (`readers.calendar.meetings_in`, read up to `now`) that has
    happened and had a known supplier's people in it becomes an interaction with that
    supplier (SPEC §12)."""
    with _capturing(session, "calendar", add_contacts=add_contacts, dry_run=dry_run) as capture:
        summary, directory = capture.summary, capture.directory
        for meeting in meetings:
            where = meeting.where
            if meeting.cancelled:
                summary.skipped["cancelled"] += 1
                continue
            if meeting.private:
                summary.skipped["private"] += 1
                continue
            if (meeting.end or meeting.start) > now or meeting.start > now:
                summary.skipped["not over yet"] += 1
                continue
            if not _in_range(meeting.start.date(), date_from, date_to):
                summary.skipped["outside --from/--to"] += 1
                continue
            persons = [meeting.organizer] if meeting.organizer else []
            persons += [a for a in meeting.attendees if not a.declined]
            present = capture.people(((p.address, p.name) for p in persons), where)
            if not present:
                summary.skipped["no supplier's people in it"] += 1
                continue
            video = has_video_link(meeting.location, meeting.description, meeting.links)
            note = _note(
                meeting.summary,
                meeting.description if with_description else None,
                where,
                "(no title)",
            )
            organizer = meeting.organizer
            theirs = directory.place(organizer.address, organizer.name) if organizer else None
            minutes = (
                meeting.minutes if meeting.minutes is not None and meeting.minutes <= 1440 else None
            )
            identity = _hashed("calendar", meeting.key)
            for sid, people in present.items():
                values = _interaction(
                    where,
                    supplier_id=sid,
                    occurred_at=meeting.start,
                    channel="video" if video else "meeting",
                    initiator="them" if theirs is not None and theirs[0] == sid else "us",
                    duration_min=minutes,
                    tags=["calendar"],
                    note=note,
                    author=capture.author,
                    contact_ids=sorted(people),
                )
                capture.offer(_Offer(sid, identity, None, values, where))

    return summary


def import_mail(
    *,
    session: Session,
    letters: Iterable[Letter],
    date_from: date | None = None,
    date_to: date | None = None,
    add_contacts: bool = False,
    dry_run: bool = False,
) -> Summary:
    """Every message (`readers.mail.letters_in`) from or to a known supplier's people becomes an
    email interaction; the messages of one thread with one supplier on one day are one
    interaction."""
    now = dates.now()
    with _capturing(session, "mail", add_contacts=add_contacts, dry_run=dry_run) as capture:
        summary, directory = capture.summary, capture.directory
        for letter in letters:
            where = letter.where
            persons = [(p.address, p.name) for p in (*letter.sender, *letter.recipients)]
            if not any(directory.place(a, n) for a, n in persons):
                summary.skipped["no supplier's people on it"] += 1
                continue
            if letter.sent is None:
                shown = f" ({letter.date_text[:60]!r})" if letter.date_text else ""
                raise InvalidValueError(
                    f"{where}: the message has no readable Date{shown}; srm cannot place it in time"
                )
            if letter.sent > now:
                summary.skipped["dated in the future"] += 1
                continue
            if not _in_range(letter.sent.date(), date_from, date_to):
                summary.skipped["outside --from/--to"] += 1
                continue
            for address, name in persons:
                checked_text(f"{address} {name or ''}", where, "address")
            present = capture.people(persons, where)
            sender = letter.sender[0] if letter.sender else None
            theirs = directory.place(sender.address, sender.name) if sender else None
            note = _note(letter.subject, letter.paragraph, where, "(no subject)")
            identity = _hashed(
                "mail",
                letter.message_id
                or f"{letter.date_text}\x1f{sender and sender.address}\x1f{letter.subject}",
            )
            join = _hashed("thread", letter.thread or identity, letter.sent.date().isoformat())
            for sid, people in present.items():
                values = _interaction(
                    where,
                    supplier_id=sid,
                    occurred_at=letter.sent,
                    channel="email",
                    initiator="them" if theirs is not None and theirs[0] == sid else "us",
                    tags=["mail"],
                    note=note,
                    author=capture.author,
                    contact_ids=sorted(people),
                )
                capture.offer(_Offer(sid, identity, join, values, where))

    return summary


@contextlib.contextmanager
def _capturing(
    session: Session, kind: str, *, add_contacts: bool, dry_run: bool
) -> Iterator[_Capture]:
    """What a calendar and a mail import share: the journal's suppliers and people read
    once, offers written in batches, and with --dry-run all of it undone at the end."""
    savepoint = session.begin_nested() if dry_run else None
    summary = Summary(kind, dry_run=dry_run)
    capture = _Capture(session, Directory(session), summary, add_contacts=add_contacts)
    yield capture
    capture.flush()
    if savepoint is not None:
        savepoint.rollback()


def _interaction(where: str, **kwargs: Any) -> dict[str, Any]:
    try:
        return interaction_values(**kwargs)
    except SrmError as exc:
        raise type(exc)(f"{where}: {exc}") from None


# -- contacts from an address book -----------------------------------------------------


def import_vcards(
    *, session: Session, path: str, supplier: str | None = None, dry_run: bool = False
) -> Summary:
    """Each card becomes a contact of its supplier: `supplier` when given, else the one
    its organisation names (as a supplier argument would), else its email domain's."""
    from srmcli.readers.vcards import read_vcards
    from srmcli.services.suppliers import find_supplier

    summary = Summary("vcards", dry_run=dry_run)
    savepoint = session.begin_nested() if dry_run else None
    directory = Directory(session)
    fixed = find_supplier(session=session, name=supplier) if supplier else None
    named = [
        Named(id=s.id or 0, name=s.name, aliases=tuple(s.aliases or ()))
        for s in directory.suppliers.values()
    ]
    author = recorded_by()
    rows: list[dict[str, Any]] = []
    for card in read_vcards(path):
        where = card.where
        for text, what in ((card.name, "name"), (card.title, "title"), (card.note, "note"),
                           (card.organisation, "organisation"), (card.phone, "phone"),
                           (" ".join(card.emails), "email")):  # fmt: skip
            if text:
                checked_text(text, where, what)
        owner = fixed or _card_supplier(card.organisation, card.emails, named, directory)
        if owner is None:
            summary.skipped["no supplier matches its organisation or email domain"] += 1
            summary.unmatched.append(
                card.name + (f" ({card.organisation})" if card.organisation else "")
            )
            continue
        sid = owner.id or 0
        email = card.emails[0] if card.emails else None
        for address in card.emails:
            known = directory.addresses.get(address)
            if known is not None and known[0] == sid:
                break
        else:
            known = None
        if known is not None or (sid, key(card.name)) in directory.names:
            summary.skipped["already a contact"] += 1
            continue
        try:
            person = build_contact(
                supplier=owner, name=card.name, role=role_from_title(card.title),
                title=card.title, email=email, phone=card.phone, note=card.note, author=author,
            )  # fmt: skip
        except SrmError as exc:
            raise type(exc)(f"{where}: {exc}") from None
        rows.append(_values(person, CONTACT_TABLE))
        directory._know(0, sid, person.name_key, email)
        summary.added[owner.name] += 1
        if len(rows) >= BATCH:
            _insert(session.connection(), CONTACT_TABLE, rows)
            rows = []
    _insert(session.connection(), CONTACT_TABLE, rows)
    if savepoint is not None:
        savepoint.rollback()
    return summary


def _card_supplier(
    organisation: str | None, emails: list[str], named: list[Named], directory: Directory
) -> Supplier | None:
    if organisation:
        try:
            found = resolve_supplier(organisation, named)
        except (NotFoundError, InvalidValueError):
            found = None
        if found is not None:
            return directory.suppliers[found.id]
    for address in emails:
        placed = directory.domain_of(address)
        if placed is not None:
            return directory.suppliers[placed[0]]
    return None
