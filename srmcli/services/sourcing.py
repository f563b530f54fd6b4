"""Sourcing projects: candidate suppliers qualified stage by stage, ranked on a board.

A candidate's stage history is kept row by row (`CandidateStage`), dated, with the note
that explains the move ("sent a personalized video tour"), so the board can say since
when a candidate has been where it is and the history can be read back later.

The ranking (SPEC §7) is by stage — awarded, qualified, quoted, proposal, capabilities,
interested, contacted, identified, then declined last — then rating (higher first,
unrated after rated), then relationship depth (higher first, no data last), then name so
the order never flickers. The candidate ranked first leads the project unless it has
declined: a project whose candidates all declined has no lead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from srmcli import config, dates, values
from srmcli.drafts import recorded_by
from srmcli.errors import ConflictError, InvalidValueError, NotFoundError, did_you_mean
from srmcli.models import Candidate, CandidateStage, SourcingProject, Supplier
from srmcli.services import history
from srmcli.services.measures import depth_for, last_interaction_for
from srmcli.services.suppliers import clean_name, find_supplier, key
from srmcli.vocab import ProjectStatus, Stage, parse_choice

PROJECT_COLUMNS = (
    "id", "name", "description", "due", "status", "created_at", "candidates", "leader",
)  # fmt: skip
CANDIDATE_COLUMNS = (
    "id", "project", "project_status", "supplier", "stage", "rating", "note", "since",
)  # fmt: skip
BOARD_COLUMNS = (
    "rank", "supplier", "stage", "rating", "depth_score", "days_since_last", "lead", "since",
    "note",
)  # fmt: skip
HISTORY_COLUMNS = ("project", "supplier", "stage", "changed_at", "note")

STAGE_ORDER: tuple[str, ...] = (
    Stage.awarded.value,
    Stage.qualified.value,
    Stage.quoted.value,
    Stage.proposal.value,
    Stage.capabilities.value,
    Stage.interested.value,
    Stage.contacted.value,
    Stage.identified.value,
    Stage.declined.value,
)
"""Board order, best first: the further a candidate got, the higher it ranks."""


# -- finding --------------------------------------------------------------------------


def find_project(*, session: Session, name: str) -> SourcingProject:
    """Exact name (any case), then a unique prefix; else an error listing the projects."""
    wanted = key(name or "")
    if not wanted:
        raise InvalidValueError("no sourcing project given; name one (srm sourcing list)")
    projects = list(session.exec(select(SourcingProject).order_by(col(SourcingProject.name_key))))
    for project in projects:
        if project.name_key == wanted:
            return project
    prefixed = [p for p in projects if p.name_key.startswith(wanted)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        names = ", ".join(p.name for p in prefixed)
        raise NotFoundError(f"sourcing project {name!r} is ambiguous: it could be {names}")
    if not projects:
        raise NotFoundError(
            f"no sourcing project named {name!r}; there are none yet, start one with "
            "`srm sourcing new NAME`"
        )
    hint = did_you_mean(name, [p.name for p in projects])
    listing = ", ".join(p.name for p in projects)
    raise NotFoundError(f"no sourcing project named {name!r}.{hint} Projects: {listing}")


def _candidate(session: Session, project: SourcingProject, supplier: Supplier) -> Candidate:
    found = session.exec(
        select(Candidate).where(
            Candidate.project_id == project.id, Candidate.supplier_id == supplier.id
        )
    ).first()
    if found is not None:
        return found
    names = session.exec(
        select(Supplier.name)
        .join(Candidate, col(Candidate.supplier_id) == Supplier.id)
        .where(Candidate.project_id == project.id)
        .order_by(col(Supplier.name_key))
    ).all()
    there = f" Candidates: {', '.join(names)}." if names else " It has no candidates yet."
    raise NotFoundError(
        f"{supplier.name} is not a candidate in {project.name}; add it with "
        f"`srm sourcing add {project.name!r} {supplier.name!r}`.{there}"
    )


# -- records ----------------------------------------------------------------------------


def _history(session: Session, candidate_ids: Sequence[int]) -> dict[int, list[CandidateStage]]:
    """Stage history per candidate, oldest first, in one query."""
    out: dict[int, list[CandidateStage]] = defaultdict(list)
    if not candidate_ids:
        return out
    for row in session.exec(
        select(CandidateStage)
        .where(col(CandidateStage.candidate_id).in_(list(candidate_ids)))
        .order_by(col(CandidateStage.changed_at), col(CandidateStage.id))
    ).all():
        out[row.candidate_id].append(row)
    return out


def _since(stage: str, history: Sequence[CandidateStage]) -> datetime | None:
    """When the candidate entered its current stage (a same-stage note does not reset it)."""
    since: datetime | None = None
    for row in history:
        if row.stage != stage:
            since = None
        elif since is None:
            since = row.changed_at
    return since


def _candidate_record(
    candidate: Candidate,
    project: SourcingProject,
    supplier_name: str,
    history: Sequence[CandidateStage],
) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "project": project.name,
        "project_status": project.status,
        "supplier": supplier_name,
        "stage": candidate.stage,
        "rating": candidate.rating,
        "note": candidate.note,
        "since": _since(candidate.stage, history),
        "history": [
            {"stage": h.stage, "changed_at": h.changed_at, "note": h.note} for h in history
        ],
    }


def _project_record(
    project: SourcingProject, candidates: int, leader: str | None
) -> dict[str, Any]:
    return {
        "id": project.id,
        "name": project.name,
        "description": project.description,
        "due": project.due,
        "status": project.status,
        "created_at": project.created_at,
        "candidates": candidates,
        "leader": leader,
    }


# -- ranking ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """What the board ranks a candidate on."""

    candidate: Candidate
    supplier: str
    depth_score: int | None

    def order(self) -> tuple[Any, ...]:
        rating = self.candidate.rating
        return (
            STAGE_ORDER.index(self.candidate.stage),
            rating is None,
            -(rating or 0),
            self.depth_score is None,
            -(self.depth_score or 0),
            key(self.supplier),
        )


def rank(standings: Sequence[Standing]) -> list[tuple[int, Standing, bool]]:
    """(rank, standing, lead) best first; rank 1 leads unless it declined."""
    ordered = sorted(standings, key=Standing.order)
    return [
        (n, s, n == 1 and s.candidate.stage != Stage.declined.value)
        for n, s in enumerate(ordered, start=1)
    ]


def _standings(
    session: Session, project_ids: Sequence[int], as_of: date
) -> dict[int, list[Standing]]:
    """Every candidate of these projects with its depth score, in a fixed number of queries."""
    rows = list(
        session.exec(
            select(Candidate, Supplier.name)
            .join(Supplier, col(Supplier.id) == Candidate.supplier_id)
            .where(col(Candidate.project_id).in_(list(project_ids)))
        ).all()
    )
    supplier_ids = sorted({c.supplier_id for c, _ in rows})
    depths = (
        depth_for(
            session=session,
            supplier_ids=supplier_ids,
            as_of=as_of,
            window_days=int(config.load()["window_days"]),
        )
        if supplier_ids
        else {}
    )
    out: dict[int, list[Standing]] = defaultdict(list)
    for candidate, name in rows:
        found = depths.get(candidate.supplier_id)
        out[candidate.project_id].append(
            Standing(candidate, name, found.score if found is not None else None)
        )
    return out


def _leader(ranked: Sequence[tuple[int, Standing, bool]]) -> str | None:
    return next((s.supplier for _, s, lead in ranked if lead), None)


# -- commands ---------------------------------------------------------------------------


def new_project(
    *,
    session: Session,
    name: str,
    description: str | None = None,
    due: date | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Open a sourcing project, recorded by `author` (default: whoever is writing)."""
    clean = clean_name(name, "project name")
    clash = session.exec(
        select(SourcingProject).where(SourcingProject.name_key == key(clean))
    ).first()
    if clash is not None:
        raise ConflictError(
            f"a sourcing project named {clash.name} already exists (status {clash.status}); "
            "choose another name"
        )
    project = SourcingProject(
        name=clean,
        name_key=key(clean),
        description=(description or "").strip() or None,
        due=due,
        status=ProjectStatus.open.value,
        created_at=dates.now(),
        author=recorded_by(author),
    )
    session.add(project)
    session.flush()
    return _project_record(project, 0, None)


def list_projects(*, session: Session, as_of: date | None = None) -> list[dict[str, Any]]:
    """Every project with its candidate count and leader: open first, then by due date."""
    projects = list(session.exec(select(SourcingProject)).all())
    standings = _standings(session, [p.id or 0 for p in projects], as_of or dates.today())
    status_order = {s.value: i for i, s in enumerate(ProjectStatus)}
    projects.sort(
        key=lambda p: (status_order.get(p.status, 99), p.due is None, p.due or date.min, p.name_key)
    )
    return [
        _project_record(p, len(standings[p.id or 0]), _leader(rank(standings[p.id or 0])))
        for p in projects
    ]


def _check_moment(at: datetime, history: Sequence[CandidateStage]) -> None:
    if at > dates.now():
        raise InvalidValueError(
            f"{dates.iso(at)} is in the future; record a stage change once it has happened"
        )
    if history and at < history[-1].changed_at:
        last = history[-1]
        raise InvalidValueError(
            f"{dates.iso(at)} is before the last stage change ({last.stage} on "
            f"{dates.iso(last.changed_at)}); give a date on or after it"
        )


def add_candidate(
    *,
    session: Session,
    project: str,
    supplier: str,
    note: str | None = None,
    at: datetime | None = None,
    author: str | None = None,
) -> dict[str, Any]:
    """Put a supplier on the project's board at stage identified; twice is refused.
    The candidacy is recorded by `author` (default: whoever is writing)."""
    p = find_project(session=session, name=project)
    s = find_supplier(session=session, name=supplier)
    existing = session.exec(
        select(Candidate).where(Candidate.project_id == p.id, Candidate.supplier_id == s.id)
    ).first()
    if existing is not None:
        raise ConflictError(
            f"{s.name} is already a candidate in {p.name} (stage {existing.stage}); move it "
            f"with `srm sourcing move {p.name!r} {s.name!r} STAGE`"
        )
    moment = at or dates.now()
    _check_moment(moment, [])
    text = (note or "").strip() or None
    candidate = Candidate(
        project_id=p.id or 0,
        supplier_id=s.id or 0,
        stage=Stage.identified.value,
        note=text,
        author=recorded_by(author),
    )
    session.add(candidate)
    session.flush()
    step = CandidateStage(
        candidate_id=candidate.id or 0, stage=candidate.stage, changed_at=moment, note=text
    )
    session.add(step)
    session.flush()
    return _candidate_record(candidate, p, s.name, [step])


def settle_project_status(session: Session, project: SourcingProject) -> None:
    """Awarded while any candidate is awarded; back to open when none is (closed stays)."""
    if project.status == ProjectStatus.closed.value:
        return
    awarded = session.exec(
        select(func.count())
        .select_from(Candidate)
        .where(Candidate.project_id == project.id, Candidate.stage == Stage.awarded.value)
    ).one()
    project.status = ProjectStatus.awarded.value if awarded else ProjectStatus.open.value
    session.add(project)


def move_candidate(
    *,
    session: Session,
    project: str,
    supplier: str,
    stage: str,
    note: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """Move a candidate to any stage (forward, back or declined), dated, with its note.

    Staying at the same stage is accepted only with a note: it records news ("sent a
    video tour") without pretending the candidate moved. Any move may go backwards, since
    a declined supplier sometimes comes back.
    """
    p = find_project(session=session, name=project)
    s = find_supplier(session=session, name=supplier)
    target = parse_choice(Stage, stage or "", "stage").value
    candidate = _candidate(session, p, s)
    text = (note or "").strip() or None
    if target == candidate.stage and text is None:
        raise InvalidValueError(
            f"{s.name} is already at stage {target} in {p.name}; give --note to record news "
            "without moving it, or name another stage"
        )
    stages = _history(session, [candidate.id or 0])[candidate.id or 0]
    moment = at or dates.now()
    _check_moment(moment, stages)
    before = history.state(session, "candidate", candidate)
    candidate.stage = target
    if text is not None:
        candidate.note = text
    session.add(candidate)
    step = CandidateStage(
        candidate_id=candidate.id or 0, stage=target, changed_at=moment, note=text
    )
    session.add(step)
    session.flush()
    settle_project_status(session, p)
    history.changed(session, "candidate", candidate, "move", before, supplier=s)
    return _candidate_record(candidate, p, s.name, [*stages, step])


def rate_candidate(
    *, session: Session, project: str, supplier: str, rating: int | str
) -> dict[str, Any]:
    p = find_project(session=session, name=project)
    s = find_supplier(session=session, name=supplier)
    value = values.rating(rating)
    candidate = _candidate(session, p, s)
    before = history.state(session, "candidate", candidate)
    candidate.rating = value
    session.add(candidate)
    history.changed(session, "candidate", candidate, "rate", before, supplier=s)
    stages = _history(session, [candidate.id or 0])[candidate.id or 0]
    return _candidate_record(candidate, p, s.name, stages)


def drop_candidate(*, session: Session, project: str, supplier: str) -> dict[str, Any]:
    """Take a supplier off a project's board (added by mistake). The candidacy is kept
    whole in the history with its dated stages, so `srm undo` brings it back."""
    p = find_project(session=session, name=project)
    s = find_supplier(session=session, name=supplier)
    candidate = _candidate(session, p, s)
    stages = _history(session, [candidate.id or 0])[candidate.id or 0]
    record = _candidate_record(candidate, p, s.name, stages)
    history.remove(session, "candidate", candidate, supplier=s)
    settle_project_status(session, p)
    session.flush()
    return record


def edit_project(
    *,
    session: Session,
    project: str,
    name: str | None = None,
    description: str | None = None,
    due: date | None | Any = None,
    status: str | None = None,
    clear_due: bool = False,
) -> dict[str, Any]:
    """Correct a project's name, description, due day or status (kept in the history).
    An empty description clears it; `clear_due` clears the due day."""
    p = find_project(session=session, name=project)
    if name is None and description is None and due is None and status is None and not clear_due:
        raise InvalidValueError(
            f"nothing to change on {p.name}; give --name, --description, --due or --status"
        )
    before = history.state(session, "sourcing_project", p)
    if name is not None:
        clean = clean_name(name, "project name")
        with session.no_autoflush:
            clash = session.exec(
                select(SourcingProject).where(
                    SourcingProject.name_key == key(clean), SourcingProject.id != p.id
                )
            ).first()
        if clash is not None:
            raise ConflictError(f"a sourcing project named {clash.name} already exists")
        p.name, p.name_key = clean, key(clean)
    if description is not None:
        p.description = description.strip() or None
    if due is not None or clear_due:
        p.due = None if clear_due else due
    if status is not None:
        p.status = parse_choice(ProjectStatus, status, "project status").value
    session.add(p)
    renamed = p.name != before["name"]
    history.changed(session, "sourcing_project", p, "rename" if renamed else "edit", before)
    ranked = rank(_standings(session, [p.id or 0], dates.today())[p.id or 0])
    return _project_record(p, len(ranked), _leader(ranked))


def board(
    *, session: Session, project: str, as_of: date | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The project record and its candidates ranked (SPEC §7 board shape, plus since/note)."""
    p = find_project(session=session, name=project)
    t = as_of or dates.today()
    ranked = rank(_standings(session, [p.id or 0], t)[p.id or 0])
    supplier_ids = [s.candidate.supplier_id for _, s, _ in ranked]
    last = last_interaction_for(session=session, supplier_ids=supplier_ids, as_of=t)
    history = _history(session, [s.candidate.id or 0 for _, s, _ in ranked])
    rows = []
    for n, standing, lead in ranked:
        c = standing.candidate
        latest = last.get(c.supplier_id)
        rows.append(
            {
                "rank": n,
                "supplier": standing.supplier,
                "stage": c.stage,
                "rating": c.rating,
                "depth_score": standing.depth_score,
                "days_since_last": dates.days_between(latest, t) if latest else None,
                "lead": lead,
                "since": _since(c.stage, history[c.id or 0]),
                "note": c.note,
            }
        )
    return _project_record(p, len(rows), _leader(ranked)), rows


def stage_history(
    *, session: Session, project: str, supplier: str | None = None
) -> list[dict[str, Any]]:
    """Every dated stage change (and note) of a project's candidates, oldest first."""
    p = find_project(session=session, name=project)
    query = (
        select(CandidateStage, Supplier.name)
        .join(Candidate, col(Candidate.id) == CandidateStage.candidate_id)
        .join(Supplier, col(Supplier.id) == Candidate.supplier_id)
        .where(Candidate.project_id == p.id)
    )
    if supplier:
        query = query.where(
            Candidate.id == _candidate(session, p, find_supplier(session=session, name=supplier)).id
        )
    query = query.order_by(col(CandidateStage.changed_at), col(CandidateStage.id))
    return [
        {
            "project": p.name,
            "supplier": name,
            "stage": h.stage,
            "changed_at": h.changed_at,
            "note": h.note,
        }
        for h, name in session.exec(query).all()
    ]


def candidacies(*, session: Session, supplier_id: int) -> list[dict[str, Any]]:
    """The projects a supplier is a candidate in: {project, stage, rating, lead, since}."""
    mine = list(
        session.exec(
            select(Candidate, SourcingProject)
            .join(SourcingProject, col(SourcingProject.id) == Candidate.project_id)
            .where(Candidate.supplier_id == supplier_id)
            .order_by(col(SourcingProject.name_key))
        ).all()
    )
    if not mine:
        return []
    standings = _standings(session, [p.id or 0 for _, p in mine], dates.today())
    history = _history(session, [c.id or 0 for c, _ in mine])
    out = []
    for candidate, project in mine:
        ranked = rank(standings[project.id or 0])
        lead = any(lead and s.candidate.id == candidate.id for _, s, lead in ranked)
        out.append(
            {
                "project": project.name,
                "stage": candidate.stage,
                "rating": candidate.rating,
                "lead": lead,
                "since": _since(candidate.stage, history[candidate.id or 0]),
            }
        )
    return out
