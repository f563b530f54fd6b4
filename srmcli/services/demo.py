"""The buyer's story of SPEC §1 as a sample journal, written through the public services.

Every date is relative to the clock (`dates.now()`, which honours SRM_NOW), so the demo
always looks fresh: the price push was "twelve days ago" whenever it is run. Nothing here
writes SQL; the story goes through the same validated functions as `srm log`, `srm issue`
and `srm followup`, so the demo also shows what those rules allow.

The cast:

* Northwind Metals: a mega supplier with a call center, pushing an across-the-board
  price increase (logged three times) and a threat to cut supply, while a late delivery
  is still open and a promised cost breakdown is overdue. Its brief is the one shown.
* Brightline Components: a customer-service breakdown escalated to the president and
  resolved months ago; the buyer's friend in operations is how things get done there.
* Precision Castings: the trusted supplier, with open access and people known in
  engineering, operations, quality and the executive suite; visits, meetings, warm tone.
* Hartley & Sons Machining: a small shop where we are a big customer, behind on a
  promise and past its keep-in-touch cadence.
* Quantum Polymers: a prospect nobody has called yet.

Northwind's last two weekly status reports (a slipped line, a late one) and a sourcing
project of six candidates, led by the newcomer who sent a video tour, complete it. This
is the only module that holds sample data.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from srmcli import dates, db, wording
from srmcli.errors import ConflictError
from srmcli.models import Contact, Supplier
from srmcli.services.contacts import add_contact, edit_contact, find_contact
from srmcli.services.followups import add_followup, complete_followup
from srmcli.services.interactions import log_interaction
from srmcli.services.issues import build_issue
from srmcli.services.sourcing import add_candidate, move_candidate, new_project, rate_candidate
from srmcli.services.status import LINE_COLUMNS, import_status_report, read_status_file
from srmcli.services.suppliers import add_supplier, find_supplier, key, list_suppliers

AUTHOR = "demo"
BRIEF_SUPPLIER = "Northwind Metals"


class _Story:
    """Writes the story through the services, with days counted back from today."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.today = dates.today()

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int, hour: int = 10) -> datetime:
        return datetime.combine(self.day(days_ago), time(hour))

    def supplier(self, name: str, *, added_days_ago: int = 400, **fields: Any) -> None:
        add_supplier(
            session=self.session,
            name=name,
            created_at=self.at(added_days_ago, 9),
            author=AUTHOR,
            **fields,
        )

    def people(self, supplier: str, *people: tuple[str, str, str]) -> None:
        for name, role, title in people:
            add_contact(
                session=self.session,
                supplier=supplier,
                name=name,
                role=role,
                title=title,
                author=AUTHOR,
            )

    def log(self, supplier: str, days_ago: int, note: str, **options: Any) -> dict[str, Any]:
        return log_interaction(
            session=self.session,
            supplier=supplier,
            note=note,
            occurred_at=self.at(days_ago, options.pop("hour", 10)),
            author=AUTHOR,
            **options,
        )

    def promise(
        self, supplier: str, text: str, due_days_ago: int, *, owner: str, done_days_ago: int | None
    ) -> None:
        record = add_followup(
            session=self.session,
            supplier=supplier,
            text=text,
            due=self.day(due_days_ago),
            owner=owner,
            author=AUTHOR,
        )
        if done_days_ago is not None:
            complete_followup(
                session=self.session, followup_id=record["id"], done_at=self.at(done_days_ago, 16)
            )

    def contact(self, supplier: str, name: str) -> Contact:
        found: Supplier = find_supplier(session=self.session, name=supplier)
        return find_contact(session=self.session, supplier=found, name=name)


def _northwind(story: _Story) -> None:
    name = BRIEF_SUPPLIER
    story.supplier(
        name, category="aluminium bar and sheet", size="mega", access="standard",
        aliases=["NWM"], profit_impact="high", supply_risk="low", annual_spend=1_800_000,
        supplier_revenue=5_200_000_000, cadence_days=14, tags=["metals"],
        note="Call center for orders; account manager changes every year.",
    )  # fmt: skip
    story.people(
        name,
        ("Alice Moreau", "sales", "Key account manager"),
        ("Service Desk", "customer-service", "Call center"),
        ("Marc Dubois", "operations", "Mill scheduler"),
        ("Ines Vogel", "engineering", "Application engineer"),
    )
    # A warmer spring, before the price campaign: the scheduler and the application
    # engineer took calls, then both left; nobody replaced them on our side of the desk.
    for days_ago, channel, initiator, tone, people, note in (
        (175, "visit", "us", 2, ["Marc", "Ines"], "Plant tour in Ghent: the rolling mill."),
        (168, "call", "them", 1, ["Marc"], "Marc offered a slot for our rush order."),
        (160, "call", "us", 1, ["Alice"], "Quarterly review: lead times steady at 6 weeks."),
        (152, "meeting", "them", 1, ["Alice", "Ines"], "Alloy options for 6061 bar."),
        (145, "video", "us", 1, ["Ines"], "Machinability trial results: good."),
        (138, "call", "them", 1, ["Marc"], "Allocation for Q3 confirmed early."),
        (130, "call", "us", 1, ["Alice"], "Annual forecast shared; they want a 2-year deal."),
        (122, "meeting", "them", 1, ["Alice", "Marc"], "Joint planning session."),
        (115, "call", "us", 0, ["Marc"], "Marc is leaving the company next month."),
        (108, "meeting", "them", 1, ["Alice"], "Alice brought their new logistics offer."),
        (100, "call", "us", 0, ["Alice"], "Confirmed Q3 allocation; Ines has left too."),
        (93, "visit", "them", 1, ["Alice"], "Alice visited to present next year's plans."),
    ):
        story.log(
            name, days_ago, note, contacts=people, channel=channel, initiator=initiator,
            tone=tone,
        )  # fmt: skip
    for departed in ("Marc Dubois", "Ines Vogel"):
        edit_contact(session=story.session, supplier=name, name=departed, active=False)
    story.log(
        name, 80, "Alice announced an across-the-board 8% increase from January, citing energy.",
        contacts=["Alice"], channel="call", initiator="them", tone=-1,
        tactics=["price-increase", "flattery"],
    )  # fmt: skip
    story.log(
        name, 40, "Increase letter arrived by email; 'all customers are accepting it'.",
        contacts=["Alice"], channel="email", initiator="them", tone=-1,
        tactics=["price-increase", "deadline-pressure"],
    )  # fmt: skip
    story.log(
        name, 22, "Shipment for PO 4411 missed its date; the call center had no new date.",
        contacts=["Service Desk"], channel="call", tone=-2,
        issue_kind="late-delivery", issue_severity=2,
    )  # fmt: skip
    story.log(
        name, 12, "Alice again: sign the increase by Friday or allocation may be reduced.",
        contacts=["Alice"], channel="call", initiator="them", tone=-2,
        tactics=["price-increase", "supply-threat"],
        follow_up="Send the cost breakdown behind the 8% increase", follow_up_due=story.day(6),
        follow_up_owner="them",
    )  # fmt: skip
    story.promise(name, "Confirm a new ship date for PO 4411", 15, owner="them", done_days_ago=None)
    story.promise(name, "Get a second quote for 6061 bar stock", -5, owner="us", done_days_ago=None)


def _brightline(story: _Story) -> None:
    name = "Brightline Components"
    story.supplier(
        name, category="connectors and harnesses", size="large", access="standard",
        profit_impact="low", supply_risk="high", annual_spend=950_000,
        supplier_revenue=310_000_000, cadence_days=30,
    )  # fmt: skip
    story.people(
        name,
        ("Ken Ito", "sales", "Account manager"),
        ("Megan Price", "customer-service", "Customer service supervisor"),
        ("Luis Ortega", "operations", "Production planner"),
        ("Dana Whitfield", "executive", "President"),
    )
    story.log(
        name, 150, "Customer service stopped answering about the harness backlog for 2 weeks.",
        contacts=["Megan"], channel="email", tone=-2,
    )  # fmt: skip
    story.log(
        name, 146, "Escalated to Megan's supervisor line; no answer again.",
        contacts=["Megan"], channel="call", tone=-2,
    )  # fmt: skip
    story.log(
        name, 140, "Called Dana Whitfield, the president: she assigned a dedicated planner.",
        contacts=["Dana"], channel="call", tone=1,
    )  # fmt: skip
    nobody_answered = build_issue(
        supplier=find_supplier(session=story.session, name=name),
        kind="responsiveness",
        severity=2,
        opened_at=story.at(150, 9),
        escalated_at=story.at(146, 11),
        escalated_to=story.contact(name, "Dana"),
        resolved_at=story.at(120, 15),
        description=(
            "Customer service silent for 2 weeks on the harness backlog\n"
            f"{story.day(146)} escalated to Megan Price: supervisor line, no answer\n"
            f"{story.day(140)} escalated to Dana Whitfield: president assigned a planner"
        ),
        resolution="Dedicated planner (Luis Ortega) and a weekly status call.",
        author=AUTHOR,
    )
    story.session.add(nobody_answered)
    story.session.flush()
    for days_ago, initiator in ((110, "them"), (75, "us"), (45, "them"), (20, "us"), (6, "them")):
        story.log(
            name, days_ago, "Weekly status with Luis: backlog down, two lines pulled in.",
            contacts=["Luis"], channel="call", initiator=initiator, tone=1,
        )  # fmt: skip
    story.log(
        name, 30, "Ken asked to skip Luis and talk to him only about new programs.",
        contacts=["Ken"], channel="meeting", initiator="them", tone=0, tactics=["bypass"],
    )  # fmt: skip
    story.promise(name, "Send the harness capacity plan", 60, owner="them", done_days_ago=61)
    story.promise(name, "Quote for the 2027 program", 25, owner="them", done_days_ago=20)


def _precision(story: _Story) -> None:
    name = "Precision Castings"
    story.supplier(
        name, category="investment castings", size="mid", access="open",
        profit_impact="high", supply_risk="high", annual_spend=2_400_000,
        supplier_revenue=60_000_000, cadence_days=21, tags=["strategic", "castings"],
        note="Co-designed the pump housing; engineers talk directly.",
    )  # fmt: skip
    story.people(
        name,
        ("Hannah Brooks", "sales", "Account director"),
        ("Omar Haddad", "engineering", "Lead process engineer"),
        ("Grace Liu", "operations", "Plant manager"),
        ("Peter Novak", "executive", "CEO"),
        ("Rita Alvarez", "customer-service", "Order desk"),
        ("Sam Okafor", "quality", "Quality manager"),
    )
    visits = (
        (84, "visit", "us", 2, ["Grace", "Omar"], "Foundry visit: new wax-injection cell."),
        (77, "meeting", "them", 1, ["Hannah", "Peter"], "Quarterly business review."),
        (70, "video", "them", 1, ["Omar"], "Design review of the pump housing rev C."),
        (63, "call", "us", 1, ["Rita"], "Pulled in two orders for the line trial."),
        (56, "meeting", "them", 2, ["Omar", "Sam"], "Joint root cause on porosity: fixed."),
        (49, "call", "them", 1, ["Grace"], "Capacity for next year's volumes confirmed."),
        (42, "visit", "them", 2, ["Peter", "Hannah"], "Their CEO visited our assembly line."),
        (35, "video", "us", 1, ["Omar"], "Tolerance study for the impeller."),
        (28, "meeting", "them", 2, ["Omar"], "Pitched a lighter alloy saving 12% weight."),
        (21, "call", "us", 1, ["Rita"], "Order confirmations for December."),
        (14, "visit", "us", 2, ["Grace", "Sam"], "First-article inspection on site: passed."),
        (9, "call", "them", 1, ["Hannah"], "Offered to hold prices for 2027."),
        (3, "meeting", "us", 2, ["Omar", "Grace"], "Kick-off for the lighter-alloy trial."),
    )
    for days_ago, channel, initiator, tone, people, note in visits:
        story.log(
            name, days_ago, note, contacts=people, channel=channel, initiator=initiator,
            tone=tone, tactics=["innovative-pitch"] if "lighter alloy" in note else [],
        )  # fmt: skip
    story.promise(name, "Send the alloy trial plan", 20, owner="them", done_days_ago=22)


def _hartley(story: _Story) -> None:
    name = "Hartley & Sons Machining"
    story.supplier(
        name, category="machined brackets", size="small", access="standard",
        profit_impact="low", supply_risk="low", annual_spend=650_000,
        supplier_revenue=4_200_000, cadence_days=21, tags=["local"],
        note="Family shop, 30 people; we are their biggest customer.",
    )  # fmt: skip
    story.people(
        name,
        ("Tom Hartley", "executive", "Owner"),
        ("Jenny Hartley", "sales", "Office manager"),
    )
    story.log(
        name, 90, "Tom walked us through the new 5-axis machine.",
        contacts=["Tom"], channel="visit", tone=2,
    )  # fmt: skip
    story.log(
        name, 40, "Bracket rev B drawings sent; Tom will quote within two weeks.",
        contacts=["Tom", "Jenny"], channel="call", tone=1,
        follow_up="First-article inspection report for bracket rev B",
        follow_up_due=story.day(9), follow_up_owner="them",
    )  # fmt: skip
    story.log(
        name, 38, "Quality escape: 40 brackets with burrs, sorted at our dock.",
        contacts=["Jenny"], channel="email", tone=-1, issue_kind="quality", issue_severity=3,
    )  # fmt: skip


def _quantum(story: _Story) -> None:
    story.supplier(
        "Quantum Polymers", category="engineering plastics", size="mid", status="prospect",
        access="restricted", cadence_days=30, note="Met at the trade fair; send an RFI.",
        added_days_ago=33,
    )  # fmt: skip


# A status report line: po, line, item, ordered, received, then the promised and the
# received day as days from today (received None: nothing has arrived)
_Line = tuple[str, str, str, int, int, int, int | None]

_LAST_WEEK: tuple[_Line, ...] = (
    ("4411", "1", "M8 hex bolts", 1000, 1000, -12, -13),
    ("4411", "2", "M8 washers", 500, 200, -9, -10),
    ("4420", "1", "Anchor bolts", 300, 0, 3, None),
)
_THIS_WEEK: tuple[_Line, ...] = (
    ("4411", "2", "M8 washers", 500, 500, -9, -3),
    ("4420", "1", "Anchor bolts", 300, 0, 10, None),
    ("4425", "1", "Threaded rod M10", 200, 50, -2, -4),
)


def _status_file(lines: tuple[_Line, ...], today: date) -> list[str]:
    """The lines as the supplier's CSV file would hold them."""
    rows = [",".join(LINE_COLUMNS)]
    for po, line, item, ordered, received, promised, received_on in lines:
        arrived = "" if received_on is None else str(today + timedelta(days=received_on))
        due = today + timedelta(days=promised)
        rows.append(f"{po},{line},{item},{ordered},{received},{due},{arrived}")
    return [row + "\n" for row in rows]


def add_demo_status(*, session: Session, supplier: str, author: str | None = None) -> None:
    """Two weekly reports a week apart: one line slips, one is late, one arrived late.

    Both are imported as the supplier's files would be, through the same validation.
    """
    today = dates.today()
    for day, lines in ((today - timedelta(days=7), _LAST_WEEK), (today, _THIS_WEEK)):
        table = read_status_file(io.StringIO("".join(_status_file(lines, today))), "csv")
        import_status_report(
            session=session, supplier=supplier, table=table, report_date=day, author=author
        )


_PROSPECTS = (
    ("Lumen Castings", "castings"),
    ("Bayside Foundry", "castings"),
    ("Cobalt Precision", "machining"),
    ("Ridgeway Alloys", "metals"),
    ("Summit Die Casting", "castings"),
    ("Harbor Machining", "machining"),
)

# (rating, the stages it went through with how many days ago, the note of its last move)
_CANDIDATE_PATHS: tuple[tuple[int | None, tuple[tuple[str, int], ...], str], ...] = (
    (5, (("contacted", 38), ("interested", 33), ("capabilities", 27), ("proposal", 18),
         ("quoted", 11), ("qualified", 3)),
     "Sent a personalized video tour of their line; engineering signed off"),
    (4, (("contacted", 37), ("interested", 30), ("capabilities", 24), ("proposal", 16),
         ("quoted", 9)), "Quote 6% above target; open to a volume tier"),
    (3, (("contacted", 36), ("interested", 29), ("capabilities", 20), ("proposal", 12)),
     "Generic proposal, no tooling plan"),
    (3, (("contacted", 35), ("interested", 26), ("capabilities", 15)),
     "Capabilities document received; ISO 9001 only"),
    (None, (("contacted", 34), ("interested", 22)), "Interested, waiting on an NDA"),
    (2, (("contacted", 33), ("interested", 25), ("declined", 14)),
     "Declined: no capacity before Q3"),
)  # fmt: skip


def add_demo_sourcing(*, session: Session, author: str | None = None) -> None:
    """A project of six candidates where the one who sent a video tour leads.

    Prospects are taken first (the newcomer with the innovative pitch is the story),
    then the other suppliers; missing places are filled with made-up prospects.
    """
    suppliers = list_suppliers(session=session)
    chosen = [s["name"] for s in suppliers if s["status"] == "prospect"]
    chosen += [s["name"] for s in suppliers if s["status"] != "prospect"]
    chosen = chosen[:6]
    taken = {key(s["name"]) for s in list_suppliers(session=session, include_inactive=True)}
    for name, category in _PROSPECTS:
        if len(chosen) >= 6:
            break
        if key(name) not in taken:
            add_supplier(
                session=session, name=name, category=category, status="prospect", author=author
            )
            chosen.append(name)
    today = dates.today()
    project = new_project(
        session=session,
        name="Second source 2027",
        description="Qualify a second source before the 2027 contract round",
        due=today + timedelta(days=45),
        author=author,
    )
    start = datetime.combine(today, datetime.min.time()) + timedelta(hours=9)
    for supplier, (rating, path, note) in zip(chosen, _CANDIDATE_PATHS, strict=False):
        add_candidate(
            session=session,
            project=project["name"],
            supplier=supplier,
            at=start - timedelta(days=40),
            author=author,
        )
        for i, (stage, days_ago) in enumerate(path):
            move_candidate(
                session=session,
                project=project["name"],
                supplier=supplier,
                stage=stage,
                note=note if i == len(path) - 1 else None,
                at=start - timedelta(days=days_ago),
            )
        if rating is not None:
            rate_candidate(
                session=session, project=project["name"], supplier=supplier, rating=rating
            )


def build_demo(*, session: Session) -> str:
    """Write the demo story into an empty journal; return the supplier whose brief to show.

    A journal that already holds suppliers is refused: the demo must never mix its made-up
    suppliers into real ones.
    """
    held = session.exec(select(func.count()).select_from(Supplier)).one()
    if held:
        raise ConflictError(
            f"the journal {db.describe()} already holds {wording.plural(held, 'supplier')}; "
            "srm demo only writes into a new or empty journal: give --db a new file, or leave "
            "--db out"
        )
    story = _Story(session)
    for chapter in (_northwind, _brightline, _precision, _hartley, _quantum):
        chapter(story)
    # the weekly status reports and the sourcing project of the story (SPEC §1)
    add_demo_status(session=session, supplier=BRIEF_SUPPLIER, author=AUTHOR)
    add_demo_sourcing(session=session, author=AUTHOR)
    return BRIEF_SUPPLIER
