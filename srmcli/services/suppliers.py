"""Suppliers: add, find by name/alias/prefix, edit, archive, remove."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from srmcli import dates, values
from srmcli.drafts import optional_text, recorded_by
from srmcli.errors import ConflictError, NotFoundError
from srmcli.fields import clean_domains, clean_list, clean_name, optional_line
from srmcli.models import (
    Candidate,
    Contact,
    FollowUp,
    Interaction,
    Issue,
    StatusReport,
    Supplier,
)
from srmcli.naming import Named, key, resolve_supplier
from srmcli.services import history
from srmcli.services.records import supplier_record
from srmcli.vocab import Access, Level, Size, SupplierStatus, parse_choice


def find_supplier(*, session: Session, name: str) -> Supplier:
    """Exact name or alias (case-insensitive), then a unique prefix; else a helpful error."""
    wanted = key(name or "")
    if wanted:
        exact = session.exec(select(Supplier).where(Supplier.name_key == wanted)).first()
        if exact is not None:
            return exact
    suppliers = {s.id: s for s in session.exec(select(Supplier)).all()}
    named = [
        Named(id=s.id or 0, name=s.name, aliases=tuple(s.aliases or ())) for s in suppliers.values()
    ]
    return suppliers[resolve_supplier(name, named).id]


def _check_unique(
    session: Session,
    names: Sequence[str],
    *,
    domains: Sequence[str] = (),
    except_id: int | None = None,
) -> None:
    # no autoflush: an edited supplier's new name must be checked, not written first
    with session.no_autoflush:
        suppliers = session.exec(select(Supplier)).all()
    taken: dict[str, str] = {}
    held: dict[str, str] = {}
    for s in suppliers:
        if s.id == except_id:
            continue
        taken[s.name_key] = s.name
        for alias in s.aliases or []:
            taken[key(alias)] = s.name
        for domain in s.domains or []:
            held[domain] = s.name
    for n in names:
        owner = taken.get(key(n))
        if owner is not None:
            raise ConflictError(f"{n!r} is already used by supplier {owner!r}")
    for domain in domains:
        owner = held.get(domain)
        if owner is not None:
            raise ConflictError(
                f"the domain {domain} is already used by supplier {owner!r}; a domain "
                f"belongs to one supplier (remove it there with `srm supplier edit {owner!r} "
                f"--remove-domain {domain}`)"
            )


def _choice(enum: Any, value: str | None, what: str) -> str | None:
    if value is None or value == "":
        return None
    return str(parse_choice(enum, value, what).value)


def add_supplier(
    *,
    session: Session,
    name: str,
    category: str | None = None,
    size: str | None = None,
    status: str | None = None,
    access: str | None = None,
    aliases: Sequence[str] = (),
    profit_impact: str | None = None,
    supply_risk: str | None = None,
    annual_spend: float | str | None = None,
    supplier_revenue: float | str | None = None,
    cadence_days: int | str | None = None,
    tags: Sequence[str] = (),
    note: str | None = None,
    created_at: Any = None,
    author: str | None = None,
    domains: Sequence[str] = (),
) -> dict[str, Any]:
    """Add a supplier, recorded by `author` (default: whoever is writing)."""
    supplier = build_supplier(
        name=name, category=category, size=size, status=status, access=access,
        aliases=aliases, profit_impact=profit_impact, supply_risk=supply_risk,
        annual_spend=annual_spend, supplier_revenue=supplier_revenue,
        cadence_days=cadence_days, tags=tags, note=note, created_at=created_at,
        author=recorded_by(author), domains=domains,
    )  # fmt: skip
    _check_unique(session, [supplier.name, *supplier.aliases], domains=supplier.domains)
    session.add(supplier)
    session.flush()
    return supplier_record(supplier)


def money(value: object, what: str, *, above_zero: bool = False) -> float | int | None:
    """A yearly amount: blank is unknown; else 0 or more (revenue: above 0)."""
    if values.blank(value):
        return None
    accepted = "a number above 0" if above_zero else "a number, 0 or more"
    accepted += " (e.g. 150000 or 150000.5)"
    number = values.amount(value, what, lo=0, accepted=accepted)
    if above_zero and number == 0:
        raise values.refused(what, value, accepted)
    if (
        number.adjusted() >= MONEY_DIGITS
        or len(number.normalize().as_tuple().digits) > MONEY_DIGITS
    ):
        # both databases keep it exactly, and every format prints it back as given
        raise values.refused(
            what, value, f"a number of at most {MONEY_DIGITS} digits (e.g. 150000 or 150000.5)"
        )
    return values.plain(number)


MONEY_DIGITS = 15


def cadence(value: object, what: str = "cadence") -> int | None:
    return None if values.blank(value) else values.days(value, what)


def build_supplier(
    *,
    name: str,
    category: str | None = None,
    size: str | None = None,
    status: str | None = None,
    access: str | None = None,
    aliases: Sequence[str] = (),
    profit_impact: str | None = None,
    supply_risk: str | None = None,
    annual_spend: float | str | None = None,
    supplier_revenue: float | str | None = None,
    cadence_days: int | str | None = None,
    tags: Sequence[str] = (),
    note: str | None = None,
    created_at: Any = None,
    author: str | None = None,
    domains: Sequence[str] = (),
) -> Supplier:
    """A validated, unsaved supplier (shared by `add` and `import`)."""
    clean = clean_name(name)
    return Supplier(
        name=clean,
        name_key=key(clean),
        aliases=clean_list(aliases, "alias"),
        domains=clean_domains(domains),
        category=optional_line(category, "category"),
        size=_choice(Size, size, "size"),
        status=_choice(SupplierStatus, status, "status") or SupplierStatus.active.value,
        access=_choice(Access, access, "access") or Access.standard.value,
        profit_impact=_choice(Level, profit_impact, "profit impact"),
        supply_risk=_choice(Level, supply_risk, "supply risk"),
        annual_spend=money(annual_spend, "annual spend"),
        supplier_revenue=money(supplier_revenue, "supplier revenue", above_zero=True),
        cadence_days=cadence(cadence_days),
        tags=clean_list(tags, "tag"),
        note=note if note else None,
        created_at=created_at or dates.now(),
        author=optional_text(author),
    )


def list_suppliers(
    *, session: Session, status: str | None = None, include_inactive: bool = False
) -> list[dict[str, Any]]:
    query = select(Supplier).order_by(col(Supplier.name_key))
    if status:
        query = query.where(Supplier.status == _choice(SupplierStatus, status, "status"))
    elif not include_inactive:
        query = query.where(Supplier.status != SupplierStatus.inactive.value)
    return [supplier_record(s) for s in session.exec(query).all()]


def show_supplier(*, session: Session, name: str, with_author: bool = False) -> dict[str, Any]:
    """The supplier's record; `with_author` adds who recorded it (for tables, not SPEC §7)."""
    s = find_supplier(session=session, name=name)
    record = supplier_record(s)
    if with_author:
        record["author"] = s.author
    return record


UNSET: Any = object()


def edit_supplier(
    *,
    session: Session,
    name: str,
    new_name: str | None = None,
    category: str | None = UNSET,
    size: str | None = UNSET,
    status: str | None = UNSET,
    access: str | None = UNSET,
    add_aliases: Sequence[str] = (),
    remove_aliases: Sequence[str] = (),
    profit_impact: str | None = UNSET,
    supply_risk: str | None = UNSET,
    annual_spend: float | str | None = UNSET,
    supplier_revenue: float | str | None = UNSET,
    cadence_days: int | str | None = UNSET,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    note: str | None = UNSET,
    add_domains: Sequence[str] = (),
    remove_domains: Sequence[str] = (),
) -> dict[str, Any]:
    """Change what is given; an empty string clears an optional field. The change is
    kept in the history (a new name as a rename)."""
    s = find_supplier(session=session, name=name)
    before = history.state(session, "supplier", s)
    if new_name is not None:
        s.name = clean_name(new_name)
        s.name_key = key(s.name)
    if category is not UNSET:
        s.category = optional_line(category, "category")
    if size is not UNSET:
        s.size = _choice(Size, size, "size")
    if status is not UNSET:
        s.status = _choice(SupplierStatus, status, "status") or s.status
    if access is not UNSET:
        s.access = _choice(Access, access, "access") or s.access
    if profit_impact is not UNSET:
        s.profit_impact = _choice(Level, profit_impact, "profit impact")
    if supply_risk is not UNSET:
        s.supply_risk = _choice(Level, supply_risk, "supply risk")
    if annual_spend is not UNSET:
        s.annual_spend = money(annual_spend, "annual spend")
    if supplier_revenue is not UNSET:
        s.supplier_revenue = money(supplier_revenue, "supplier revenue", above_zero=True)
    if cadence_days is not UNSET:
        s.cadence_days = cadence(cadence_days)
    if note is not UNSET:
        s.note = note or None
    drop = {key(a) for a in remove_aliases}
    missing = [a for a in remove_aliases if key(a) not in {key(x) for x in s.aliases or []}]
    if missing:
        raise NotFoundError(f"{s.name} has no alias {missing[0]!r}")
    s.aliases = clean_list(
        add_aliases, "alias", kept=[a for a in s.aliases or [] if key(a) not in drop]
    )
    untag = {key(t) for t in remove_tags}
    unknown = [t for t in remove_tags if key(t) not in {key(x) for x in s.tags or []}]
    if unknown:
        raise NotFoundError(f"{s.name} has no tag {unknown[0]!r}")
    s.tags = clean_list(add_tags, "tag", kept=[t for t in s.tags or [] if key(t) not in untag])
    gone = clean_domains(remove_domains)
    absent = [d for d in gone if d not in (s.domains or [])]
    if absent:
        raise NotFoundError(f"{s.name} has no domain {absent[0]!r}")
    s.domains = clean_domains([d for d in s.domains or [] if d not in gone] + list(add_domains))
    _check_unique(session, [s.name, *s.aliases], domains=s.domains, except_id=s.id)
    session.add(s)
    renamed = s.name != before["name"]
    history.changed(session, "supplier", s, "rename" if renamed else "edit", before)
    return supplier_record(s)


def archive_supplier(*, session: Session, name: str) -> dict[str, Any]:
    s = find_supplier(session=session, name=name)
    before = history.state(session, "supplier", s)
    s.status = SupplierStatus.inactive.value
    session.add(s)
    history.changed(session, "supplier", s, "archive", before)
    return supplier_record(s)


def history_counts(*, session: Session, supplier_id: int) -> dict[str, int]:
    counts = {}
    for label, model in (
        ("contacts", Contact),
        ("interactions", Interaction),
        ("issues", Issue),
        ("follow-ups", FollowUp),
        ("status reports", StatusReport),
        ("sourcing candidacies", Candidate),
    ):
        n = session.exec(
            select(func.count()).select_from(model).where(model.supplier_id == supplier_id)  # type: ignore[attr-defined]
        ).one()
        if n:
            counts[label] = int(n)
    return counts


def remove_supplier(*, session: Session, name: str, force: bool = False) -> dict[str, Any]:
    s = find_supplier(session=session, name=name)
    counts = history_counts(session=session, supplier_id=s.id or 0)
    if counts and not force:
        held = ", ".join(f"{n} {label}" for label, n in counts.items())
        raise ConflictError(
            f"{s.name} has history ({held}); archive it with `srm supplier archive {s.name!r}` "
            "or delete everything with --force"
        )
    record = supplier_record(s)
    # kept whole in the history, with everything --force takes with it, for `srm undo`
    history.remove(session, "supplier", s)
    return record
