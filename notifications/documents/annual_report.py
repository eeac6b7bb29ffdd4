"""The authority's consolidated report of the year: compliance by unit kind, initiatives and
their effects, replication, scores, the recognized list, charts, and marked places for the drafter.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleDeadlines, ReplicatedInitiative, Unit
from models.intake import ReplicationReport
from models.reporting import KIND_SHORT, ScoreLine, deadline_lines
from models.review import existing_decision
from models.tracking import compute_compliance, cycle_obligations
from notifications.documents.charts import compliance_chart, score_chart
from notifications.documents.official import OfficialDocument, body_blocks, table
from notifications.documents.paper import Paper, authority_of
from notifications.documents.unit_facts import initiative_rows
from notifications.templating import ngay


def _compliance(session: Session, cycle: Cycle, as_of: date) -> tuple[list[list[object]], bytes, int]:
    rows = compute_compliance(session, cycle, as_of)
    obligations = cycle_obligations(cycle)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    done: dict[str, list[date]] = {ob.labels.table: [] for ob in obligations}
    for row in rows:
        for ob in obligations:
            state = row[ob.code]
            counts[(row.kind, ob.code)][state.state] += 1
            if state.done_on is not None:
                done[ob.labels.table].append(state.done_on)
    lines: list[list[object]] = []
    # The Office by its own name: Văn phòng HĐND và UBND, Văn phòng UBND tỉnh.
    labels = KIND_SHORT | {"office": cycle.configuration.authority.committee_office}
    for kind, kind_label in labels.items():
        for ob in obligations:
            c = counts.get((kind, ob.code))
            if c and set(c) != {"not_required"}:
                lines.append(
                    [kind_label, ob.labels.table, c["on_time"], c["late"], c["overdue"], c["pending"]]
                )
    effective = CycleDeadlines(cycle, {}).cycle_deadlines
    deadlines = {code: d.effective for code, d in effective.items()}
    return lines, compliance_chart(done, deadlines, len(rows)), len(rows)


def _scores(session: Session, cycle: Cycle) -> list[tuple[str, Decimal, Decimal | None]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for scorecard, unit, points in session.execute(
        select(ScoreLine.scorecard, Unit.name, func.sum(ScoreLine.points))
        .join(Unit, Unit.id == ScoreLine.unit_id)
        .where(ScoreLine.cycle_id == cycle.id)
        .group_by(ScoreLine.scorecard, Unit.name)
    ):
        totals[unit][scorecard] = Decimal(points)
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1]["task_completion"], kv[0]))
    return [(unit, t["task_completion"], t.get("cchc_index")) for unit, t in ordered]


def annual_report(paper: Paper) -> OfficialDocument:
    """The report of ``paper.as_of`` (its number taken once for the year)."""
    session, cycle, as_of, config = paper.session, paper.cycle, paper.as_of, paper.config
    authority = authority_of(config)
    numbered = paper.number("annual-report", as_of)
    compliance, chart, units = _compliance(session, cycle, numbered.issued_on)
    initiatives = initiative_rows(session, cycle)
    replication = session.execute(
        select(
            ReplicatedInitiative.code,
            ReplicatedInitiative.title,
            func.count(),
            func.sum(ReplicationReport.dossiers),
        )
        .join(ReplicationReport, ReplicationReport.replicated_id == ReplicatedInitiative.id)
        .where(ReplicatedInitiative.cycle_id == cycle.id)
        .group_by(ReplicatedInitiative.code, ReplicatedInitiative.title)
        .order_by(ReplicatedInitiative.code)
    ).all()
    scores = _scores(session, cycle)
    tc = config.scoring.task_completion
    task_max = tc.proposed_on_time + tc.report_on_time + tc.recognized
    decision = existing_decision(session, cycle)
    recognized = [r for r in initiatives if r["status"] == "được công nhận"]
    tables = {
        "compliance": table(
            ["Loại đơn vị", "Nội dung", "Đúng hạn", "Trễ hạn", "Quá hạn", "Chưa đến hạn"],
            compliance,
            [4, 4, 2, 2, 2, 2.5],
            "tình trạng",
        ),
        "initiatives": table(
            ["TT", "Tên sáng kiến", "Đơn vị", "Hiệu quả", "Kết quả xét"],
            [
                [n, r["title"], r["unit"], r["effects"], r["status"]]
                for n, r in enumerate(initiatives, start=1)
            ],
            [1, 6, 4, 7, 3],
            "sáng kiến",
        ),
        "replication": table(
            ["Mã", "Sáng kiến nhân rộng", "Số đơn vị báo cáo", "Số hồ sơ"],
            [[code, title, count, dossiers or 0] for code, title, count, dossiers in replication],
            [1.5, 9, 3, 3],
            "sáng kiến nhân rộng",
        ),
        "scores": table(
            ["TT", "Đơn vị", f"Điểm hoàn thành nhiệm vụ (tối đa {task_max.normalize()})", "Chỉ số CCHC"],
            [
                [n, unit, task, cchc if cchc is not None else "—"]
                for n, (unit, task, cchc) in enumerate(scores, start=1)
            ],
            [1, 8, 4, 3],
            "điểm",
        ),
        "recognized": table(
            ["TT", "Tên sáng kiến", "Tác giả", "Đơn vị"],
            [[n, r["title"], r["authors"], r["unit"]] for n, r in enumerate(recognized, start=1)],
            [1, 7, 4, 4],
            "sáng kiến",
        ),
    }
    images = {"compliance_chart": chart}
    if scores:
        images["score_chart"] = score_chart([(u, t) for u, t, _ in scores], task_max)
    context = {
        "bases": "; ".join(config.legal_bases[:1]) or f"kế hoạch cải cách hành chính năm {cycle.year}",
        "short": authority.short,
        "year": cycle.year,
        "units": units,
        "as_of": numbered.issued_on,
        "initiatives": len(initiatives),
        "recognized": bool(decision and recognized),
        "decision_line": (
            f"Ngày {ngay(decision.issued_on)}, {authority.short} ban hành Quyết định số {decision.number} "
            f"công nhận {len(recognized):02d} sáng kiến:"
            if decision
            else ""
        ),
        "home_affairs": authority.home_affairs,
        "one_stop_shop": authority.one_stop_shop,
        "deadlines": "; ".join(deadline_lines(cycle)),
    }
    blocks = body_blocks("annual_report", context)
    if not scores:
        blocks = tuple(b for b in blocks if b.name != "score_chart")
    return OfficialDocument(
        slug=f"bao-cao-sang-kien-{cycle.year}",
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        dated=paper.registered,
        doc_type="BÁO CÁO",
        subject=f"Kết quả xây dựng, áp dụng sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(),
        blocks=blocks,
        signature=paper.signature(),
        recipients=("Các cơ quan, đơn vị;", f"Lưu: VT, {authority.drafter}."),
        tables=tables,
        images=images,
    )
