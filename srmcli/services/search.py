"""`srm search` over everything a buyer wrote (SPEC §10): notes, tags, tactics, issue
descriptions and resolutions, and follow-up texts.

Notes are searched by `interactions.search` (its ranking and word rules unchanged); this
module adds the other texts beside it, with the same words and the same prefix matching:
SQLite reads the FTS5 tables of revision 0013, PostgreSQL the `to_tsvector('simple', …)`
expressions its GIN indexes cover. Tactics are a closed vocabulary, so their names are
matched here, then their interactions read through the tactic index.

A record matches when one of its texts holds every word: an interaction's note, its tags
(together) or one of its tactics' names; an issue's description and resolution
(together); a follow-up's text. Results come by type: interactions (note matches best
first, then tag and tactic matches, newest first), then issues (newest opened first),
then follow-ups (latest due first), each `{type, date, …the record}` as in the timeline.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text as sql_text
from sqlmodel import Session, col, select

from srmcli.errors import InvalidValueError
from srmcli.models import Contact, FollowUp, Interaction, InteractionTactic, Issue, Supplier
from srmcli.services.interactions import interaction_records
from srmcli.services.interactions import search as search_notes
from srmcli.services.records import followup_record, issue_record
from srmcli.services.suppliers import find_supplier
from srmcli.vocab import Tactic

TYPES = ("interaction", "issue", "followup")

# PostgreSQL: written exactly as revision 0013 indexed them, so the GIN indexes answer (a
# test compares them): through `srm_note_words` (revision 0010), which reads text as
# SQLite's FTS5 does — punctuation and signs as spaces, case and accents folded.
POSTGRES_VECTORS = {
    "tags": "srm_note_words(tags::text)",
    "issue": "srm_note_words(coalesce(description, '') || ' ' || coalesce(resolution, ''))",
    "followup": "srm_note_words(text)",
}
# the typed words read by the same function, each lexeme a prefix, all required
_POSTGRES_QUERY = (
    "(SELECT to_tsquery('simple', string_agg(quote_literal(word) || ':*', ' & ')) "
    "FROM unnest(tsvector_to_array(srm_note_words(:match))) AS word)"
)


def search_words(text: str) -> list[str]:
    """The words of a search as both full-text indexes split text: runs of letters and
    digits (NFC first, so a decomposed "é" stays one word)."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text or ""))


def check_types(wanted: Sequence[str] | None) -> list[str]:
    """`--type` values, each one of `TYPES`; none given means all of them."""
    if not wanted:
        return list(TYPES)
    chosen = []
    for value in wanted:
        kind = (value or "").strip().lower().replace("-", "").replace("_", "")
        kind = "followup" if kind in ("followup", "followups") else kind.rstrip("s")
        if kind not in TYPES:
            raise InvalidValueError(
                f"--type {value!r} is not accepted; accepted: {', '.join(TYPES)}"
            )
        if kind not in chosen:
            chosen.append(kind)
    return chosen


def tactics_named(words: Sequence[str]) -> list[str]:
    """The tactics whose name holds every word (a word matches a part of the name that
    it begins: `price increase` and `pric` both name `price-increase`)."""
    folded = [w.casefold() for w in words]
    found = []
    for tactic in Tactic:
        parts = tactic.value.split("-")
        if all(any(part.startswith(w) for part in parts) for w in folded):
            found.append(tactic.value)
    return found


def _full_text_ids(
    session: Session, words: Sequence[str], kind: str, supplier_id: int | None, limit: int
) -> list[int]:
    """Ids of the records of `kind` (`tags`, `issue`, `followup`) whose indexed text holds
    every word, newest first."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    table, order = {
        "tags": ("interaction", "occurred_at"),
        "issue": ("issue", "opened_at"),
        "followup": ("followup", "due"),
    }[kind]
    scope = f" AND {table}.supplier_id = :sid" if supplier_id else ""
    if sqlite:
        fts = {"tags": "interaction_tag_fts", "issue": "issue_fts", "followup": "followup_fts"}
        index = fts[kind]
        match = " ".join(f'"{w}"*' for w in words)
        sql = (
            f"SELECT {table}.id FROM {index} JOIN {table} ON {table}.id = {index}.rowid "
            f"WHERE {index} MATCH :match{scope} "
            f"ORDER BY {table}.{order} DESC, {table}.id DESC LIMIT :limit"
        )
    else:
        vector = POSTGRES_VECTORS[kind]
        match = " ".join(words)
        sql = (
            f"SELECT {table}.id FROM {table} WHERE {vector} @@ {_POSTGRES_QUERY}"
            f"{scope} ORDER BY {table}.{order} DESC, {table}.id DESC LIMIT :limit"
        )
    rows = session.connection().execute(
        sql_text(sql), {"match": match, "sid": supplier_id, "limit": limit}
    )
    return [int(row[0]) for row in rows]


def tagged_ids(session: Session, supplier_id: int, tag: str) -> list[int]:
    """Ids of the supplier's interactions carrying the tag `tag` (whole, any case): the
    tag index finds those holding its words, then the tag itself is compared."""
    wanted = " ".join(tag.split()).casefold()
    words = search_words(tag)
    if words:
        candidates = _full_text_ids(session, words, "tags", supplier_id, 2**31 - 1)
        query = select(Interaction.id, Interaction.tags).where(col(Interaction.id).in_(candidates))
    else:  # a tag of signs only: no index holds it, so the supplier's tags are read
        query = select(Interaction.id, Interaction.tags).where(
            Interaction.supplier_id == supplier_id
        )
    return [
        int(iid)
        for iid, tags in session.exec(query).all()
        if iid is not None and any(t.casefold() == wanted for t in tags or [])
    ]


def _tactic_ids(
    session: Session, tactics: Sequence[str], supplier_id: int | None, limit: int
) -> list[int]:
    if not tactics:
        return []
    query = select(InteractionTactic.interaction_id).where(
        col(InteractionTactic.tactic).in_(list(tactics))
    )
    if supplier_id:
        query = query.where(InteractionTactic.supplier_id == supplier_id)
    query = query.order_by(
        col(InteractionTactic.occurred_at).desc(), col(InteractionTactic.interaction_id).desc()
    ).limit(limit)
    return list(dict.fromkeys(int(i) for i in session.exec(query).all()))


def _interactions(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    found = {
        i.id: (i, name)
        for i, name in session.exec(
            select(Interaction, Supplier.name)
            .join(Supplier, col(Supplier.id) == Interaction.supplier_id)
            .where(col(Interaction.id).in_(list(ids)))
        ).all()
    }
    # newest first among label matches (the id order they were found in)
    return interaction_records(session, [found[i] for i in ids if i in found])


def search_everything(
    *,
    session: Session,
    text: str,
    supplier: str | None = None,
    types: Sequence[str] | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """Records holding every word of `text`, by type (see the module), at most `limit`."""
    if limit < 1:
        raise InvalidValueError(f"-n {limit} is not accepted; give a number of results, 1 or more")
    chosen = check_types(types)
    words = search_words(text)
    if not words:
        raise InvalidValueError(
            f"give some words to search for (letters or digits); {text!r} has none"
        )
    supplier_id = find_supplier(session=session, name=supplier).id if supplier else None
    out: list[dict[str, Any]] = []

    if "interaction" in chosen:
        by_note = search_notes(session=session, text=text, supplier=supplier, limit=limit)
        seen = {r["id"] for r in by_note}
        labelled = [
            i
            for i in dict.fromkeys(
                _full_text_ids(session, words, "tags", supplier_id, limit)
                + _tactic_ids(session, tactics_named(words), supplier_id, limit)
            )
            if i not in seen
        ]
        by_label = _interactions(session, labelled)
        by_label.sort(key=lambda r: (r["occurred_at"], r["id"]), reverse=True)
        out += [{"type": "interaction", "date": r["occurred_at"], **r} for r in by_note + by_label]

    if "issue" in chosen and len(out) < limit:
        ids = _full_text_ids(session, words, "issue", supplier_id, limit - len(out))
        rows = session.exec(
            select(Issue, Supplier.name, Contact.name)
            .join(Supplier, col(Supplier.id) == Issue.supplier_id)
            .outerjoin(Contact, col(Contact.id) == Issue.escalated_to_id)
            .where(col(Issue.id).in_(ids))
        ).all()
        found = {issue.id: issue_record(issue, name, who) for issue, name, who in rows}
        out += [{"type": "issue", "date": found[i]["opened_at"], **found[i]} for i in ids]

    if "followup" in chosen and len(out) < limit:
        ids = _full_text_ids(session, words, "followup", supplier_id, limit - len(out))
        promises = session.exec(
            select(FollowUp, Supplier.name)
            .join(Supplier, col(Supplier.id) == FollowUp.supplier_id)
            .where(col(FollowUp.id).in_(ids))
        ).all()
        promised = {f.id: followup_record(f, name) for f, name in promises}
        out += [
            {
                "type": "followup",
                "date": promised[i]["due"],
                **promised[i],
            }
            for i in ids
        ]
    return out[:limit]
