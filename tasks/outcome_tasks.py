"""Tasks of the results: review requests, the tally, scores, the decision and the year's report."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path

from prefect.artifacts import create_image_artifact, create_link_artifact, create_markdown_artifact
from pydantic import BaseModel, ConfigDict

from models.cycle.tables import Cycle
from models.reporting.scoring import compute_lines, store_lines
from models.review.recognition import Approval, existing_decision, record_decision
from models.review.simulation import council_sheets
from models.review.tally import assignments, by_member, tally
from models.settings import load_settings
from notifications.documents.files import DocumentFiles, chart_images
from notifications.documents.render import render_decision, render_district_report
from notifications.mail.outbox import queue_notices
from notifications.notices.outcome import CRITERION_LABELS, decision_notices, review_requests, score_notices
from tasks.artifacts import table_artifact
from tasks.cycle_tasks import sender_domain
from tasks.resources import retried, unit_of_work

OUTCOME_LABELS = {"recognized": "công nhận", "not_recognized": "không công nhận", "pending": "chờ đủ phiếu"}


class TallySummary(BaseModel):
    """Outcomes of the council's tally."""

    model_config = ConfigDict(frozen=True)

    recognized: tuple[int, ...]
    not_recognized: tuple[int, ...]
    pending: tuple[int, ...]


class ScoreSummary(BaseModel):
    """What folding the scores did."""

    model_config = ConfigDict(frozen=True)

    lines: int
    created: int
    changed: int
    notices: int


class DecisionSummary(BaseModel):
    """The decision of the cycle."""

    model_config = ConfigDict(frozen=True)

    number: str
    issued_on: date
    new: bool
    recognized: int
    notices: int
    document: str


def out_folder(year: int) -> Path:
    """Where a cycle's documents go: var/out/<year>/."""
    return load_settings().data_dir / "out" / str(year)


def document_artifacts(key: str, files: DocumentFiles, description: str) -> None:
    """Links to the .docx and the HTML of a document, and a note of where they are."""
    create_link_artifact(
        key=f"{key}-docx", link=files.docx.resolve().as_uri(), description=description + " (.docx)"
    )
    create_link_artifact(
        key=f"{key}-html", link=files.html.resolve().as_uri(), description=description + " (HTML)"
    )
    create_markdown_artifact(
        key=key,
        markdown=f"**{description}**\n\n- Word: `{files.docx}`\n- HTML: `{files.html}`",
        description=description,
    )


@retried("request-reviews")
def request_reviews_task(cycle_id: int, as_of: date) -> int:
    """Assign every initiative to the members who may score it and queue their requests."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        plan = by_member(assignments(session, cycle))
        return queue_notices(session, review_requests(session, cycle, plan, as_of), sender_domain())


@retried("tally-reviews")
def tally_task(cycle_id: int) -> TallySummary:
    """The council's tally; the per-initiative table goes to an artifact."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        results = tally(session, cycle)
    table_artifact(
        f"review-tally-{cycle.year}",
        [
            {
                "Mã sáng kiến": t.initiative_id,
                "Tên sáng kiến": t.title,
                "Đơn vị": t.unit_code,
                "Số thành viên chấm": t.eligible,
                "Số phiếu": t.sheets,
                "Đồng ý": t.approvals,
                "Điểm trung bình": str(t.mean_total),
                "Kết quả": OUTCOME_LABELS[t.outcome],
            }
            for t in results
        ],
        f"Kết quả chấm điểm sáng kiến năm {cycle.year}",
        f"sangkien export initiatives --cycle {cycle.year} --out sang-kien.xlsx",
    )
    by_outcome = {o: tuple(t.initiative_id for t in results if t.outcome == o) for o in OUTCOME_LABELS}
    return TallySummary(
        recognized=by_outcome["recognized"],
        not_recognized=by_outcome["not_recognized"],
        pending=by_outcome["pending"],
    )


@retried("fold-scores")
def fold_scores_task(cycle_id: int, as_of: date, actor: str) -> ScoreSummary:
    """Fold every unit's scores (set-based), store the lines with reasons, queue score notices."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        lines = compute_lines(session, cycle, as_of)
        created, changed = store_lines(session, cycle, lines, actor)
        notices = queue_notices(session, score_notices(session, cycle, lines), sender_domain())
    table_artifact(
        f"scores-{cycle.year}",
        [
            {
                "Đơn vị": ln.unit_code,
                "Nội dung": CRITERION_LABELS[(ln.scorecard, ln.criterion)],
                "Điểm": str(ln.points),
                "Tối đa": str(ln.max_points),
                "Lý do": ln.reason,
            }
            for ln in lines
        ],
        f"Điểm sáng kiến cải cách hành chính năm {cycle.year} tại ngày {as_of:%d/%m/%Y}",
        f"sangkien export scores --cycle {cycle.year} --out diem.xlsx",
    )
    return ScoreSummary(lines=len(lines), created=created, changed=changed, notices=notices)


@retried("find-decision")
def find_decision_task(cycle_id: int) -> str | None:
    """The number of the cycle's decision, if one was issued."""
    with unit_of_work() as session:
        decision = existing_decision(session, session.get_one(Cycle, cycle_id))
        return decision.number if decision else None


@retried("issue-decision")
def issue_decision_task(cycle_id: int, approval: Approval | None, actor: str) -> DecisionSummary:
    """Record the decision (once per cycle; without ``approval`` the stored one), render it, and
    queue the notices to the units (each once)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        results = tally(session, cycle)
        found = existing_decision(session, cycle)
        if found is not None:
            decision, new = found, False
        elif approval is None:
            raise ValueError(f"cycle {cycle.year} has no decision and no approval was given")
        else:
            decision, new = record_decision(session, cycle, results, approval, actor)
        notices = queue_notices(session, decision_notices(session, cycle, results, decision), sender_domain())
        files = render_decision(session, cycle, decision, out_folder(cycle.year))
        summary = DecisionSummary(
            number=decision.number,
            issued_on=decision.issued_on,
            new=new,
            recognized=len(decision.initiative_ids),
            notices=notices,
            document=str(files.docx),
        )
    document_artifacts(f"decision-{cycle.year}", files, f"Quyết định công nhận sáng kiến năm {cycle.year}")
    return summary


@retried("district-report")
def district_report_task(cycle_id: int, as_of: date) -> str:
    """Render the authority's report of the year; returns its path."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        files = render_district_report(session, cycle, as_of, out_folder(cycle.year))
    document_artifacts(f"district-report-{cycle.year}", files, f"Báo cáo sáng kiến năm {cycle.year}")
    for name, data in chart_images(files):
        create_image_artifact(
            image_url="data:image/png;base64," + base64.b64encode(data).decode("ascii"),
            key=f"district-report-{cycle.year}-{name.replace('_', '-')}",
            description=f"Biểu đồ báo cáo sáng kiến năm {cycle.year}",
        )
    return str(files.docx)


@retried("simulate-council-sheets")
def simulate_sheets_task(cycle_id: int) -> str:
    """For a replayed year: the council's sheets, written as the file members would return."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return str(council_sheets(session, cycle, out_folder(cycle.year) / "phieu-cham-mo-phong.csv"))
