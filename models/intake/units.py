"""The roster: units upserted by official code, versioned in time, enrolled in a cycle.

A unit whose details change after it served in another cycle gets a new version from this
cycle's opening day (the old cycle keeps the old name); otherwise it is updated in place.
Every change is audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleUnit, Unit
from models.db import record, record_many
from models.db.bulk import insert_rows
from models.errors import ImportRejected, RowError
from models.intake.checks import IntakeResult
from models.intake.schemas import UnitIn

UNIT_COLUMNS = {
    "code": "Mã đơn vị",
    "name": "Tên đơn vị",
    "kind": "Loại đơn vị",
    "email": "Thư điện tử",
    "head_name": "Họ tên thủ trưởng",
    "head_title": "Chức vụ thủ trưởng",
    "parent_code": "Mã đơn vị cấp trên",
    "successor_code": "Mã đơn vị kế thừa",
    "alternate_emails": "Thư điện tử khác",
}
_FIELDS = (
    "name",
    "kind",
    "email",
    "alternate_emails",
    "head_name",
    "head_title",
    "parent_code",
    "successor_code",
)


def _image(unit: Unit) -> dict[str, Any]:
    return {f: getattr(unit, f) for f in ("code", *_FIELDS)}


def upsert_units(
    session: Session,
    cycle: Cycle,
    items: list[tuple[int, UnitIn]],
    file: str,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Store the units of a roster file or import and enrol them in the cycle; all or nothing."""
    errors: list[RowError] = list(prior or [])
    first_row: dict[str, int] = {}
    for number, item in items:
        if item.code in first_row:
            errors.append(
                RowError(
                    file,
                    number,
                    "code",
                    (f"mã đơn vị {item.code} trùng với dòng {first_row[item.code]}; mỗi đơn vị một dòng"),
                )
            )
        first_row.setdefault(item.code, number)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e.row))

    day = cycle.opens_on
    current = {
        u.code: u
        for u in session.scalars(
            select(Unit).where(Unit.valid_from <= day, or_(Unit.valid_to.is_(None), Unit.valid_to >= day))
        )
    }
    enrolled = set(session.scalars(select(CycleUnit.unit_id).where(CycleUnit.cycle_id == cycle.id)))
    used_elsewhere = set(session.scalars(select(CycleUnit.unit_id).where(CycleUnit.cycle_id != cycle.id)))
    stored = updated = unchanged = 0
    created: list[Unit] = []
    for _number, item in items:
        wanted = item.model_dump(include=set(_FIELDS))
        unit = current.get(item.code)
        if unit is not None and all(getattr(unit, f) == wanted[f] for f in _FIELDS):
            unchanged += 1
        elif unit is not None and (unit.id not in used_elsewhere or unit.valid_from == day):
            before = _image(unit)
            for name, value in wanted.items():
                setattr(unit, name, value)
            record(session, actor, "unit", unit.id, "update", before=before, after=_image(unit))
            updated += 1
        else:
            if unit is not None:
                unit.valid_to = day - timedelta(days=1)
                record(session, actor, "unit", unit.id, "close", after={"valid_to": unit.valid_to})
                if unit.id in enrolled:  # the new version takes the old one's seat in this cycle
                    session.execute(
                        delete(CycleUnit).where(CycleUnit.cycle_id == cycle.id, CycleUnit.unit_id == unit.id)
                    )
                    enrolled.discard(unit.id)
            created.append(Unit(code=item.code, valid_from=day, **wanted))
            stored += 1
            continue
        if unit.id not in enrolled:
            session.add(CycleUnit(cycle_id=cycle.id, unit_id=unit.id))
            enrolled.add(unit.id)
    session.flush()
    # A province's first roster is thousands of new units: inserted, audited and enrolled in bulk.
    new_ids = insert_rows(session, created)
    record_many(
        session, actor, "unit", "create", [(i, _image(u)) for i, u in zip(new_ids, created, strict=True)]
    )
    insert_rows(session, [CycleUnit(cycle_id=cycle.id, unit_id=i) for i in new_ids])
    session.flush()
    return IntakeResult("units", stored=stored, updated=updated, unchanged=unchanged)
