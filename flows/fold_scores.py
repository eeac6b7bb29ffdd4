"""Flow ``fold-scores``: each unit's task-completion component and each commune's CCHC lines."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AuthorityCode, Year
from tasks.cycle_tasks import find_cycle_task
from tasks.notice_tasks import deliver_task
from tasks.outcome_tasks import ScoreSummary, fold_scores_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="fold-scores",
    description="Tính điểm sáng kiến vào đánh giá mức độ hoàn thành nhiệm vụ và chỉ số CCHC.",
    flow_run_name=run_name("tinh-diem", "cycle", "as_of"),
)
@told(lambda r: r.message)
def fold_scores(
    cycle: Year,
    as_of: Annotated[date | None, Field(title="Ngày tính điểm", description="Để trống: hôm nay")] = None,
    authority: AuthorityCode = None,
) -> ScoreSummary:
    """Fold every unit's scores with reasons, send each unit its score notice."""
    ref = find_cycle_task(cycle, authority)
    result = fold_scores_task(ref.id, as_of or today(ref.timezone), run_actor("fold-scores"))
    deliver_task(ref.id)
    return result
