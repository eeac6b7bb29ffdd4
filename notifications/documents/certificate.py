"""The Giấy chứng nhận sáng kiến: one per author of each initiative the decision recognizes.

Decree 13/2012/NĐ-CP, art. 6(1): the body that recognizes an initiative issues its authors a
certificate (giấy chứng nhận sáng kiến). No national form exists; this one follows the usual
layout of a People's Committee's certificate on the Decree 30 header: whom it certifies (the
application form's facts of the author), the initiative and its share, the decision that
recognized it, and the decision's signer. It fits one A4 page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import InvalidInput
from models.intake import FIELD_LABELS, Initiative, InitiativeAuthor
from models.reporting import label
from models.review import Decision, existing_decision
from notifications.documents.official import OfficialDocument, body_blocks, checked
from notifications.documents.paper import BLANK_NUMBER, Paper, authority_of
from notifications.templating import so


@dataclass(frozen=True, slots=True)
class Holder:
    """An author who gets a certificate: the author row's id, name and e-mail, the unit's id."""

    author_id: int
    name: str
    email: str | None
    unit_id: int


def recognized_authors(session: Session, decision: Decision) -> list[Holder]:
    """Every author of the decision's initiatives, in the annex's order (one query)."""
    rows = session.execute(
        select(InitiativeAuthor.id, InitiativeAuthor.name, InitiativeAuthor.email, Initiative.unit_id)
        .join(Initiative, Initiative.id == InitiativeAuthor.initiative_id)
        .where(Initiative.id.in_(list(decision.initiative_ids)))
        .order_by(Initiative.id, InitiativeAuthor.position)
    )
    return [Holder(r.id, r.name, r.email, r.unit_id) for r in rows]


def _facts(author: InitiativeAuthor) -> list[str]:
    """The application form's facts of the author that were given, two to a line."""
    first = [f"Ngày sinh: {author.birth_date:%d/%m/%Y}"] if author.birth_date else []
    first.append(f"{'chức danh' if first else 'Chức danh'}: {author.title}")
    second = [f"Nơi công tác: {author.workplace}"] if author.workplace else []
    if author.qualification:
        second.append(f"{'trình độ' if second else 'Trình độ'} chuyên môn: {author.qualification}")
    return ["; ".join(first), *(["; ".join(second)] if second else [])]


def _application(initiative: Initiative) -> str:
    """Field and first application (the scope, up to 10,000 characters, is the decision's
    annex's: here it could push the certificate past its one page)."""
    applied = initiative.first_applied_on
    return f"thuộc lĩnh vực {label(FIELD_LABELS, initiative.field)}" + (
        f", áp dụng lần đầu ngày {applied:%d/%m/%Y}," if applied else ","
    )


def decision_of(paper: Paper) -> Decision:
    """The cycle's recognition decision, which every certificate names."""
    decision = existing_decision(paper.session, paper.cycle)
    if decision is None:
        raise InvalidInput(
            f"chu kỳ {paper.cycle.year} chưa có quyết định công nhận; giấy chứng nhận cấp theo quyết định"
        )
    return decision


def author_fields(author: InitiativeAuthor, initiative: Initiative, sole: bool) -> dict[str, Any]:
    """What differs from one certificate of a decision to the next: the author and the initiative."""
    return {
        "name": author.name,
        "facts": _facts(author),
        "role": "tác giả" if sole else "đồng tác giả",
        "share": so(author.share),
        "initiative": initiative.title,
        "application": _application(initiative),
    }


def certificate_document(
    paper: Paper, decision: Decision, fields: Mapping[str, Any], slug: str
) -> OfficialDocument:
    """The certificate of ``decision`` with an author's ``fields`` (``author_fields``)."""
    cycle = paper.cycle
    authority = authority_of(cycle.configuration)
    # Not taken from the system's register even in "register" mode: the records clerk numbers
    # each certificate when it is signed and stamped, and a province's hundreds of authors would
    # otherwise take as many numbers every time the decision is drawn again.
    number = f"{BLANK_NUMBER}/{paper.config.numbering.certificate_suffix}"
    context = {
        "issuer": authority.name,
        **fields,
        "decision_number": decision.number,
        "decision_date": decision.issued_on,
        "year": cycle.year,
    }
    return OfficialDocument(
        slug=slug,
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=number,
        place=authority.place,
        issued_on=decision.issued_on,
        dated=True,  # the decision's day: certificates are issued with it
        doc_type="GIẤY CHỨNG NHẬN SÁNG KIẾN",
        subject=f"Sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(),
        blocks=body_blocks("certificate", context),
        signature=paper.signature(decision.signer_title, checked("decision.signer", decision.signer_name)),
        recipients=(),
        body_size=13,
    )


def certificates_prefix(year: int) -> str:
    """What every certificate file name of ``year`` starts with."""
    return f"giay-chung-nhan-sang-kien-{year}-"


def certificate_slug(year: int, author_id: int) -> str:
    """The certificate's file name, without its extension."""
    return f"{certificates_prefix(year)}{author_id}"


def certificate_of(paper: Paper, author_id: int) -> OfficialDocument:
    """The certificate of the author ``author_id`` of a recognized initiative."""
    session, cycle = paper.session, paper.cycle
    decision = decision_of(paper)
    author = session.get(InitiativeAuthor, author_id)
    initiative = session.get(Initiative, author.initiative_id) if author else None
    if author is None or initiative is None or initiative.id not in decision.initiative_ids:
        raise InvalidInput(f"tác giả {author_id} không thuộc sáng kiến được công nhận năm {cycle.year}")
    fields = author_fields(author, initiative, sole=len(initiative.authors) == 1)
    return certificate_document(paper, decision, fields, certificate_slug(cycle.year, author_id))


def certificate(paper: Paper) -> OfficialDocument:
    """The certificate of the first author of the decision (``documents render`` shows the form;
    the decision's step writes every author's with ``certificate_of``)."""
    holders = recognized_authors(paper.session, decision_of(paper))
    if not holders:
        raise InvalidInput(f"quyết định năm {paper.cycle.year} không công nhận sáng kiến nào")
    return certificate_of(paper, holders[0].author_id)
