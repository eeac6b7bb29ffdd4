"""Storing submissions of any kind: one code path for a whole file and for a single form.

Every kind goes through the same steps: the cycle checks of ``models.intake.checks`` (unit
enrolled, dated within the cycle, days late), the kind's own check (a hook of its
``SubmissionKind``), duplicates within the batch and against what is stored, then all or nothing:
any error stores nothing, and every error is listed by row.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.errors import RowError
from models.intake.checks import IntakeResult, check_cycle, dedupe, refuse_if_any, save
from models.intake.kinds import SubmissionKind


def store_submissions(
    session: Session,
    cycle: Cycle,
    kind: SubmissionKind,
    items: list[tuple[int, BaseModel]],
    file: str,
    today: date,
    actor: str,
    prior: list[RowError] | None = None,
) -> IntakeResult:
    """Validate and store ``items`` (row number, submission) of ``kind``; all or nothing.

    ``prior`` are problems found before (while parsing the file): they refuse the batch too, and
    are listed with the rest.
    """
    errors: list[RowError] = list(prior or [])
    context = kind.context(session, cycle)
    checked = []
    for entry in check_cycle(session, cycle, items, file, today, kind.obligation, errors):
        problem = kind.check(context, entry)
        if problem is None:
            checked.append(entry)
        else:
            errors.append(RowError(file, entry.number, *problem))
    stored = {key: (row_id, fingerprint) for key, row_id, fingerprint in kind.stored(session, cycle)}
    fresh, unchanged = dedupe(
        checked, lambda e: kind.key(context, e), stored, file, kind.key_column, kind.duplicate, errors
    )
    refuse_if_any(errors)
    return save(
        session,
        kind.code,
        kind.entity,
        actor,
        fresh,
        lambda e: kind.build(cycle, context, e),
        unchanged,
        kind.audit,
    )
