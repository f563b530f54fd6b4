"""The people at a supplier: add, find by name or unique prefix, edit, remove."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from srmcli import wording
from srmcli.drafts import optional_text, recorded_by
from srmcli.errors import ConflictError, InvalidValueError
from srmcli.fields import clean_person, optional_line
from srmcli.models import Contact, InteractionContact, Issue, Supplier
from srmcli.naming import Named, key, resolve_contact
from srmcli.services import history
from srmcli.services.records import contact_record
from srmcli.services.suppliers import UNSET, find_supplier
from srmcli.vocab import Role, parse_choice


def find_contact(*, session: Session, supplier: Supplier, name: str) -> Contact:
    """A contact of `supplier` by name (any case), then unique prefix; else list who is there."""
    people = {
        c.id: c
        for c in session.exec(select(Contact).where(Contact.supplier_id == supplier.id)).all()
    }
    named = [Named(id=c.id or 0, name=c.name, label=c.role) for c in people.values()]
    return people[resolve_contact(name, supplier.name, named).id]


def _email(value: str | None) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if "@" not in text or " " in text:
        raise InvalidValueError(f"email {value!r} does not look like an address (name@domain)")
    return text


def build_contact(
    *,
    supplier: Supplier,
    name: str,
    role: str,
    title: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    note: str | None = None,
    active: bool = True,
    author: str | None = None,
) -> Contact:
    clean = clean_person(name)
    return Contact(
        supplier_id=supplier.id or 0,
        name=clean,
        name_key=key(clean),
        role=parse_choice(Role, role or "", "role").value,
        title=optional_line(title, "title"),
        email=_email(email),
        phone=(phone or "").strip() or None,
        note=note or None,
        active=active,
        author=optional_text(author),
    )


def add_contact(
    *,
    session: Session,
    supplier: str,
    name: str,
    role: str,
    title: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    note: str | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Add a person at a supplier, recorded by `author` (default: whoever is writing)."""
    s = find_supplier(session=session, name=supplier)
    person = build_contact(
        supplier=s, name=name, role=role, title=title, email=email, phone=phone, note=note,
        author=recorded_by(author),
    )  # fmt: skip
    clash = session.exec(
        select(Contact).where(Contact.supplier_id == s.id, Contact.name_key == person.name_key)
    ).first()
    if clash is not None:
        raise ConflictError(f"{s.name} already has a contact named {clash.name}")
    session.add(person)
    session.flush()
    return contact_record(person, s.name)


def list_contacts(
    *,
    session: Session,
    supplier: str | None = None,
    role: str | None = None,
    with_author: bool = False,
) -> list[dict[str, Any]]:
    """Contacts as records; `with_author` adds who recorded each (for tables, not SPEC §7)."""
    query = select(Contact, Supplier.name).join(Supplier, col(Contact.supplier_id) == Supplier.id)
    if supplier:
        s = find_supplier(session=session, name=supplier)
        query = query.where(Contact.supplier_id == s.id)
    if role:
        query = query.where(Contact.role == parse_choice(Role, role, "role").value)
    query = query.order_by(col(Supplier.name_key), col(Contact.name_key))
    rows = []
    for c, sname in session.exec(query).all():
        record = contact_record(c, sname)
        if with_author:
            record["author"] = c.author
        rows.append(record)
    return rows


def edit_contact(
    *,
    session: Session,
    supplier: str,
    name: str,
    new_name: str | None = None,
    role: str | None = None,
    title: str | None = UNSET,
    email: str | None = UNSET,
    phone: str | None = UNSET,
    note: str | None = UNSET,
    active: bool | None = None,
) -> dict[str, Any]:
    s = find_supplier(session=session, name=supplier)
    person = find_contact(session=session, supplier=s, name=name)
    before = history.state(session, "contact", person)
    if new_name is not None:
        person.name = clean_person(new_name)
        person.name_key = key(person.name)
        with session.no_autoflush:  # checked before the new name is written
            clash = session.exec(
                select(Contact).where(
                    Contact.supplier_id == s.id,
                    Contact.name_key == person.name_key,
                    Contact.id != person.id,
                )
            ).first()
        if clash is not None:
            raise ConflictError(f"{s.name} already has a contact named {clash.name}")
    if role is not None:
        person.role = parse_choice(Role, role, "role").value
    if title is not UNSET:
        person.title = optional_line(title, "title")
    if email is not UNSET:
        person.email = _email(email)
    if phone is not UNSET:
        person.phone = (phone or "").strip() or None
    if note is not UNSET:
        person.note = note or None
    if active is not None:
        person.active = active
    session.add(person)
    renamed = person.name != before["name"]
    history.changed(session, "contact", person, "rename" if renamed else "edit", before, supplier=s)
    return contact_record(person, s.name)


def remove_contact(
    *, session: Session, supplier: str, name: str, force: bool = False
) -> dict[str, Any]:
    s = find_supplier(session=session, name=supplier)
    person = find_contact(session=session, supplier=s, name=name)
    took_part = session.exec(
        select(func.count())
        .select_from(InteractionContact)
        .where(InteractionContact.contact_id == person.id)
    ).one()
    escalations = session.exec(
        select(func.count()).select_from(Issue).where(Issue.escalated_to_id == person.id)
    ).one()
    if (took_part or escalations) and not force:
        raise ConflictError(
            f"{person.name} took part in {wording.plural(took_part, 'interaction')} and "
            f"{wording.plural(escalations, 'escalation')}; mark them inactive with "
            f"`srm contact edit {s.name!r} {person.name!r} --inactive`, or delete anyway "
            "with --force"
        )
    record = contact_record(person, s.name)
    # kept whole in the history with the calls they took part in, for `srm undo`
    history.remove(session, "contact", person, supplier=s)
    return record
