"""Flow ``review-initiatives``: assign the council (recusing conflicts), request, collect, tally."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from tasks.cycle_tasks import find_cycle_task
from tasks.intake_tasks import import_file_task
from tasks.notice_tasks import deliver_task
from tasks.outcome_tasks import TallySummary, request_reviews_task, tally_task
from tasks.resources import run_actor, today


@flow(
    name="review-initiatives", description="Phân công Hội đồng chấm điểm, gửi đề nghị chấm, tổng hợp kết quả."
)
def review_initiatives(
    cycle: Annotated[int, Field(ge=2000, le=2100, description="Năm của chu kỳ")],
    as_of: Annotated[date | None, Field(description="Ngày gửi đề nghị chấm (mặc định: hôm nay)")] = None,
    sheets: Annotated[str | None, Field(description="Tệp phiếu chấm đã điền (nếu có) để nhập")] = None,
) -> TallySummary:
    """Send review requests (once per member), import returned sheets, tally."""
    ref = find_cycle_task(cycle)
    day = as_of or today(ref.timezone)
    request_reviews_task(ref.id, day)
    deliver_task(ref.id)
    if sheets:
        import_file_task(ref.id, sheets, "reviews", day, run_actor("review-initiatives"))
    return tally_task(ref.id)
