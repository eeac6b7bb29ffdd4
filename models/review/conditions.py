"""The conditions for recognition an initiative must meet whatever the council thinks of it.

Decree 13/2012/NĐ-CP, art. 3 and 4, and Circular 18/2013/TT-BKHCN: an initiative is recognized
only when it has been applied (or trial-applied) for the first time, and its subject is not a case
excluded from recognition (art. 4: against public order or social ethics, or already protected or
published), which the authors declare when they apply. So:

- the first application date is given;
- it is on or before the day the unit sent the initiative;
- it falls inside the cycle file's window (``conditions``; default: the cycle's year and the year
  before, the period a yearly cycle looks back on);
- the authors declared that the subject is not an excluded case.

A unit may still send an initiative that fails one (the import takes it and its receipt warns):
it goes to the council marked, with the reason, and the tally never recommends it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig
from models.intake import Initiative

NOT_APPLIED = "chưa có ngày áp dụng lần đầu (sáng kiến phải đã được áp dụng hoặc áp dụng thử)"
NOT_DECLARED = "chưa có cam kết của tác giả rằng sáng kiến không thuộc trường hợp bị loại trừ"
DECLARED_EXCLUDED = "tác giả không cam kết sáng kiến nằm ngoài các trường hợp bị loại trừ"


def failed_conditions(
    first_applied_on: date | None,
    submitted_on: date,
    not_excluded: bool | None,
    config: CycleConfig,
) -> tuple[str, ...]:
    """Why an initiative with these facts cannot be recognized; empty when it meets every condition."""
    reasons = []
    if first_applied_on is None:
        reasons.append(NOT_APPLIED)
    else:
        start, end = config.conditions.window(config.year)
        if first_applied_on > submitted_on:
            reasons.append(
                f"ngày áp dụng lần đầu {first_applied_on:%d/%m/%Y} sau ngày gửi {submitted_on:%d/%m/%Y}"
            )
        elif not start <= first_applied_on <= end:
            reasons.append(
                f"ngày áp dụng lần đầu {first_applied_on:%d/%m/%Y} ngoài thời gian xét "
                f"(từ {start:%d/%m/%Y} đến {end:%d/%m/%Y})"
            )
    if not_excluded is None:
        reasons.append(NOT_DECLARED)
    elif not not_excluded:
        reasons.append(DECLARED_EXCLUDED)
    return tuple(reasons)


def ineligible(
    session: Session, cycle: Cycle, ids: Collection[int] | None = None
) -> dict[int, tuple[str, ...]]:
    """The cycle's initiatives (or those of ``ids``) that fail a condition, with the reasons
    (one query)."""
    config = cycle.configuration
    query = select(
        Initiative.id, Initiative.first_applied_on, Initiative.submitted_on, Initiative.not_excluded
    ).where(Initiative.cycle_id == cycle.id)
    if ids is not None:
        query = query.where(Initiative.id.in_(list(ids)))
    rows = session.execute(query)
    found = {
        r.id: failed_conditions(r.first_applied_on, r.submitted_on, r.not_excluded, config) for r in rows
    }
    return {initiative_id: reasons for initiative_id, reasons in found.items() if reasons}
