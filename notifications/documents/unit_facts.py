"""Initiatives as documents list them, and a unit's report pre-filled from what it sent (domain §4)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, ReplicatedInitiative, Unit, cycle_units
from models.errors import InvalidInput
from models.intake import (
    FIELD_LABELS,
    OBLIGATIONS,
    SOLUTION_TYPE_LABELS,
    Initiative,
    InitiativeAuthor,
    ReplicationReport,
    ResultReport,
)
from models.reporting import label
from notifications.documents.official import OfficialDocument, Signature, body_blocks, checked, table
from notifications.documents.paper import BLANK_NUMBER, Paper, authority_of, unit_issuer
from notifications.templating import so

STATUS_LABELS = {
    "proposed": "đang xét",
    "recognized": "được công nhận",
    "not_recognized": "chưa được công nhận",
}


def initiative_rows(session: Session, cycle: Cycle, ids: list[int] | None = None) -> list[dict[str, str]]:
    """The cycle's initiatives (or those of ``ids``) with authors, unit, field and scope."""
    query = (
        select(Initiative, Unit.name)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Initiative.cycle_id == cycle.id)
        .order_by(Unit.code, Initiative.id)
    )
    if ids is not None:
        query = query.where(Initiative.id.in_(ids))
    rows = session.execute(query).all()
    units = {i.id: unit for i, unit in rows}
    authors: dict[int, list[str]] = defaultdict(list)
    details: dict[int, list[str]] = defaultdict(list)
    for author in session.scalars(
        select(InitiativeAuthor)
        .where(InitiativeAuthor.initiative_id.in_([r[0].id for r in rows]))
        .order_by(InitiativeAuthor.position)
    ):
        authors[author.initiative_id].append(author.name)
        details[author.initiative_id].append(_author_detail(author, units[author.initiative_id]))
    return [
        {
            "id": str(i.id),
            "unit_id": str(i.unit_id),
            "title": i.title,
            "authors": ", ".join(authors[i.id]),
            "unit": unit,
            "solution_type": label(SOLUTION_TYPE_LABELS, i.solution_type),
            "field": label(FIELD_LABELS, i.field),
            "scope": i.scope or "tại đơn vị",
            "effects": i.effects,
            "status": STATUS_LABELS.get(i.recognition_status, ""),
            "author_details": "; ".join(details[i.id]),
            "contributors": _contributors(i),
        }
        for i, unit in rows
    ]


def _author_detail(author: InitiativeAuthor, unit: str) -> str:
    """``Nguyễn Văn A, sinh năm 1980, Chuyên viên, Thạc sĩ Luật, 60%``: the application form's facts
    (the workplace only where it is not the proposing unit)."""
    facts = [author.name]
    if author.birth_date:
        facts.append(f"sinh năm {author.birth_date.year}")
    facts += [f for f in (author.title, author.workplace if author.workplace != unit else "") if f]
    facts += [author.qualification] if author.qualification else []
    return ", ".join(facts) + f", {so(author.share)}%"


def _contributors(initiative: Initiative) -> str:
    """The investor and who took part in the first application, as the annex lists them."""
    parts = []
    if initiative.investor:
        parts.append(f"Chủ đầu tư: {initiative.investor}")
    people = [
        p["name"]
        + (
            f" ({', '.join(v for v in (p.get('title'), p.get('workplace'), p.get('part')) if v)})"
            if any(p.get(k) for k in ("title", "workplace", "part"))
            else ""
        )
        for p in initiative.participants or []
    ]
    if people:
        parts.append("Tham gia áp dụng lần đầu: " + "; ".join(people))
    return ". ".join(parts)


def _distinct(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(t for t in texts if t.strip()))


def unit_report(paper: Paper) -> OfficialDocument:
    """The report of ``paper.unit`` following the outline, pre-filled; the unit numbers it."""
    session, cycle, as_of = paper.session, paper.cycle, paper.as_of
    if not paper.unit:
        raise InvalidInput(
            "báo cáo của đơn vị cần mã đơn vị", field="unit", fix="hãy ghi {field}, ví dụ VL-NV"
        )
    unit_code = paper.unit
    units = cycle_units(session, cycle.id)
    unit = units.get(unit_code)
    if unit is None:
        raise InvalidInput(
            f"không có đơn vị mã {unit_code!r} trong chu kỳ {cycle.year}",
            field="unit",
            fix="hãy kiểm tra {field}",
        )
    config = cycle.configuration
    authority = authority_of(config)
    reports = session.scalars(
        select(ResultReport).where(ResultReport.cycle_id == cycle.id, ResultReport.unit_id == unit.id)
    ).all()
    own = [r for r in initiative_rows(session, cycle) if r["unit_id"] == str(unit.id)]
    replication = session.execute(
        select(ReplicatedInitiative.code, ReplicatedInitiative.title, ReplicationReport)
        .join(ReplicationReport, ReplicationReport.replicated_id == ReplicatedInitiative.id)
        .where(ReplicationReport.cycle_id == cycle.id, ReplicationReport.unit_id == unit.id)
        .order_by(ReplicatedInitiative.code)
    ).all()
    tables = {
        "initiatives": table(
            ["TT", "Tên sáng kiến", "Tác giả", "Loại giải pháp", "Lĩnh vực", "Hiệu quả"],
            [
                [n, r["title"], r["authors"], r["solution_type"], r["field"], r["effects"]]
                for n, r in enumerate(own, start=1)
            ],
            [1, 6, 4, 3, 3, 6],
            "sáng kiến",
        ),
        "replication": table(
            ["Mã", "Sáng kiến nhân rộng", "Ngày áp dụng", "Số hồ sơ", "Kết quả", "Khó khăn"],
            [
                [
                    code,
                    title,
                    r.started_on.strftime("%d/%m/%Y") if r.started_on else "",
                    r.dossiers,
                    r.results if r.applied else f"Chưa áp dụng. Lý do: {r.not_applied_reason}",
                    r.problems,
                ]
                for code, title, r in replication
            ],
            [1.5, 6, 2.5, 2, 5, 4],
            "báo cáo nhân rộng",
        ),
    }
    context = {
        "short": authority.short,
        "one_stop_shop": authority.one_stop_shop,
        "year": cycle.year,
        "unit_name": unit.name,
        # one report row per initiative often repeats the unit's organisation text: say it once
        "organisation": _distinct(r.organisation for r in reports),
        "results": _distinct(r.results for r in reports),
        "assessment": _distinct(r.assessment for r in reports),
        "proposals": _distinct(r.proposals for r in reports),
        "initiatives": bool(own),
        "replicates": OBLIGATIONS["replication"].owed(unit.kind, config),
    }
    issuer = unit_issuer(unit.code, checked("unit.name", unit.name), unit.kind, unit.head_title, config)
    # The unit numbers and dates its report from its own register: both are left blank.
    return OfficialDocument(
        slug=f"bao-cao-{unit.code}-{cycle.year}",
        governing_body=issuer.governing_body,
        issuer=issuer.issuer,
        number=f"{BLANK_NUMBER}/{issuer.suffix}",
        place=issuer.place,
        issued_on=as_of,
        dated=False,
        doc_type="BÁO CÁO",
        subject=f"Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(),
        blocks=body_blocks("unit_report", context),
        signature=Signature(
            issuer.authority_lines, issuer.title, checked("unit.head_name", unit.head_name or "")
        ),
        recipients=(f"{authority.short} (qua {authority.home_affairs});", "Lưu: VT."),
        tables=tables,
    )
