"""Flow ``review-initiatives``: assign the council (recusing conflicts), request, collect, tally."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AuthorityCode, Year
from tasks.cycle_tasks import find_cycle_task
from tasks.notice_tasks import deliver_task
from tasks.outcome_tasks import TallySummary, review_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="review-initiatives",
    description="Phân công Hội đồng chấm điểm, gửi đề nghị chấm, tổng hợp kết quả.",
    flow_run_name=run_name("tham-dinh", "cycle"),
)
@told(lambda r: r.message)
def review_initiatives(
    cycle: Year,
    as_of: Annotated[
        date | None, Field(title="Ngày gửi đề nghị chấm", description="Để trống: hôm nay")
    ] = None,
    sheets: Annotated[
        list[str] | None,
        Field(title="Tệp phiếu chấm", description="Các tệp phiếu đã điền, mỗi thành viên một tệp"),
    ] = None,
    authority: AuthorityCode = None,
) -> TallySummary:
    """Send review requests (once per member), import returned sheets, tally; deliver."""
    ref = find_cycle_task(cycle, authority)
    result = review_task(ref.id, as_of or today(ref.timezone), sheets or [], run_actor("review-initiatives"))
    deliver_task(ref.id)
    return result
