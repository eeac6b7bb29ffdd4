"""Extension requests: a unit asks for more time for one obligation, an officer decides.

A request names the unit, the obligation, the day asked for and a reason. It is refused when the
unit is not in the cycle, the day is not after the unit's current deadline, the deadline has
already passed (unless ``extensions.allow_late_requests``), or another request of the unit for
the same obligation is still pending. The same request given again (unit, obligation, days and
reason) is the same request: a re-run stores nothing twice. A decision approves (possibly with
another day, moved to a working day) or refuses with a reason; deciding again the same way
changes nothing, deciding otherwise is refused. Every request and decision is audited. All or
nothing, like an import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleDeadlines, ExtensionRequest, Unit, roster
from models.db import record
from models.errors import ImportRejected, RowError
from models.intake import (
    Code,
    Day,
    Flag,
    Para,
    SourceRow,
    json_kinds,
    parse_obligation,
    parse_rows,
    read_rows,
    required_columns,
)
from models.text import clean_text

Obligation = Annotated[str, BeforeValidator(parse_obligation)]
Reason = Annotated[
    str, BeforeValidator(lambda v: clean_text(str(v), multiline=True)), Field(min_length=3, max_length=2000)
]

EXTENSION_COLUMNS = {
    "unit_code": "Mã đơn vị",
    "obligation": "Nội dung xin gia hạn",
    "requested_until": "Gia hạn đến ngày",
    "reason": "Lý do",
    "requested_on": "Ngày gửi đơn",
}


class ExtensionIn(BaseModel):
    """A request for more time, from a form, the CLI or a row of an imported sheet."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit_code: Code
    obligation: Obligation
    requested_until: Day
    reason: Reason
    requested_on: Day | None = None


class DecisionIn(BaseModel):
    """An officer's decision on one request: approve (possibly with another day) or refuse."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True)

    request_id: int = Field(ge=1)
    approve: Flag
    decided_until: Day | None = None
    reason: Para = ""

    @field_validator("reason")
    @classmethod
    def _refusal_has_a_reason(cls, reason: str, info: ValidationInfo) -> str:
        if info.data.get("approve") is False and len(reason) < 3:
            raise ValueError("từ chối gia hạn phải nêu lý do; hãy ghi lý do từ chối")
        return reason


Parsed = TypeVar("Parsed", ExtensionIn, DecisionIn)


def parse_one(schema: type[Parsed], fields: dict[str, str], source: str) -> Parsed:
    """One request or decision from a form or the command line; ``ImportRejected`` names each
    wrong field (empty fields count as not given)."""
    errors: list[RowError] = []
    given = {name: value for name, value in fields.items() if value != ""}
    parsed = parse_rows([SourceRow(1, given)], schema, source, errors)
    if errors:
        raise ImportRejected(errors)
    return parsed[0][1]


def read_requests(path: Path) -> list[tuple[int, ExtensionIn]]:
    """Every request of a sheet (xlsx, csv or JSON), checked; ``ImportRejected`` lists every error."""
    rows = read_rows(path, EXTENSION_COLUMNS, required_columns(ExtensionIn), json_kinds(ExtensionIn))
    errors: list[RowError] = []
    items = parse_rows(rows, ExtensionIn, path.name, errors)
    if errors:
        raise ImportRejected(errors)
    return items


def request_extensions(
    session: Session,
    cycle: Cycle,
    items: Sequence[tuple[int, ExtensionIn]],
    file: str,
    today: date,
    actor: str,
) -> tuple[list[int], list[int]]:
    """Store the requests; returns (new ids, ids of requests given again). ``ImportRejected``
    names every problem (file, row, field, fix) and nothing is stored then."""
    config = cycle.configuration
    units = roster(session, cycle.id)
    deadlines = CycleDeadlines.load(session, cycle, today)
    stored = list(session.scalars(select(ExtensionRequest).where(ExtensionRequest.cycle_id == cycle.id)))
    pending = {(r.unit_id, r.obligation): r for r in stored if r.status == "pending"}
    known = {(r.unit_id, r.obligation, r.requested_until, r.reason, r.requested_on): r.id for r in stored}
    errors: list[RowError] = []
    fresh: list[ExtensionRequest] = []
    again: list[int] = []
    for number, item in items:
        unit = units.get(item.unit_code)
        if unit is None:
            message = f"không có đơn vị mã {item.unit_code} trong chu kỳ {cycle.year}; hãy kiểm tra mã đơn vị"
            errors.append(RowError(file, number, "unit_code", message))
            continue
        asked_on = item.requested_on or today
        same = known.get((unit.unit_id, item.obligation, item.requested_until, item.reason, asked_on))
        if same is not None:  # the same request given again (a re-run): already stored
            again.append(same)
            continue
        due = deadlines.for_unit(unit.unit_id, item.obligation).deadline
        problem = _request_problem(item, asked_on, due, today, config.extensions.allow_late_requests)
        if problem:
            errors.append(RowError(file, number, *problem))
            continue
        waiting = pending.get((unit.unit_id, item.obligation))
        if waiting is not None:
            message = (
                f"đơn vị {item.unit_code} đã có đơn gia hạn số {waiting.id} đang chờ quyết định; "
                "hãy chờ quyết định của đơn đó rồi mới gửi đơn mới"
            )
            errors.append(RowError(file, number, "obligation", message))
            continue
        request = ExtensionRequest(
            cycle_id=cycle.id,
            unit_id=unit.unit_id,
            obligation=item.obligation,
            requested_until=item.requested_until,
            reason=item.reason,
            requested_on=asked_on,
            requested_by=actor,
            status="pending",
            decision_reason="",
        )
        pending[(unit.unit_id, item.obligation)] = request
        fresh.append(request)
    if errors:
        raise ImportRejected(errors)
    session.add_all(fresh)
    session.flush()
    for request in fresh:
        facts = {"unit_id": request.unit_id, "obligation": request.obligation, "reason": request.reason}
        after = facts | {"requested_until": request.requested_until, "requested_on": request.requested_on}
        record(session, actor, "extension_request", request.id, "request", after=after)
    return [r.id for r in fresh], again


def _request_problem(
    item: ExtensionIn, asked_on: date, due: date, today: date, late_allowed: bool
) -> tuple[str, str] | None:
    if asked_on > today:
        return "requested_on", f"ngày đề nghị {asked_on:%d/%m/%Y} ở tương lai (hôm nay {today:%d/%m/%Y})"
    if item.requested_until <= due:
        return "requested_until", _not_after("xin gia hạn", item.requested_until, due)
    if asked_on > due and not late_allowed:
        late = (
            f"đơn gửi ngày {asked_on:%d/%m/%Y}, sau khi hạn {due:%d/%m/%Y} đã qua; đơn gia hạn phải "
            "gửi trước khi hết hạn (cấu hình extensions.allow_late_requests không cho gửi muộn)"
        )
        return "requested_on", late
    return None


def _not_after(what: str, day: date, due: date) -> str:
    return f"ngày {what} {day:%d/%m/%Y} không sau hạn hiện tại {due:%d/%m/%Y}; hãy ghi một ngày sau hạn đó"


def _refuse(column: str, message: str) -> ImportRejected:
    return ImportRejected([RowError("decision", 1, column, message)])


def decide_extension(
    session: Session, cycle: Cycle, item: DecisionIn, today: date, actor: str
) -> tuple[ExtensionRequest, bool]:
    """Record the decision; returns the request and whether anything changed."""
    request = session.get(ExtensionRequest, item.request_id)
    if request is None or request.cycle_id != cycle.id:
        unknown = f"không có đơn gia hạn số {item.request_id} trong chu kỳ {cycle.year}"
        raise _refuse("request_id", f"{unknown}; hãy xem danh sách: sangkien extension list")
    status = "approved" if item.approve else "refused"
    until = _granted_until(cycle, request, item) if item.approve else None
    if request.status != "pending":
        if (request.status, request.decided_until, request.decision_reason) == (status, until, item.reason):
            return request, False
        word = "duyệt" if request.status == "approved" else "từ chối"
        decided = f"đơn gia hạn số {request.id} đã được {word} ngày {request.decided_on:%d/%m/%Y}"
        raise _refuse("request_id", f"{decided}; không quyết định lại được")
    deadlines = CycleDeadlines.load(session, cycle, today)
    due = deadlines.for_unit(request.unit_id, request.obligation).deadline
    if until is not None and until <= due:
        raise _refuse("decided_until", _not_after("gia hạn", until, due))
    request.status, request.decided_until, request.decision_reason = status, until, item.reason
    request.decided_on, request.decided_by = today, actor
    session.flush()
    after = {"status": status, "decided_until": until, "reason": item.reason, "decided_on": today}
    record(
        session, actor, "extension_request", request.id, "decide", before={"status": "pending"}, after=after
    )
    return request, True


def _granted_until(cycle: Cycle, request: ExtensionRequest, item: DecisionIn) -> date:
    """The day granted, moved to a working day (a deadline never ends on a day off)."""
    config = cycle.configuration
    granted = item.decided_until or request.requested_until
    if not config.calendar.roll_forward:
        return granted
    return CycleDeadlines(cycle, {}).calendar.on_or_after(granted)


def list_requests(session: Session, cycle: Cycle) -> list[dict[str, object]]:
    """Every request of the cycle with its unit and decision, oldest first."""
    rows = session.execute(
        select(ExtensionRequest, Unit.code, Unit.name)
        .join(Unit, Unit.id == ExtensionRequest.unit_id)
        .where(ExtensionRequest.cycle_id == cycle.id)
        .order_by(ExtensionRequest.id)
    )
    return [
        {
            "id": r.id,
            "unit_code": code,
            "unit_name": name,
            "obligation": r.obligation,
            "requested_until": r.requested_until.isoformat(),
            "requested_on": r.requested_on.isoformat(),
            "reason": r.reason,
            "status": r.status,
            "decided_until": r.decided_until.isoformat() if r.decided_until else None,
            "decision_reason": r.decision_reason,
            "decided_on": r.decided_on.isoformat() if r.decided_on else None,
        }
        for r, code, name in rows
    ]
