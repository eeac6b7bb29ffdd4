"""The council's minutes with the tally per initiative, and the recognition decision with its annex.

The minutes take the council's number (``BB-HĐSK``) once; the decision carries the number and
date the chair gave it when approving (``models.recognition``).
"""

from __future__ import annotations

from sqlalchemy import select

from models.cycle import CouncilMember, cycle_units
from models.errors import InvalidInput
from models.review import OUTCOME_LABELS, existing_decision, tally, voting_rule
from notifications.documents.official import OfficialDocument, Signature, body_blocks, checked, table
from notifications.documents.paper import Paper, authority_of
from notifications.documents.proposal import decision_citations
from notifications.documents.unit_facts import initiative_rows


def council_minutes(paper: Paper) -> OfficialDocument:
    """The minutes of the council's meeting on ``paper.as_of``: members and the tally."""
    session, cycle, held_on, config = paper.session, paper.cycle, paper.as_of, paper.config
    authority = authority_of(config)
    results = tally(session, cycle)
    if not results:
        raise InvalidInput(f"chu kỳ {cycle.year} chưa có sáng kiến nào để Hội đồng xét")
    members = session.scalars(
        select(CouncilMember).where(CouncilMember.cycle_id == cycle.id).order_by(CouncilMember.id)
    ).all()
    chair = next((m for m in members if m.role.lower().startswith("chủ tịch")), None)
    secretary = next((m for m in members if m.role.lower().startswith("thư ký")), None)
    if chair is None or secretary is None:
        raise InvalidInput(
            "review.council: biên bản do Thư ký và Chủ tịch Hội đồng ký; "
            "cần một thành viên có vai trò 'Chủ tịch Hội đồng' và một thành viên có vai trò 'Thư ký'"
        )
    names = {code: unit.name for code, unit in cycle_units(session, cycle.id).items()}
    numbered = paper.number("minutes", held_on)
    outcomes = [t.outcome for t in results]
    context = {
        "held_on": numbered.issued_on,
        "short": authority.short,
        "year": cycle.year,
        "home_affairs": authority.home_affairs,
        "count": len(results),
        "criteria": ", ".join(c.label.lower() for c in config.review.criteria),
        "max_total": sum(c.max_points for c in config.review.criteria),
        "rule": voting_rule(config.review).wording(),
        "recognized": outcomes.count("recognized"),
        "not_recognized": outcomes.count("not_recognized"),
        "pending": outcomes.count("pending"),
        "waiting": outcomes.count("waiting"),
        "ineligible": [
            {"title": t.title, "unit": names.get(t.unit_code, t.unit_code), "reasons": t.reasons}
            for t in results
            if t.outcome == "ineligible"
        ],
    }
    tables = {
        "members": table(
            ["TT", "Họ và tên", "Chức danh trong Hội đồng"],
            [[n, m.name, m.role] for n, m in enumerate(members, start=1)],
            [1, 6, 6],
            "review.council",
        ),
        "tally": table(
            ["TT", "Tên sáng kiến", "Đơn vị", "Số phiếu", "Đồng ý", "Điểm TB", "Kết quả"],
            [
                [
                    n,
                    t.title,
                    names.get(t.unit_code, t.unit_code),
                    f"{t.sheets}/{t.eligible}",
                    t.approvals,
                    t.mean_total,
                    OUTCOME_LABELS[t.outcome],
                ]
                for n, t in enumerate(results, start=1)
            ],
            [1, 8, 2.5, 2, 2, 2, 3],
            "sáng kiến",
        ),
    }
    return OfficialDocument(
        slug=f"bien-ban-hop-hoi-dong-{cycle.year}",
        governing_body=authority.short.upper(),
        issuer="Hội đồng sáng kiến",
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        doc_type="BIÊN BẢN",
        subject=f"Họp xét công nhận sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(),
        blocks=body_blocks("council_minutes", context),
        signature=Signature((), "CHỦ TỊCH HỘI ĐỒNG", checked("review.council.name", chair.name)),
        cosigner=Signature((), "THƯ KÝ", checked("review.council.name", secretary.name)),
        recipients=(f"{authority.short} (b/c);", "Thành viên Hội đồng;", f"Lưu: VT, {authority.drafter}."),
        tables=tables,
    )


def recognition_decision(paper: Paper) -> OfficialDocument:
    """The decision recorded for the cycle, with its annex (title, authors, unit, field, scope)."""
    session, cycle = paper.session, paper.cycle
    decision = existing_decision(session, cycle)
    if decision is None:
        raise InvalidInput(
            f"chu kỳ {cycle.year} chưa có quyết định công nhận; hãy chạy luồng recognize-initiatives"
        )
    config = cycle.configuration
    authority = authority_of(config)
    rows = initiative_rows(session, cycle, list(decision.initiative_ids))
    citations, proposed_by = decision_citations(paper)
    context = {
        "issuer": authority.name,
        "bases": tuple(checked("decision_bases", basis) for basis in config.decision_bases),
        "citations": citations,
        "proposed_by": proposed_by,
        "home_affairs_head": authority.home_affairs_head,
        "committee_office": authority.committee_office,
        "count": len(rows),
        "year": cycle.year,
        "number": decision.number,
        "issued_on": decision.issued_on,
    }
    annex = table(
        [
            "TT",
            "Tên sáng kiến",
            "Tác giả, tỷ lệ đóng góp",
            "Đơn vị",
            "Lĩnh vực",
            "Phạm vi áp dụng",
            "Chủ đầu tư, người tham gia áp dụng lần đầu",
        ],
        [
            [n, r["title"], r["author_details"], r["unit"], r["field"], r["scope"], r["contributors"]]
            for n, r in enumerate(rows, start=1)
        ],
        [1, 5, 6, 3, 2.5, 3, 3.5],
        "sáng kiến",
    )
    return OfficialDocument(
        slug=f"quyet-dinh-cong-nhan-sang-kien-{cycle.year}",
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=checked("decision.number", decision.number),
        place=authority.place,
        issued_on=decision.issued_on,
        doc_type="QUYẾT ĐỊNH",
        subject=f"Về việc công nhận sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(),
        blocks=body_blocks("recognition_decision", context),
        signature=paper.signature(decision.signer_title, decision.signer_name),
        recipients=("Như Điều 3;", f"Lưu: VT, {authority.drafter}."),
        tables={"annex": annex},
    )
