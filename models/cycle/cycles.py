"""Opening a cycle from its configuration, finding it again, and counting lateness."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle.config import CycleConfig
from models.cycle.tables import (
    Authority,
    CouncilMember,
    Cycle,
    CycleDeadline,
    CycleUnit,
    ReplicatedInitiative,
    Unit,
    kinds_column,
)
from models.db import record
from models.errors import AmbiguousCycle, CycleNotFound, InvalidInput
from models.text import title_key


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """A unit version enrolled in a cycle, as intake and compliance need it."""

    unit_id: int
    code: str
    name: str
    kind: str


def days_late(submitted_on: date, deadline: date, *, inclusive: bool) -> int:
    """Calendar days past the deadline (0 when on time).

    With ``inclusive`` ("no later than X") a submission on X is on time; without it ("before X")
    a submission on X is one day late.
    """
    last_good_day = deadline if inclusive else date.fromordinal(deadline.toordinal() - 1)
    return max(0, (submitted_on - last_good_day).days)


def find_cycle(session: Session, year: int, authority_code: str | None = None) -> Cycle:
    """The cycle of ``year`` (of one authority when several share the database)."""
    query = select(Cycle).where(Cycle.year == year)
    if authority_code:
        query = query.join(Authority).where(Authority.code == authority_code)
    cycles = session.scalars(query).all()
    if not cycles:
        raise CycleNotFound(year, authority_code)
    if len(cycles) > 1:
        raise AmbiguousCycle(year, sorted(c.authority.code for c in cycles))
    return cycles[0]


def latest_cycle(session: Session, authority_code: str | None = None) -> Cycle:
    """The cycle of the latest year opened (of one authority when several share the database)."""
    query = select(func.max(Cycle.year))
    if authority_code:
        query = query.join(Authority).where(Authority.code == authority_code)
    year = session.scalar(query)
    if year is None:
        raise InvalidInput(
            "chưa mở chu kỳ nào", field="cycle", fix="hãy mở chu kỳ bằng {open}, hoặc ghi {field}"
        )
    return find_cycle(session, year, authority_code)


def roster(session: Session, cycle_id: int) -> dict[str, RosterEntry]:
    """Every unit enrolled in the cycle, by code, in one query."""
    rows = session.execute(
        select(Unit.id, Unit.code, Unit.name, Unit.kind)
        .join(CycleUnit, CycleUnit.unit_id == Unit.id)
        .where(CycleUnit.cycle_id == cycle_id)
    ).all()
    return {r.code: RosterEntry(r.id, r.code, r.name, r.kind) for r in rows}


def cycle_units(session: Session, cycle_id: int) -> dict[str, Unit]:
    """Every unit version enrolled in the cycle, by code (the rows, for names and addresses)."""
    query = select(Unit).join(CycleUnit, CycleUnit.unit_id == Unit.id).where(CycleUnit.cycle_id == cycle_id)
    return {unit.code: unit for unit in session.scalars(query.order_by(Unit.code))}


def open_cycle(session: Session, config: CycleConfig, actor: str) -> tuple[Cycle, bool]:
    """Create the cycle (or refresh its configuration); returns it and whether it was new.

    Opening twice is safe: the authority and cycle are upserted, the council and the replicated
    catalogue are completed, and nothing is duplicated.
    """
    auth_conf = config.authority
    authority = session.scalar(select(Authority).where(Authority.code == auth_conf.code))
    if authority is None:
        authority = Authority(code=auth_conf.code, name=auth_conf.name, place_name=auth_conf.place_name)
        session.add(authority)
        session.flush()
        record(session, actor, "authority", authority.id, "create", after={"code": auth_conf.code})
    cycle = session.scalar(select(Cycle).where(Cycle.authority_id == authority.id, Cycle.year == config.year))
    fields = {
        "name": config.name,
        "opens_on": config.opens_on,
        "deadline_inclusive": config.deadlines.inclusive,
        "timezone": config.timezone,
        "legal_bases": list(config.legal_bases),
        "config": config.model_dump(mode="json"),
    }
    created = cycle is None
    if cycle is None:
        cycle = Cycle(authority_id=authority.id, year=config.year, **fields)
        session.add(cycle)
        session.flush()
        record(
            session,
            actor,
            "cycle",
            cycle.id,
            "open",
            after=fields | {"config": None, "deadlines": config.deadlines.dates},
        )
    else:
        before = {k: getattr(cycle, k) for k in fields if k != "config"}
        changed = {k: v for k, v in fields.items() if getattr(cycle, k) != v}
        for key, value in changed.items():
            setattr(cycle, key, value)
        if changed:
            record(
                session,
                actor,
                "cycle",
                cycle.id,
                "reconfigure",
                before=before,
                after={k: v for k, v in changed.items() if k != "config"},
            )
    _set_deadlines(session, cycle, config, actor)
    known = {
        item.code: item
        for item in session.scalars(
            select(ReplicatedInitiative).where(ReplicatedInitiative.cycle_id == cycle.id)
        )
    }
    for item in config.replicated:
        kinds = kinds_column(item.unit_kinds)
        stored = known.get(item.code)
        if stored is None:
            session.add(
                ReplicatedInitiative(cycle_id=cycle.id, code=item.code, title=item.title, unit_kinds=kinds)
            )
        elif stored.unit_kinds != kinds:  # the file now says who reports on it
            record(
                session,
                actor,
                "replicated_initiative",
                stored.id,
                "reconfigure",
                before={"unit_kinds": stored.unit_kinds},
                after={"unit_kinds": kinds},
            )
            stored.unit_kinds = kinds
    seated = set(session.scalars(select(CouncilMember.name_key).where(CouncilMember.cycle_id == cycle.id)))
    session.add_all(
        CouncilMember(
            cycle_id=cycle.id,
            name=seat.name,
            name_key=title_key(seat.name),
            role=seat.role,
            unit_code=seat.unit_code,
            email=seat.email,
        )
        for seat in config.review.council
        if title_key(seat.name) not in seated
    )
    session.flush()
    return cycle, created


def _set_deadlines(session: Session, cycle: Cycle, config: CycleConfig, actor: str) -> None:
    """The cycle's deadline rows made equal to the configuration's (changes audited)."""
    wanted = dict(config.deadlines.dates)
    rows = {row.obligation: row for row in cycle.deadlines}
    before = {name: row.due_on for name, row in rows.items()}
    for name, due_on in wanted.items():
        if name in rows:
            rows[name].due_on = due_on
        else:
            cycle.deadlines.append(CycleDeadline(obligation=name, due_on=due_on))
    for name in rows.keys() - wanted.keys():
        cycle.deadlines.remove(rows[name])
    if before and before != wanted:
        record(session, actor, "cycle", cycle.id, "deadlines", before=before, after=wanted)
    session.flush()
