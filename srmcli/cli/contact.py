"""`srm contact add|list|edit|rm`."""

from __future__ import annotations

from typing import Annotated

import typer

from srmcli.cli.common import FormatOption, OutputOption, command_group, output_format, wrote

app = command_group()

SupplierArg = Annotated[str, typer.Argument(help="Supplier name, alias or unique prefix.")]
NameArg = Annotated[str, typer.Argument(help="The person's name (or a unique prefix).")]
ROLE_HELP = (
    "sales, customer-service, operations, engineering, quality, logistics, finance, "
    "executive or other."
)
TitleOpt = Annotated[str | None, typer.Option("--title", help="Job title.")]
EmailOpt = Annotated[str | None, typer.Option("--email", help="Email address.")]
PhoneOpt = Annotated[str | None, typer.Option("--phone", help="Phone number.")]
NoteOpt = Annotated[str | None, typer.Option("--note", help="A note about them.")]


@app.command("add")
def add(
    supplier: SupplierArg,
    name: Annotated[str, typer.Argument(help="The person's name.")],
    role: Annotated[str, typer.Option("--role", help=ROLE_HELP)],
    title: TitleOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    note: NoteOpt = None,
    fmt: FormatOption = "table",
) -> None:
    """Add a person at a supplier."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.contacts import add_contact
    from srmcli.services.records import CONTACT_COLUMNS

    with db.session(write=True) as s:
        record = add_contact(
            session=s, supplier=supplier, name=name, role=role, title=title, email=email,
            phone=phone, note=note,
        )  # fmt: skip
    wrote(
        record,
        fmt,
        f"Added {record['name']} ({record['role']}) at {record['supplier']} (#{record['id']}).",
        columns=CONTACT_COLUMNS,
    )


@app.command("list")
def list_(
    supplier: Annotated[str | None, typer.Argument(help="Only this supplier's people.")] = None,
    role: Annotated[str | None, typer.Option("--role", help="Only this role.")] = None,
    fmt: FormatOption = "table",
    out: OutputOption = None,
) -> None:
    """List contacts, of one supplier or all."""
    fmt = output_format(fmt)
    from srmcli import db, writers
    from srmcli.cli.common import for_people
    from srmcli.services.contacts import list_contacts
    from srmcli.services.records import CONTACT_COLUMNS
    from srmcli.views.records import contact_list

    with db.session() as s:
        rows = list_contacts(session=s, supplier=supplier, role=role, with_author=for_people(fmt))
    writers.deliver(contact_list(rows, CONTACT_COLUMNS), fmt, out)


@app.command("edit")
def edit(
    supplier: SupplierArg,
    name: NameArg,
    new_name: Annotated[str | None, typer.Option("--name", help="Rename them.")] = None,
    role: Annotated[str | None, typer.Option("--role", help=ROLE_HELP)] = None,
    title: TitleOpt = None,
    email: EmailOpt = None,
    phone: PhoneOpt = None,
    note: NoteOpt = None,
    active: Annotated[
        bool | None,
        typer.Option("--active/--inactive", help="Still there, or moved on."),
    ] = None,
    fmt: FormatOption = "table",
) -> None:
    """Change a contact. Give an option an empty value ("") to clear it."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.contacts import edit_contact
    from srmcli.services.records import CONTACT_COLUMNS
    from srmcli.services.suppliers import UNSET

    def given(value: str | None) -> str | None:
        return UNSET if value is None else value

    with db.session(write=True) as s:
        record = edit_contact(
            session=s, supplier=supplier, name=name, new_name=new_name, role=role,
            title=given(title), email=given(email), phone=given(phone), note=given(note),
            active=active,
        )  # fmt: skip
    wrote(
        record, fmt, f"Updated {record['name']} at {record['supplier']}.", columns=CONTACT_COLUMNS
    )


@app.command("rm")
def rm(
    supplier: SupplierArg,
    name: NameArg,
    force: Annotated[
        bool, typer.Option("--force", help="Delete even if they took part in interactions.")
    ] = False,
    fmt: FormatOption = "table",
) -> None:
    """Delete a contact (refused when they have history, unless --force)."""
    fmt = output_format(fmt)
    from srmcli import db
    from srmcli.services.contacts import remove_contact
    from srmcli.services.records import CONTACT_COLUMNS

    with db.session(write=True) as s:
        record = remove_contact(session=s, supplier=supplier, name=name, force=force)
    wrote(
        record, fmt, f"Deleted {record['name']} at {record['supplier']}.", columns=CONTACT_COLUMNS
    )
