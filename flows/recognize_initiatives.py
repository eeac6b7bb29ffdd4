"""Flow ``recognize-initiatives``: the council's tally, the Tờ trình, the chair's decision on a
form that shows the recommendation and asks again until its values are right, issued once."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow, pause_flow_run
from prefect.input import RunInput
from prefect.logging import get_run_logger
from pydantic import Field

from models.errors import InvalidInput
from models.forms import chair_form
from models.review import Approval
from models.review.chair import check_answer, description
from tasks.cycle_tasks import find_cycle_task
from tasks.notice_tasks import deliver_task
from tasks.outcome_tasks import (
    DecisionSummary,
    find_decision_task,
    issue_decision_task,
    propose_task,
    tally_task,
)
from tasks.resources import run_actor
from tasks.runs import run_name

MAX_ASKS = 20  # a form sent back wrong this many times ends the run (each wait has its timeout)


@flow(
    name="recognize-initiatives",
    description="Xét công nhận sáng kiến: Chủ tịch quyết định theo đề nghị của Hội đồng, ký quyết định.",
    flow_run_name=run_name("cong-nhan", "cycle"),
)
def recognize_initiatives(
    cycle: Annotated[int, Field(ge=2000, le=2100, title="Năm chu kỳ", description="Năm của chu kỳ")],
    authority: Annotated[
        str | None, Field(title="Mã cơ quan", description="Mã cơ quan (khi một CSDL có nhiều cơ quan)")
    ] = None,
    as_of: Annotated[
        date | None,
        Field(title="Ngày lập tờ trình", description="Ngày lập biên bản và tờ trình (để trống: hôm nay)"),
    ] = None,
) -> DecisionSummary | None:
    """Pause for the chair's form until its values pass the checks; a decided cycle is not paused."""
    ref = find_cycle_task(cycle, authority)
    result = tally_task(ref.id)
    logger = get_run_logger()
    actor = run_actor("recognize-initiatives")
    decided: Approval | None = None  # None: the decision already issued stands, nothing new
    found = find_decision_task(ref.id)
    if found is not None:
        logger.info(
            "Chu kỳ %s đã có Quyết định số %s ngày %s; không chờ phê duyệt lại, không ban hành thêm. "
            "Mở quyết định: %s",
            cycle,
            found.number,
            f"{found.issued_on:%d/%m/%Y}",
            found.document,
        )
    else:
        if not result.recognized and not result.not_recognized:
            logger.warning("Chưa có sáng kiến nào đủ phiếu để xét; chưa thể ban hành quyết định.")
            return None
        context = propose_task(ref.id, as_of, actor)
        form = chair_form(context)
        logger.info(
            "Chờ Chủ tịch phê duyệt: Hội đồng đề nghị công nhận %d sáng kiến, không đề nghị %d; "
            "biên bản %s; tờ trình %s.",
            len(context.recommended),
            len(context.candidates) - len(context.recommended),
            context.minutes,
            context.proposal,
        )
        errors: list[str] = []
        for _ in range(MAX_ASKS):
            asked = RunInput.subclass_from_base_model_type(form).with_initial_data(
                description=description(context, errors)
            )
            answer = pause_flow_run(
                wait_for_input=asked, timeout=ref.decision_timeout_seconds, poll_interval=2
            )
            decided, errors = check_answer(answer.model_dump(), context)
            if decided is not None:
                logger.info(
                    "Chủ tịch phê duyệt Quyết định số %s ngày %s; %d thay đổi so với đề nghị của Hội đồng.",
                    decided.number,
                    f"{decided.issued_on:%d/%m/%Y}",
                    len(decided.changes),
                )
                break
            logger.warning("Phê duyệt chưa hợp lệ, hỏi lại: %s", "; ".join(errors))
        if decided is None:
            raise InvalidInput(
                f"phê duyệt gửi chưa hợp lệ {MAX_ASKS} lần; chưa ban hành quyết định",
                fix="hãy chạy lại luồng và điền theo hướng dẫn trên biểu mẫu",
            )
    summary = issue_decision_task(ref.id, decided, actor)
    deliver_task(ref.id)
    return summary
