"""`srm supplier add|list|show|edit|archive|rm`."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format, wrote

app = command_group()

CategoryOpt = Annotated[str | None, typer.Option("--category", help="What they supply.")]
SizeOpt = Annotated[str | None, typer.Option("--size", help="small, mid, large or mega.")]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="prospect, active, probation or inactive.")
]
AccessOpt = Annotated[
    str | None,
    typer.Option("--access", help="open, standard or restricted: how far in they may reach."),
]
ImpactOpt = Annotated[str | None, typer.Option("--profit-impact", help="low or high.")]
RiskOpt = Annotated[str | None, typer.Option("--supply-risk", help="low or high.")]
SpendOpt = Annotated[str | None, typer.Option("--annual-spend", help="Our yearly spend with them.")]
RevenueOpt = Annotated[str | None, typer.Option("--supplier-revenue", help="Their yearly revenue.")]
CadenceOpt = Annotated[
    str | None, typer.Option("--cadence", help="Keep-in-touch interval in days.", metavar="DAYS")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A standing note.")]
DomainOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--domain",
        help="An email domain of their people, e.g. northwind.example (repeatable).",
        metavar="DOMAIN",
    ),
]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Supplier name (unique, any case).")],
    category: CategoryOpt = None,
    size: SizeOpt = None,
    status: StatusOpt = None,
    access: AccessOpt = None,
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name they go by (repeatable).")
    ] = None,
    domain: DomainOpt = None,
    profit_impact: ImpactOpt = None,
    supply_risk: RiskOpt = None,
    annual_spend: SpendOpt = None,
    supplier_revenue: RevenueOpt = None,
    cadence: CadenceOpt = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")] = None,
    note: NoteOpt = None,
    fmt: FormatOption = "table",
) -> None:
    """Add a supplier."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import add_supplier

    annual_spend, supplier_revenue, cadence = _numbers(annual_spend, supplier_revenue, cadence)
    with db.session(write=True) as s:
        record = add_supplier(
            session=s, name=name, category=category, size=size, status=status, access=access,
            aliases=alias or [], profit_impact=profit_impact, supply_risk=supply_risk,
            annual_spend=annual_spend, supplier_revenue=supplier_revenue, cadence_days=cadence,
            tags=tag or [], note=note, domains=domain or [],
        )  # fmt: skip
    wrote(
        record, fmt, f"Added supplier {record['name']} (#{record['id']}).", columns=SUPPLIER_COLUMNS
    )


def _numbers(spend: str | None, revenue: str | None, cadence: str | None) -> tuple[Any, ...]:
    """The number options read here, so that a refusal names the option; None (not
    given) and "" (clear it) pass through as they are."""
    from srmcli import values
    from srmcli.services import suppliers

    def read(value: str | None, parse: Any) -> Any:
        return value if value is None or values.blank(value) else parse(value)

    return (
        read(spend, lambda v: suppliers.money(v, "--annual-spend")),
        read(revenue, lambda v: suppliers.money(v, "--supplier-revenue", above_zero=True)),
        read(cadence, lambda v: suppliers.cadence(v, "--cadence")),
    )


@app.command("list")
def list_(
    status: StatusOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include archived (inactive) suppliers.")
    ] = False,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """List suppliers (archived ones only with --all or --status inactive)."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import list_suppliers
    from srmcli.views.records import supplier_list

    with db.session() as s:
        rows = list_suppliers(session=s, status=status, include_inactive=all_)
    writers.deliver(supplier_list(rows, SUPPLIER_COLUMNS), fmt, out)


@app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    fmt: FormatOption = "table",
) -> None:
    """Show one supplier and the people there."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.cli.common import for_people
    from srmcli.services.contacts import list_contacts
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import show_supplier
    from srmcli.views.records import supplier_card

    people = for_people(fmt)
    with db.session() as s:
        record = show_supplier(session=s, name=name, with_author=people)
        contacts = (
            list_contacts(session=s, supplier=record["name"], with_author=True) if people else []
        )
    writers.deliver(supplier_card(record, contacts, SUPPLIER_COLUMNS), fmt)


@app.command("edit")
def edit(
    name: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    new_name: Annotated[str | None, typer.Option("--name", help="Rename the supplier.")] = None,
    category: CategoryOpt = None,
    size: SizeOpt = None,
    status: StatusOpt = None,
    access: AccessOpt = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Add an alias.")] = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", help="Remove an alias.")
    ] = None,
    domain: DomainOpt = None,
    remove_domain: Annotated[
        list[str] | None,
        typer.Option("--remove-domain", help="Remove an email domain.", metavar="DOMAIN"),
    ] = None,
    profit_impact: ImpactOpt = None,
    supply_risk: RiskOpt = None,
    annual_spend: SpendOpt = None,
    supplier_revenue: RevenueOpt = None,
    cadence: CadenceOpt = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="Add a tag.")] = None,
    untag: Annotated[list[str] | None, typer.Option("--untag", help="Remove a tag.")] = None,
    note: NoteOpt = None,
    fmt: FormatOption = "table",
) -> None:
    """Change a supplier. Give an option an empty value ("") to clear it."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import UNSET, edit_supplier

    def given(value: Any) -> Any:
        return UNSET if value is None else value

    annual_spend, supplier_revenue, cadence = _numbers(annual_spend, supplier_revenue, cadence)
    with db.session(write=True) as s:
        record = edit_supplier(
            session=s, name=name, new_name=new_name, category=given(category),
            size=given(size), status=given(status), access=given(access),
            add_aliases=alias or [], remove_aliases=remove_alias or [],
            profit_impact=given(profit_impact), supply_risk=given(supply_risk),
            annual_spend=given(annual_spend), supplier_revenue=given(supplier_revenue),
            cadence_days=given(cadence), add_tags=tag or [], remove_tags=untag or [],
            note=given(note), add_domains=domain or [], remove_domains=remove_domain or [],
        )  # fmt: skip
    wrote(record, fmt, f"Updated supplier {record['name']}.", columns=SUPPLIER_COLUMNS)


@app.command("archive")
def archive(
    name: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    fmt: FormatOption = "table",
) -> None:
    """Archive a supplier (status inactive); its history stays."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import archive_supplier

    with db.session(write=True) as s:
        record = archive_supplier(session=s, name=name)
    wrote(record, fmt, f"Archived supplier {record['name']}.", columns=SUPPLIER_COLUMNS)


@app.command("rm")
def rm(
    name: Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")],
    force: Annotated[bool, typer.Option("--force", help="Also delete all of its history.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Delete a supplier. Refused when it has history, unless --force."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.records import SUPPLIER_COLUMNS
    from srmcli.services.suppliers import remove_supplier

    with db.session(write=True) as s:
        record = remove_supplier(session=s, name=name, force=force)
    wrote(record, fmt, f"Deleted supplier {record['name']}.", columns=SUPPLIER_COLUMNS)
