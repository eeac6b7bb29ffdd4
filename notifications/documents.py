"""Plain renderings of the decision and the authority's report, written under the data dir.

The official .docx versions come with the documents issue; these Markdown files carry the same
content so that operators can read them from the Prefect UI and the file system today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.compliance import compute_compliance
from models.config import CycleConfig
from models.exports import OBLIGATION_LABELS, label
from models.schemas import FIELD_LABELS
from models.tables import Cycle, Initiative, InitiativeAuthor, Unit
from models.tables_outcome import Decision, ScoreLine
from notifications.rendering import render_document

STATUS_LABELS = {
    "proposed": "đang xét",
    "recognized": "được công nhận",
    "not_recognized": "chưa được công nhận",
}


def _initiatives(session: Session, cycle: Cycle, ids: list[int] | None = None) -> list[dict[str, str]]:
    query = (
        select(Initiative, Unit.name)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.cycle_id == cycle.id)
        .order_by(Unit.code, Initiative.id)
    )
    if ids is not None:
        query = query.where(Initiative.id.in_(ids))
    rows = session.execute(query).all()
    authors: dict[int, list[str]] = defaultdict(list)
    for initiative_id, name in session.execute(
        select(InitiativeAuthor.initiative_id, InitiativeAuthor.name)
        .where(InitiativeAuthor.initiative_id.in_([r[0].id for r in rows]))
        .order_by(InitiativeAuthor.position)
    ):
        authors[initiative_id].append(name)
    return [
        {
            "title": i.title,
            "authors": ", ".join(authors[i.id]),
            "unit": unit,
            "field": label(FIELD_LABELS, i.field),
            "scope": i.scope or "tại đơn vị",
            "effects": i.effects,
            "status": STATUS_LABELS.get(i.recognition_status, ""),
        }
        for i, unit in rows
    ]


def render_decision(session: Session, cycle: Cycle, decision: Decision, folder: Path) -> Path:
    """The recognition decision with its annex, as a Markdown file."""
    config = CycleConfig.model_validate(cycle.config)
    signer = config.signers["decision"]
    bases = [
        "Luật Tổ chức chính quyền địa phương",
        "Nghị định số 13/2012/NĐ-CP ngày 02/3/2012 của Chính phủ ban hành Điều lệ Sáng kiến",
        "Thông tư số 18/2013/TT-BKHCN ngày 01/8/2013 của Bộ Khoa học và Công nghệ",
        "Luật Thi đua, khen thưởng năm 2022 và Nghị định số 98/2023/NĐ-CP",
        "Biên bản họp Hội đồng sáng kiến",
    ]
    text = render_document(
        "decision_document",
        {
            "governing_body": config.authority.governing_body,
            "authority_name": config.authority.name,
            "place_name": config.authority.place_name,
            "number": decision.number,
            "issued_on": decision.issued_on,
            "year": cycle.year,
            "bases": bases,
            "signer_authority_line": signer.authority_line,
            "signer_title": decision.signer_title,
            "signer_name": decision.signer_name,
            "initiatives": _initiatives(session, cycle, list(decision.initiative_ids)),
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"quyet-dinh-cong-nhan-sang-kien-{cycle.year}.md"
    path.write_text(text, encoding="utf-8")
    return path


def render_district_report(session: Session, cycle: Cycle, as_of: date, folder: Path) -> Path:
    """The authority's consolidated report of the year, as a Markdown file."""
    config = CycleConfig.model_validate(cycle.config)
    rows = compute_compliance(session, cycle, as_of)
    counts: dict[str, dict[str, int]] = {name: defaultdict(int) for name in OBLIGATION_LABELS}
    for row in rows:
        for name in OBLIGATION_LABELS:
            counts[name][getattr(row, name).state] += 1
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line, unit in session.execute(
        select(ScoreLine, Unit.name)
        .join(Unit, Unit.id == ScoreLine.unit_id)
        .where(ScoreLine.cycle_id == cycle.id)
    ):
        totals[unit][line.scorecard] += Decimal(line.points)
    tc = config.scoring.task_completion
    scores = [
        {"unit": unit, "task": t["task_completion"], "cchc": str(t.get("cchc_index", "—")).replace(".", ",")}
        for unit, t in sorted(totals.items(), key=lambda kv: -kv[1]["task_completion"])
    ]
    text = render_document(
        "district_report",
        {
            "authority_name": config.authority.name,
            "place_name": config.authority.place_name,
            "year": cycle.year,
            "as_of": as_of,
            "units": len(rows),
            "counts": counts,
            "obligations": list(OBLIGATION_LABELS.items()),
            "initiatives": _initiatives(session, cycle),
            "scores": scores,
            "task_max": tc.proposed_on_time + tc.report_on_time + tc.recognized,
        },
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"bao-cao-sang-kien-{cycle.year}.md"
    path.write_text(text, encoding="utf-8")
    return path
