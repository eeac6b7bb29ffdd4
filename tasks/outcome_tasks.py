"""Tasks of the results: the council's review and tally, scores, the decision, the year's report."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal
from pathlib import Path

from prefect.artifacts import create_image_artifact
from prefect.logging import get_run_logger
from pydantic import BaseModel, ConfigDict

from models.cycle import Cycle
from models.db import document_url, find_document
from models.imports import confined
from models.reporting import criterion_label
from models.review import OUTCOME_LABELS, Approval, Tally, council_sheets, existing_decision, tally
from models.review.chair import ChairContext
from models.settings import load_settings
from notifications.documents.files import chart_images
from notifications.steps import fold_step, propose_step, recognize_step, report_step, review_step
from notifications.templating import so
from tasks.artifacts import document_artifacts, table_artifact
from tasks.resources import retried, step_context, today, unit_of_work


class TallySummary(BaseModel):
    """Outcomes of the council's tally."""

    model_config = ConfigDict(frozen=True)

    recognized: tuple[int, ...]
    not_recognized: tuple[int, ...]
    pending: tuple[int, ...]
    waiting: tuple[int, ...] = ()  # for the unit's answer to the council's request
    ineligible: tuple[int, ...] = ()  # failing a condition for recognition
    requests: int = 0  # review requests newly queued by this run

    @property
    def message(self) -> str:
        """The council's tally in the run's logs."""
        told = (
            f"Kết quả chấm: {len(self.recognized)} sáng kiến đề nghị công nhận, "
            f"{len(self.not_recognized)} không đề nghị công nhận, {len(self.pending)} chưa đủ phiếu"
        )
        if self.ineligible:
            told += f", {len(self.ineligible)} không đủ điều kiện công nhận"
        if self.waiting:
            told += f", {len(self.waiting)} chờ đơn vị bổ sung"
        if self.requests:
            told += f"; {self.requests} thư đề nghị chấm điểm mới"
        return told + "."


class ScoreSummary(BaseModel):
    """What folding the scores did."""

    model_config = ConfigDict(frozen=True)

    lines: int
    created: int
    changed: int
    notices: int

    @property
    def message(self) -> str:
        """What folding changed, in the run's logs."""
        return (
            f"Điểm sáng kiến: {self.lines} dòng điểm, {self.created} dòng mới, {self.changed} dòng thay đổi; "
            f"{self.notices} thư báo điểm."
        )


class DecisionSummary(BaseModel):
    """The decision of the cycle."""

    model_config = ConfigDict(frozen=True)

    number: str
    issued_on: date
    new: bool
    recognized: int
    notices: int
    document: str

    @property
    def message(self) -> str:
        """The decision in the run's logs and final state."""
        told = "Ban hành" if self.new else "Đã có"
        return (
            f"{told} Quyết định số {self.number} ngày {self.issued_on:%d/%m/%Y} công nhận "
            f"{self.recognized} sáng kiến; {self.notices} thư thông báo mới."
        )


def _short(title: str, width: int = 60) -> str:
    """A title cut to fit a table column at 1440 px (the export has it whole)."""
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def _tally_artifact(year: int, results: list[Tally], requests: int = 0) -> TallySummary:
    table_artifact(
        f"review-tally-{year}",
        results,
        lambda t: {
            "Đơn vị": t.unit_code,
            "Tên sáng kiến": _short(t.title),
            "Điểm TB": so(t.mean_total.quantize(Decimal("0.01"))),
            "Đồng ý/phiếu": f"{t.approvals}/{t.sheets} (chấm: {t.eligible})",
            "Kết quả": OUTCOME_LABELS[t.outcome],
            "Mã sáng kiến": t.initiative_id,
        },
        f"Kết quả chấm điểm sáng kiến năm {year}",
        f"sangkien export initiatives --cycle {year} --out sang-kien.xlsx",
    )
    by_outcome = {o: tuple(t.initiative_id for t in results if t.outcome == o) for o in OUTCOME_LABELS}
    summary = TallySummary(**by_outcome, requests=requests)
    get_run_logger().info(summary.message)
    return summary


@retried("review-initiatives")
def review_task(cycle_id: int, as_of: date, sheets: list[str], actor: str) -> TallySummary:
    """Review requests to every member (recusal applied), returned sheets taken in, the tally."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        ctx = step_context(actor)
        # A path given through the API is read only from the intake folder.
        sources = [confined(Path(path), ctx.settings.intake_folder) for path in sheets]
        reviewed = review_step(session, cycle, as_of, ctx, sources)
        return _tally_artifact(cycle.year, reviewed.tally, reviewed.requests)


@retried("tally-reviews")
def tally_task(cycle_id: int) -> TallySummary:
    """The council's tally; the per-initiative table goes to an artifact."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return _tally_artifact(cycle.year, tally(session, cycle))


@retried("fold-scores")
def fold_scores_task(cycle_id: int, as_of: date, actor: str) -> ScoreSummary:
    """Fold every unit's scores (set-based), store the lines with reasons, queue score notices."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        folded = fold_step(session, cycle, as_of, step_context(actor))
        year = cycle.year
    table_artifact(
        f"scores-{year}",
        folded.lines,
        lambda ln: {
            "Đơn vị": ln.unit_code,
            "Nội dung": criterion_label(ln.scorecard, ln.criterion),
            "Điểm": so(ln.points),
            "Tối đa": so(ln.max_points),
            "Lý do": ln.reason,
        },
        f"Điểm sáng kiến cải cách hành chính năm {year} tại ngày {as_of:%d/%m/%Y}",
        f"sangkien export scores --cycle {year} --out diem.xlsx",
    )
    summary = ScoreSummary(
        lines=len(folded.lines), created=folded.created, changed=folded.changed, notices=folded.notices
    )
    get_run_logger().info(summary.message)
    return summary


class DecisionRef(BaseModel):
    """The cycle's decision as a log line names it."""

    model_config = ConfigDict(frozen=True)

    number: str
    issued_on: date
    document: str


@retried("find-decision")
def find_decision_task(cycle_id: int) -> DecisionRef | None:
    """The cycle's decision, if one was issued: its number, date and where it opens (the
    documents service's address of its stored .docx; its file name if it was never stored)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        decision = existing_decision(session, cycle)
        if decision is None:
            return None
        name = f"quyet-dinh-cong-nhan-sang-kien-{cycle.year}.docx"
        stored = find_document(session, cycle_id, "decision", name)
        return DecisionRef(
            number=decision.number,
            issued_on=decision.issued_on,
            document=document_url(load_settings().documents.url, stored) if stored else name,
        )


@retried("propose-recognition")
def propose_task(cycle_id: int, as_of: date | None, actor: str) -> ChairContext:
    """The minutes and the Tờ trình written, and what the chair's form shows."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        now = today(cycle.configuration.timezone)
        return propose_step(session, cycle, as_of or now, now, step_context(actor))


@retried("issue-decision")
def issue_decision_task(cycle_id: int, approval: Approval | None, actor: str) -> DecisionSummary:
    """Record the decision (once per cycle; without ``approval`` the stored one), render it, and
    queue the notices to the units (each once)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        made = recognize_step(session, cycle, approval, step_context(actor))
        summary = DecisionSummary(
            number=made.decision.number,
            issued_on=made.decision.issued_on,
            new=made.new,
            recognized=len(made.decision.initiative_ids),
            notices=made.notices,
            document=str(made.files.docx),
        )
        year = cycle.year
    description = f"Quyết định công nhận sáng kiến năm {year}"
    document_artifacts(f"decision-{year}", made.files, description, cycle_id, "decision", summary.number)
    get_run_logger().info(summary.message)
    return summary


@retried("district-report")
def district_report_task(cycle_id: int, as_of: date, actor: str) -> str:
    """Render the authority's report of the year; returns its path."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        files = report_step(session, cycle, as_of, step_context(actor))
        year = cycle.year
    document_artifacts(f"district-report-{year}", files, f"Báo cáo sáng kiến năm {year}", cycle_id, "report")
    for name, data in chart_images(files):
        create_image_artifact(
            image_url="data:image/png;base64," + base64.b64encode(data).decode("ascii"),
            key=f"district-report-{year}-{name.replace('_', '-')}",
            description=f"Biểu đồ báo cáo sáng kiến năm {year}",
        )
    get_run_logger().info(f"Đã lập báo cáo sáng kiến năm {year} ngày {as_of:%d/%m/%Y} ({files.docx.name}).")
    return str(files.docx)


@retried("simulate-council-sheets")
def simulate_sheets_task(cycle_id: int) -> list[str]:
    """For a replayed year: the council's sheets, written as the files members would return."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        path = load_settings().intake_folder / f"phieu-cham-mo-phong-{cycle.year}.csv"
        return [str(p) for p in council_sheets(session, cycle, path)]
