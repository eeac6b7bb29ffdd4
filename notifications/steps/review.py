"""Step ``review``: the council's part. Requests to score, sheets taken in, the tally; and the
council's requests to a unit for more information on an initiative, with the unit's answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.imports import import_file
from models.intake import IntakeResult
from models.review import Tally, answer, ask, assignments, by_member, tally
from notifications.mail.outbox import queue_notices
from notifications.notices.outcome import information_notices, review_requests
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Reviewed:
    """What a review run did, and the tally after it."""

    requests: int  # review requests newly queued
    sheets: list[IntakeResult]  # each file of returned sheets taken in
    tally: list[Tally]


def review_step(
    session: Session, cycle: Cycle, as_of: date, ctx: StepContext, sheets: Sequence[Path] = ()
) -> Reviewed:
    """Assign every initiative to the members who may score it (recusal), queue each member's
    request with a pre-filled sheet, take in the files of returned sheets (each all or nothing),
    tally."""
    plan = by_member(assignments(session, cycle))
    requests = queue_notices(session, review_requests(session, cycle, plan, as_of), ctx.domain)
    imported = [import_file(session, cycle, path, "reviews", today=as_of, actor=ctx.actor) for path in sheets]
    return Reviewed(requests, imported, tally(session, cycle))


@dataclass(frozen=True, slots=True)
class Asked:
    """The council's request for more information, and whether it (and its notice) is new."""

    request_id: int
    initiative_id: int
    due_on: date
    new: bool
    notices: int


def ask_information_step(
    session: Session,
    cycle: Cycle,
    initiative_id: int,
    member: str,
    question: str,
    as_of: date,
    ctx: StepContext,
    due_on: date | None = None,
) -> Asked:
    """Record the request (the initiative's review waits for the answer) and tell the unit."""
    request, new = ask(session, cycle, initiative_id, member, question, as_of, ctx.actor, due_on)
    notices = queue_notices(session, information_notices(session, cycle, [request.id]), ctx.domain)
    return Asked(request.id, initiative_id, request.due_on, new, notices)


def answer_information_step(
    session: Session, cycle: Cycle, initiative_id: int, text: str, as_of: date, ctx: StepContext
) -> tuple[int, bool]:
    """Record the unit's answer (the review goes on); returns the request and whether it changed."""
    request, changed = answer(session, cycle, initiative_id, text, as_of, ctx.actor)
    return request.id, changed
