"""Folding the cycle into scores: each unit's task-completion component and each commune's CCHC
sub-criteria, by the configured points, each line with the reason a unit can contest.

Set-based: compliance (five queries) plus two counts for the whole roster. Lines are upserted by
(cycle, unit, scorecard, criterion); a line whose points and reason did not change is left as it
is, so folding twice changes nothing, and every change is audited with before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, ReplicatedInitiative, Scoring, roster
from models.db import record, record_many
from models.db.bulk import insert_rows
from models.intake import OBLIGATIONS, Initiative, ReplicationReport, ResultReport, scoring_points
from models.reporting.tables import ScoreLine
from models.tracking import ObligationState, compute_compliance, cycle_obligations

_FIXED_LABELS = {
    ("task_completion", "recognized"): "Có sáng kiến được công nhận (mức độ hoàn thành nhiệm vụ)",
    ("cchc_index", "initiative"): "Chỉ số CCHC: sáng kiến cải cách hành chính",
    ("cchc_index", "replication"): "Chỉ số CCHC: áp dụng sáng kiến nhân rộng",
}


def criterion_label(scorecard: str, criterion: str) -> str:
    """How a score line is named where a unit reads it: an obligation's line by its words."""
    if scorecard == "task_completion" and criterion in OBLIGATIONS:
        words = OBLIGATIONS[criterion].labels.notice
        return f"{words[:1].upper()}{words[1:]} (mức độ hoàn thành nhiệm vụ)"
    return _FIXED_LABELS.get((scorecard, criterion), criterion)


@dataclass(frozen=True, slots=True)
class Line:
    """One score line before it is stored."""

    unit_code: str
    scorecard: str  # task_completion, cchc_index
    criterion: str
    points: Decimal
    max_points: Decimal
    reason: str


def _timing(
    state: ObligationState, points: tuple[Decimal, Decimal], what: str, scoring: Scoring
) -> tuple[Decimal, str]:
    """Points and reason of one obligation. Days late are counted as ``scoring.late_days`` says;
    on time within an approved extension scores as ``scoring.extension_counts_as`` says."""
    on_time, late = points
    deadline = f"thời hạn ngày {state.deadline_text or f'{state.deadline:%d/%m/%Y}'}"
    if state.extended:
        deadline = f"thời hạn được gia hạn đến ngày {state.deadline:%d/%m/%Y}"
    if state.state == "on_time":
        earned = late if state.extended and scoring.extension_counts_as == "late" else on_time
        return earned, f"{what} đúng hạn, ngày {state.done_on:%d/%m/%Y}; {deadline}"
    if state.state == "late":
        days = (
            f"{state.working_days_late:02d} ngày làm việc"
            if scoring.late_days == "working"
            else f"{state.days_late:02d} ngày"
        )
        return late, f"{what} ngày {state.done_on:%d/%m/%Y}, chậm {days} so với {deadline}"
    return Decimal(0), f"chưa {what}; {deadline}"


def compute_lines(session: Session, cycle: Cycle, as_of: date) -> list[Line]:
    """Every score line of the cycle at ``as_of``."""
    config = cycle.configuration
    tc, ci = config.scoring.task_completion, config.scoring.cchc_index
    units = roster(session, cycle.id)
    by_id = {u.unit_id: u.code for u in units.values()}
    recognized = {
        by_id[unit_id]: (count, applied)
        for unit_id, count, applied in session.execute(
            select(Initiative.unit_id, func.count(Initiative.id), func.count(Initiative.first_applied_on))
            .where(Initiative.cycle_id == cycle.id, Initiative.recognition_status == "recognized")
            .group_by(Initiative.unit_id)
        )
        if unit_id in by_id
    }
    reported_initiatives = {
        by_id[unit_id]
        for (unit_id,) in session.execute(
            select(ResultReport.unit_id)
            .where(ResultReport.cycle_id == cycle.id, ResultReport.submitted_on <= as_of)
            .distinct()
        )
        if unit_id in by_id
    }
    deadline = cycle.due("replication")
    # Per unit, the items answered on time: applied, and "chưa áp dụng" (scored apart).
    on_time_replicated: dict[tuple[str, bool], int] = {
        (by_id[unit_id], applied): count
        for unit_id, applied, count in session.execute(
            select(
                ReplicationReport.unit_id,
                ReplicationReport.applied,
                func.count(func.distinct(ReplicationReport.replicated_id)),
            )
            .join(ReplicatedInitiative, ReplicatedInitiative.id == ReplicationReport.replicated_id)
            .where(
                ReplicationReport.cycle_id == cycle.id,
                ReplicationReport.days_late == 0,
                ReplicationReport.submitted_on <= as_of,
            )
            .group_by(ReplicationReport.unit_id, ReplicationReport.applied)
        )
        if unit_id in by_id
    }
    catalogue_of = {
        kind: sum(kind in item.unit_kinds for item in config.replicated) for kind in ci.unit_kinds
    }
    lines: list[Line] = []
    scored = [(ob, pair) for ob in cycle_obligations(cycle) if (pair := scoring_points(ob)(tc)) is not None]
    for row in compute_compliance(session, cycle, as_of):
        code = row.unit_code
        for ob, pair in scored:
            what = ob.labels.table[:1].lower() + ob.labels.table[1:]
            points, reason = _timing(row[ob.code], pair, what, config.scoring)
            lines.append(Line(code, "task_completion", ob.code, points, pair[0], reason))
        count, applied = recognized.get(code, (0, 0))
        lines.append(
            Line(
                code,
                "task_completion",
                "recognized",
                tc.recognized if count else Decimal(0),
                tc.recognized,
                f"có {count} sáng kiến được công nhận" if count else "chưa có sáng kiến được công nhận",
            )
        )
        if row.kind not in ci.unit_kinds:  # a district's communes; a province's departments too
            continue
        if applied:
            points, reason = ci.recognized_and_applied, f"có {applied} sáng kiến được công nhận và đã áp dụng"
        elif row["propose"].state in ("on_time", "late") and code in reported_initiatives:
            points, reason = (
                ci.proposed_and_reported,
                "có đề xuất và báo cáo kết quả, chưa có sáng kiến được công nhận",
            )
        else:
            points, reason = Decimal(0), "chưa đề xuất hoặc chưa báo cáo kết quả sáng kiến"
        lines.append(Line(code, "cchc_index", "initiative", points, ci.recognized_and_applied, reason))
        catalogue = catalogue_of[row.kind]
        if not catalogue and row.kind != "commune":  # nothing to replicate for this kind
            continue
        replicated = on_time_replicated.get((code, True), 0)
        not_applied = on_time_replicated.get((code, False), 0)
        reason = f"{replicated}/{catalogue} sáng kiến nhân rộng được áp dụng và báo cáo đúng hạn"
        if not_applied:
            reason += f", {not_applied} sáng kiến báo cáo chưa áp dụng có nêu lý do"
        lines.append(
            Line(
                code,
                "cchc_index",
                "replication",
                ci.per_replicated_on_time * replicated + ci.per_not_applied * not_applied,
                ci.per_replicated_on_time * catalogue,
                f"{reason} (hạn {deadline:%d/%m/%Y})",
            )
        )
    return lines


def store_lines(session: Session, cycle: Cycle, lines: list[Line], actor: str) -> tuple[int, int]:
    """Upsert the lines; returns (created, changed). Unchanged lines are not touched."""
    units = roster(session, cycle.id)
    existing = {
        (s.unit_id, s.scorecard, s.criterion): s
        for s in session.scalars(select(ScoreLine).where(ScoreLine.cycle_id == cycle.id))
    }
    created: list[ScoreLine] = []
    changed = 0
    for line in lines:
        unit_id = units[line.unit_code].unit_id
        stored = existing.get((unit_id, line.scorecard, line.criterion))
        if stored is None:
            created.append(
                ScoreLine(
                    cycle_id=cycle.id,
                    unit_id=unit_id,
                    scorecard=line.scorecard,
                    criterion=line.criterion,
                    points=line.points,
                    max_points=line.max_points,
                    reason=line.reason,
                    source=actor,
                )
            )
        elif Decimal(stored.points) != line.points or stored.reason != line.reason:
            before = {"points": str(stored.points), "reason": stored.reason}
            stored.points, stored.max_points, stored.reason, stored.source = (
                line.points,
                line.max_points,
                line.reason,
                actor,
            )
            after = {"points": str(line.points), "reason": line.reason}
            record(session, actor, "score_line", stored.id, "change", before=before, after=after)
            changed += 1
    new_ids = insert_rows(session, created)  # some 50,000 lines at national scale: in bulk
    record_many(
        session,
        actor,
        "score_line",
        "create",
        [
            (
                line_id,
                {
                    "unit_id": s.unit_id,
                    "criterion": f"{s.scorecard}.{s.criterion}",
                    "points": str(s.points),
                    "reason": s.reason,
                },
            )
            for line_id, s in zip(new_ids, created, strict=True)
        ],
    )
    return len(created), changed
