"""Interactions: `srm log` (with its linked issue and follow-up), the timeline and search."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import delete, insert, or_
from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from srmcli import values
from srmcli.errors import InvalidValueError, NotFoundError
from srmcli.fields import parse_tactics
from srmcli.models import (
    Change,
    Contact,
    FollowUp,
    Interaction,
    InteractionContact,
    InteractionTactic,
    Issue,
    IssueInteraction,
    Supplier,
)
from srmcli.services import corrections, history, logbook
from srmcli.services.authors import by_author, find_author
from srmcli.services.contacts import find_contact
from srmcli.services.duplicates import find_same
from srmcli.services.records import followup_record, interaction_record, issue_record
from srmcli.services.suppliers import find_supplier


class OrmStore:
    """`logbook.LogStore` over an ORM session: any backend, migrations included."""

    MODELS: dict[str, type[Interaction] | type[Issue] | type[FollowUp]] = {
        "interaction": Interaction,
        "issue": Issue,
        "followup": FollowUp,
    }

    def __init__(self, session: Session) -> None:
        self.session = session

    def find_supplier(self, name: str) -> Supplier:
        return find_supplier(session=self.session, name=name)

    def find_contact(self, supplier: Any, name: str) -> Contact:
        return find_contact(session=self.session, supplier=supplier, name=name)

    def find_issue(self, number: int) -> Issue | None:
        return self.session.get(Issue, number)

    def find_same(
        self, table: str, values: dict[str, Any], besides: int | None = None
    ) -> int | None:
        return find_same(self.session, table, values, besides)

    def add(self, table: str, values: dict[str, Any]) -> int:
        row = self.MODELS[table](**values)
        self.session.add(row)
        self.session.flush()
        return row.id or 0

    def link(
        self,
        people: Sequence[dict[str, Any]],
        tactics: Sequence[dict[str, Any]],
        issues: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.session.add_all([InteractionContact(**row) for row in people])
        self.session.add_all([InteractionTactic(**row) for row in tactics])
        self.session.add_all([IssueInteraction(**row) for row in issues])
        self.session.flush()

    # -- `corrections.CorrectionStore` --------------------------------------------------

    def interaction(self, number: int) -> dict[str, Any] | None:
        row = self.session.get(Interaction, number)
        if row is None:
            return None
        found = {c: getattr(row, c) for c in corrections.INTERACTION_FIELDS}
        found["tags"] = list(found["tags"] or [])
        found["contact_ids"] = list(found["contact_ids"] or [])
        found["tactics"] = sorted(
            self.session.exec(
                select(InteractionTactic.tactic).where(InteractionTactic.interaction_id == number)
            ).all()
        )
        return found

    def supplier_of(self, supplier_id: int) -> Supplier:
        found = self.session.get(Supplier, supplier_id)
        assert found is not None  # the foreign key guarantees it
        return found

    def first_done_followup(self, interaction_id: int) -> tuple[int, datetime] | None:
        early = self.session.exec(
            select(FollowUp)
            .where(FollowUp.interaction_id == interaction_id, col(FollowUp.done_at).is_not(None))
            .order_by(col(FollowUp.done_at))
            .limit(1)
        ).first()
        if early is None or early.done_at is None:
            return None
        return early.id or 0, early.done_at

    def missing_contacts(self, ids: Sequence[int]) -> list[int]:
        wanted = sorted(set(ids))
        there = set(
            self.session.exec(select(Contact.id).where(col(Contact.id).in_(wanted))).all()
            if wanted
            else []
        )
        return [i for i in wanted if i not in there]

    def update_interaction(
        self,
        number: int,
        changed: Mapping[str, Any],
        links: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None,
    ) -> None:
        row = self.session.get(Interaction, number)
        assert row is not None  # read in this transaction
        for name, value in changed.items():
            setattr(row, name, value)
        self.session.add(row)
        self.session.flush()
        if links is not None:
            conn = self.session.connection()
            for model in (InteractionContact, InteractionTactic):
                conn.execute(delete(model).where(col(model.interaction_id) == number))
            people, used = links
            if people:
                conn.execute(insert(InteractionContact), people)
            if used:
                conn.execute(insert(InteractionTactic), used)

    def shown(self, number: int) -> dict[str, Any]:
        return show_interaction(session=self.session, interaction_id=number)

    def change(self, number: int) -> dict[str, Any] | None:
        found = self.session.get(Change, number)
        if found is None:
            return None
        return {**history.change_record(found), "imported": found.imported_at is not None}

    def later_change(self, record_type: str, record_id: int, number: int) -> int | None:
        return self.session.exec(
            select(Change.id)
            .where(
                Change.record_type == record_type,
                Change.record_id == record_id,
                col(Change.id) > number,
                col(Change.imported_at).is_(None),  # another journal's record of that number
            )
            .order_by(col(Change.id).desc())
            .limit(1)
        ).first()

    def removal(self, record_type: str, record_id: int) -> int | None:
        return self.session.exec(
            select(Change.id)
            .where(
                Change.record_type == record_type,
                Change.record_id == record_id,
                col(Change.after).is_(None),
                col(Change.imported_at).is_(None),
            )
            .order_by(col(Change.id).desc())
            .limit(1)
        ).first()

    def record_change(
        self,
        record_type: str,
        record_id: int,
        action: str,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        *,
        supplier: Any,
        undoes: int | None = None,
    ) -> dict[str, Any]:
        number = history.record_change(
            self.session, record_type, record_id, action, before, after,
            supplier=supplier, undoes=undoes,
        )  # fmt: skip
        done = self.session.get(Change, number)
        assert done is not None
        return history.change_record(done)


def log_interaction(*, session: Session, **options: Any) -> dict[str, Any]:
    """`logbook.log_interaction` on an ORM session (see there for the options)."""
    return logbook.log_interaction(store=OrmStore(session), **options)


def interaction_links(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Contact names and tactics of many interactions, in two queries."""
    people: dict[int, list[str]] = defaultdict(list)
    tactics: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for iid, name in session.exec(
            select(InteractionContact.interaction_id, Contact.name)
            .join(Contact, col(Contact.id) == InteractionContact.contact_id)
            .where(col(InteractionContact.interaction_id).in_(chunk))
            .order_by(col(Contact.name_key))
        ).all():
            people[iid].append(name)
        for iid, tactic in session.exec(
            select(InteractionTactic.interaction_id, InteractionTactic.tactic)
            .where(col(InteractionTactic.interaction_id).in_(chunk))
            .order_by(col(InteractionTactic.tactic))
        ).all():
            tactics[iid].append(tactic)
    return people, tactics


def issues_of(session: Session, ids: Sequence[int]) -> dict[int, list[int]]:
    """The issues each of these interactions was logged for (`srm log --for-issue`)."""
    found: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for iid, issue_id in session.exec(
            select(IssueInteraction.interaction_id, IssueInteraction.issue_id)
            .where(col(IssueInteraction.interaction_id).in_(chunk))
            .order_by(col(IssueInteraction.issue_id))
        ).all():
            found[iid].append(issue_id)
    return found


def calls_for_issue(session: Session, issue: Issue) -> list[dict[str, Any]]:
    """The issue's calls, oldest first: the one it came out of and each logged for it."""
    linked = select(IssueInteraction.interaction_id).where(IssueInteraction.issue_id == issue.id)
    query = (
        select(Interaction, Supplier.name)
        .join(Supplier, col(Supplier.id) == Interaction.supplier_id)
        .where(
            or_(
                col(Interaction.id).in_(linked),
                col(Interaction.id) == issue.interaction_id,
            )
        )
        .order_by(col(Interaction.occurred_at), col(Interaction.id))
    )
    return interaction_records(session, list(session.exec(query).all()))


def interaction_records(
    session: Session, rows: Sequence[tuple[Interaction, str]]
) -> list[dict[str, Any]]:
    people, tactics = interaction_links(session, [i.id or 0 for i, _ in rows])
    return [
        interaction_record(i, name, people.get(i.id or 0, []), tactics.get(i.id or 0, []))
        for i, name in rows
    ]


def _day_bounds(
    date_from: date | None, date_to: date | None
) -> tuple[datetime | None, datetime | None]:
    if date_from and date_to and date_from > date_to:
        raise InvalidValueError(f"--from {date_from} is after --to {date_to}")
    start = datetime.combine(date_from, time()) if date_from else None
    end = datetime.combine(date_to, time.max) if date_to else None
    return start, end


def timeline(
    *,
    session: Session,
    supplier: str,
    limit: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    author: str | None = None,
    with_author: bool = False,
    tactic: str | None = None,
    tag: str | None = None,
) -> list[dict[str, Any]]:
    """Interactions, issues (by opening date) and follow-ups (by due date), oldest first.

    With `tactic` or `tag`, only the interactions carrying that tactic (a name from the
    vocabulary) or that tag (whole, any case): issues and follow-ups carry neither.

    With `author`, only the entries that person recorded (matched as `find_author` does,
    an unknown name refused). Entries are SPEC §7 records; `with_author` adds who
    recorded each issue and follow-up (interactions carry `author` already), for tables.
    """
    if limit is not None and limit < 1:
        raise InvalidValueError(f"-n {limit} is not accepted; give a number of entries, 1 or more")
    s = find_supplier(session=session, name=supplier)
    start, end = _day_bounds(date_from, date_to)
    wanted = find_author(session=session, name=author) if author is not None else None

    iq = select(Interaction).where(Interaction.supplier_id == s.id)
    if start:
        iq = iq.where(col(Interaction.occurred_at) >= start)
    if end:
        iq = iq.where(col(Interaction.occurred_at) <= end)
    if wanted is not None:
        iq = iq.where(by_author(wanted))
    if tactic is not None:
        (name,) = parse_tactics([tactic])
        iq = iq.where(
            col(Interaction.id).in_(
                select(InteractionTactic.interaction_id).where(
                    InteractionTactic.supplier_id == s.id, InteractionTactic.tactic == name
                )
            )
        )
    if tag is not None:
        from srmcli.fields import clean_list
        from srmcli.services.search import tagged_ids

        (tag,) = clean_list([tag], "tag")  # an empty tag is a mistake, as in `log --tag`

        iq = iq.where(col(Interaction.id).in_(tagged_ids(session, s.id or 0, tag)))
    iq = iq.order_by(col(Interaction.occurred_at).desc(), col(Interaction.id).desc())
    if limit:
        iq = iq.limit(limit)
    interactions = list(session.exec(iq).all())

    entries: list[tuple[datetime, int, dict[str, Any]]] = []
    belongs = issues_of(session, [i.id or 0 for i in interactions])
    for record in interaction_records(session, [(i, s.name) for i in interactions]):
        record["for_issues"] = belongs.get(record["id"], [])
        entries.append(
            (
                record["occurred_at"],
                0,
                {"type": "interaction", "date": record["occurred_at"], **record},
            )
        )

    labelled = tactic is not None or tag is not None
    issue_q = (
        select(Issue, Contact.name)
        .outerjoin(Contact, col(Contact.id) == Issue.escalated_to_id)
        .where(Issue.supplier_id == s.id)
    )
    if start:
        issue_q = issue_q.where(col(Issue.opened_at) >= start)
    if end:
        issue_q = issue_q.where(col(Issue.opened_at) <= end)
    if wanted is not None:
        issue_q = issue_q.where(by_author(wanted, col(Issue.author)))
    for issue, escalated_to in [] if labelled else session.exec(issue_q).all():
        record = issue_record(issue, s.name, escalated_to)
        if with_author:
            record["author"] = issue.author
        entries.append((issue.opened_at, 1, {"type": "issue", "date": issue.opened_at, **record}))

    fq = select(FollowUp).where(FollowUp.supplier_id == s.id)
    if date_from:
        fq = fq.where(col(FollowUp.due) >= date_from)
    if date_to:
        fq = fq.where(col(FollowUp.due) <= date_to)
    if wanted is not None:
        fq = fq.where(by_author(wanted, col(FollowUp.author)))
    for f in [] if labelled else session.exec(fq).all():
        record = followup_record(f, s.name)
        if with_author:
            record["author"] = f.author
        entries.append(
            (datetime.combine(f.due, time()), 2, {"type": "followup", "date": f.due, **record})
        )

    entries.sort(key=lambda e: (e[0], e[1], e[2]["id"]))
    rows = [e[2] for e in entries]
    if limit:
        rows = rows[-limit:]
    return rows


def search(
    *, session: Session, text: str, supplier: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Interactions whose note holds every word of `text` (prefixes count), best match first.

    Words are runs of letters and digits, as both full-text indexes split notes, so a
    stray `_` or `*` cannot turn into index syntax. Both read numbers, signs, case and
    accents alike (`5` finds `-5%`, `muller` finds `Müller`): SQLite ranks with FTS5's
    bm25, PostgreSQL with ts_rank, both newer first among equals.
    """
    if limit < 1:
        raise InvalidValueError(f"-n {limit} is not accepted; give a number of results, 1 or more")
    # normal form C first: a decomposed "é" is "e" and a combining mark, which would
    # split the word in two
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text or ""))
    if not words:
        raise InvalidValueError(
            f"give some words to search for (letters or digits); {text!r} has none"
        )
    supplier_id = find_supplier(session=session, name=supplier).id if supplier else None
    bind = session.get_bind()
    scope = " AND interaction.supplier_id = :sid" if supplier_id else ""
    if bind.dialect.name == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        sql = (
            "SELECT interaction_fts.rowid FROM interaction_fts "
            "JOIN interaction ON interaction.id = interaction_fts.rowid "
            "WHERE interaction_fts MATCH :match" + scope + " ORDER BY bm25(interaction_fts), "
            "interaction.occurred_at DESC, interaction.id DESC LIMIT :limit"
        )
    else:
        # The typed words are read by the very function the notes are indexed with
        # (migration 0010: punctuation, case and accents as SQLite's FTS5 reads them), each
        # lexeme a prefix (`:*`), `&` requiring them all; lexemes hold only letters and
        # digits, so quoting them is enough. `srm_note_words(note)` is written exactly as
        # the GIN index is, so the index answers the @@.
        match = " ".join(words)
        sql = (
            "SELECT interaction.id FROM interaction, (SELECT to_tsquery('simple', "
            "string_agg(quote_literal(word) || ':*', ' & ')) AS query FROM "
            "unnest(tsvector_to_array(srm_note_words(:match))) AS word) AS typed "
            "WHERE srm_note_words(note) @@ query" + scope + " ORDER BY "
            "ts_rank(srm_note_words(note), query) DESC, "
            "interaction.occurred_at DESC, interaction.id DESC LIMIT :limit"
        )
    ids = [
        row[0]
        for row in session.connection().execute(
            sql_text(sql), {"match": match, "sid": supplier_id, "limit": limit}
        )
    ]
    if not ids:
        return []
    found = {
        i.id: (i, name)
        for i, name in session.exec(
            select(Interaction, Supplier.name)
            .join(Supplier, col(Supplier.id) == Interaction.supplier_id)
            .where(col(Interaction.id).in_(ids))
        ).all()
    }
    return interaction_records(session, [found[i] for i in ids if i in found])


# -- correcting an interaction -----------------------------------------------------------


def find_interaction(*, session: Session, interaction_id: int | str) -> Interaction:

    number = values.record_id(interaction_id, "interaction id")
    found = session.get(Interaction, number)
    if found is None:
        raise NotFoundError(f"no interaction #{number}; `srm timeline SUPPLIER` shows them")
    return found


def show_interaction(*, session: Session, interaction_id: int | str) -> dict[str, Any]:
    """The interaction's record (SPEC §7), plus the issues and follow-ups that came out
    of it (their ids)."""
    found = find_interaction(session=session, interaction_id=interaction_id)
    return _interaction_shown(session, found)


def _interaction_shown(session: Session, found: Interaction) -> dict[str, Any]:
    supplier = session.get(Supplier, found.supplier_id)
    record = interaction_records(session, [(found, supplier.name if supplier else "")])[0]
    record["issues"] = list(
        session.exec(
            select(Issue.id).where(Issue.interaction_id == found.id).order_by(col(Issue.id))
        ).all()
    )
    record["followups"] = list(
        session.exec(
            select(FollowUp.id)
            .where(FollowUp.interaction_id == found.id)
            .order_by(col(FollowUp.id))
        ).all()
    )
    return record


def edit_interaction(*, session: Session, **options: Any) -> dict[str, Any]:
    """`corrections.edit_interaction` on an ORM session (see there for the options)."""
    return corrections.edit_interaction(store=OrmStore(session), **options)


def remove_interaction(*, session: Session, interaction_id: int | str) -> dict[str, Any]:
    """Remove an interaction logged by mistake. It is kept whole in the history with its
    people, tactics and the issues and follow-ups that came out of it (those stay, no
    longer linked), so `srm undo` brings all of it back."""
    found = find_interaction(session=session, interaction_id=interaction_id)
    record = _interaction_shown(session, found)
    history.remove(session, "interaction", found)
    return record
