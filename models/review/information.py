"""The council asks a unit for more information on an initiative, and the unit answers.

A council member (in practice the secretary, for the council) asks; the unit gets a deadline
(by default the configured response days). While a request is unanswered the initiative's review
waits: the tally leaves it undecided (``waiting``), so no decision can recognize or refuse it. The
answer is recorded when it comes in; then the council scores on, new sheets replacing old ones.
Asking the same question again, or recording the same answer again, changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle
from models.db import record
from models.errors import InvalidInput
from models.intake import Initiative
from models.review.tables import InformationRequest
from models.text import clean_text, title_key


def _text(value: str, field: str, what: str) -> str:
    try:
        text = clean_text(value, multiline=True)
    except ValueError as exc:
        raise InvalidInput(f"{what}: {exc}", field=field) from None
    if len(text) < 3:
        raise InvalidInput(f"{what} quá ngắn", field=field, fix="hãy ghi rõ {field}")
    if len(text) > 5000:
        raise InvalidInput(f"{what} quá dài (tối đa 5.000 ký tự)", field=field)
    return text


def open_requests(session: Session, cycle: Cycle) -> dict[int, InformationRequest]:
    """The unanswered request of each initiative that has one."""
    rows = session.scalars(
        select(InformationRequest).where(
            InformationRequest.cycle_id == cycle.id, InformationRequest.answered_on.is_(None)
        )
    )
    return {r.initiative_id: r for r in rows}


def ask(
    session: Session,
    cycle: Cycle,
    initiative_id: int,
    member: str,
    question: str,
    asked_on: date,
    actor: str,
    due_on: date | None = None,
) -> tuple[InformationRequest, bool]:
    """Record the council's request; returns it and whether it is new."""
    initiative = session.get(Initiative, initiative_id)
    if initiative is None or initiative.cycle_id != cycle.id:
        raise InvalidInput(
            f"không có sáng kiến số {initiative_id} trong chu kỳ {cycle.year}", field="initiative_id"
        )
    asker = session.scalar(
        select(CouncilMember).where(
            CouncilMember.cycle_id == cycle.id, CouncilMember.name_key == title_key(member)
        )
    )
    if asker is None:
        raise InvalidInput(f"{member!r} không phải thành viên Hội đồng sáng kiến", field="member")
    question = _text(question, "question", "nội dung đề nghị bổ sung")
    due = due_on or asked_on + timedelta(days=cycle.configuration.review.response_days)
    if due <= asked_on:
        raise InvalidInput(
            f"hạn bổ sung {due:%d/%m/%Y} phải sau ngày đề nghị {asked_on:%d/%m/%Y}", field="due_on"
        )
    waiting = open_requests(session, cycle).get(initiative_id)
    if waiting is not None:
        if waiting.question == question:
            return waiting, False
        raise InvalidInput(
            f"sáng kiến số {initiative_id} đang chờ đơn vị bổ sung "
            f"theo đề nghị ngày {waiting.asked_on:%d/%m/%Y}",
            field="initiative_id",
            fix="hãy ghi nhận trả lời của đơn vị trước khi đề nghị lần khác",
        )
    request = InformationRequest(
        cycle_id=cycle.id,
        initiative_id=initiative_id,
        member_id=asker.id,
        question=question,
        asked_on=asked_on,
        due_on=due,
        answer="",
    )
    session.add(request)
    session.flush()
    facts = {"initiative_id": initiative_id, "member": asker.name, "question": question, "due_on": due}
    record(session, actor, "information_request", request.id, "ask", after=facts)
    return request, True


def answer(
    session: Session, cycle: Cycle, initiative_id: int, text: str, answered_on: date, actor: str
) -> tuple[InformationRequest, bool]:
    """Record the unit's answer to the open request on the initiative; returns it and whether it
    changed anything (the same answer again does not)."""
    text = _text(text, "answer", "nội dung bổ sung của đơn vị")
    waiting = open_requests(session, cycle).get(initiative_id)
    if waiting is None:
        answered = session.scalars(
            select(InformationRequest)
            .where(InformationRequest.cycle_id == cycle.id, InformationRequest.initiative_id == initiative_id)
            .order_by(InformationRequest.id.desc())
        ).first()
        if answered is not None and answered.answer == text:
            return answered, False
        raise InvalidInput(
            f"sáng kiến số {initiative_id} không có đề nghị bổ sung nào đang chờ trả lời",
            field="initiative_id",
        )
    if answered_on < waiting.asked_on:
        raise InvalidInput(
            f"ngày trả lời {answered_on:%d/%m/%Y} trước ngày đề nghị {waiting.asked_on:%d/%m/%Y}",
            field="as_of",
        )
    waiting.answer, waiting.answered_on, waiting.answered_by = text, answered_on, actor
    session.flush()
    record(
        session, actor, "information_request", waiting.id, "answer", after={"answer": text, "on": answered_on}
    )
    return waiting, True
