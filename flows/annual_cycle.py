"""Flow ``annual-cycle``: a whole year replayed on a simulated clock, through the real flows.

The opening, each day the sweep has work (submissions arriving as dated in the files), the
council's review with simulated sheets, the scores, the recognition (which waits for the chair's
approval in its form) and the year's report. Each step is a subflow an operator can open.
"""

from __future__ import annotations

from typing import Annotated

from prefect import flow
from pydantic import BaseModel, ConfigDict, Field

from flows.deadline_sweep import deadline_sweep
from flows.district_report import district_report
from flows.fold_scores import fold_scores
from flows.open_cycle import BUNDLED, open_cycle
from flows.recognize_initiatives import recognize_initiatives
from flows.review_initiatives import review_initiatives
from tasks.cycle_tasks import compliance_task, replay_plan_task
from tasks.intake_tasks import import_file_task
from tasks.outcome_tasks import simulate_sheets_task
from tasks.progress import PhasedProgress
from tasks.resources import run_actor, subflows_share_heartbeat
from tasks.runs import run_name, told

OPENING, DAYS, REVIEW = "Mở chu kỳ", "Tiếp nhận và quét hạn", "Hội đồng thẩm định"
OUTCOME, REPORT = "Chấm điểm và công nhận", "Báo cáo năm"


class YearSummary(BaseModel):
    """What the replayed year came to."""

    model_config = ConfigDict(frozen=True)

    year: int
    days_swept: int
    recognized: int
    decision: str | None
    report: str

    @property
    def message(self) -> str:
        """The year in one sentence, the run's final message."""
        decided = f"Quyết định số {self.decision}" if self.decision else "chưa có quyết định"
        return (
            f"Đã chạy lại năm {self.year}: {self.days_swept} ngày quét hạn, "
            f"{self.recognized} sáng kiến được đề nghị công nhận, {decided}."
        )


@flow(
    name="annual-cycle",
    description="Chạy lại cả một năm sáng kiến theo lịch mô phỏng, qua các luồng thật.",
    flow_run_name=run_name("ca-nam"),
)
@told(lambda r: r.message)
def annual_cycle(
    config_path: Annotated[
        str, Field(title="Tệp cấu hình chu kỳ", description="Tệp .toml trên máy chạy luồng")
    ] = str(BUNDLED),
) -> YearSummary:
    """Replay the configured year from its opening to the report."""
    plan = replay_plan_task(config_path)
    progress = PhasedProgress(
        {OPENING: 1, DAYS: len(plan.days), REVIEW: 2, OUTCOME: 3, REPORT: 2}, "Chạy lại năm sáng kiến"
    )
    with subflows_share_heartbeat():
        progress.phase(OPENING)
        ref = open_cycle(config_path, as_of=plan.opens_on)
        progress.advance()
        actor = run_actor("annual-cycle")
        progress.phase(DAYS)
        for after, day in plan.windows:
            for kind, path in plan.files:
                import_file_task(ref.id, path, kind, day, actor, replay=True, after=after)
            deadline_sweep(ref.year, day, ref.authority)
            progress.advance()
        progress.phase(REVIEW)
        sheets = simulate_sheets_task(ref.id)
        progress.advance()
        tallied = review_initiatives(ref.year, plan.review_on, sheets, ref.authority)
        progress.advance()
        progress.phase(OUTCOME)
        fold_scores(ref.year, plan.review_on, ref.authority)
        progress.advance()
        decision = recognize_initiatives(ref.year, ref.authority, as_of=plan.review_on)
        progress.advance()
        fold_scores(ref.year, plan.decided_on, ref.authority)
        progress.advance()
        progress.phase(REPORT)
        compliance_task(ref.id, plan.decided_on)
        progress.advance()
        report = district_report(ref.year, plan.decided_on, ref.authority)
        progress.advance()
    return YearSummary(
        year=ref.year,
        days_swept=len(plan.days),
        recognized=len(tallied.recognized),
        decision=decision.number if decision else None,
        report=report,
    )
