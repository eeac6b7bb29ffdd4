"""The Tờ trình đề nghị công nhận sáng kiến: the home-affairs office proposes to the chair, from
the council's tally and minutes, which initiatives to recognize; and the citations that the
recognition decision makes of the council's establishment, its minutes and this Tờ trình.

The Tờ trình takes its number from its own series (``numbering.proposal_suffix``, "TTr-NV") once,
under the key ``proposal``; in "blank" mode the records clerk numbers it at signing, and the
decision cites it with room for the number.
"""

from __future__ import annotations

from sqlalchemy import select

from models.cycle import DocumentNumber, cycle_units
from models.errors import InvalidInput
from models.review import tally, voting_rule
from notifications.documents.official import OfficialDocument, Signature, body_blocks, checked, table
from notifications.documents.paper import Authority, Paper, authority_of
from notifications.templating import ngay, so

PROPOSAL_KEY = "proposal"
MINUTES_KEY = "minutes"


def home_affairs_head(authority: Authority) -> str:
    """The title of the head of the home-affairs office, as the cycle's level gives it
    (``models.cycle.home_affairs_head``): "Trưởng phòng Nội vụ", "Giám đốc Sở Nội vụ"."""
    return (
        authority.home_affairs_head
        or f"Trưởng {authority.home_affairs[:1].lower()}{authority.home_affairs[1:]}"
    )


def numbered_as(paper: Paper, key: str, suffix: str) -> str:
    """ "số 03/TTr-NV ngày 12/12/2024" for a document numbered in the register; with room for the
    clerk's number and date ("số …/TTr-NV ngày … tháng … năm 2024") when it was not."""
    found = paper.session.scalar(
        select(DocumentNumber).where(
            DocumentNumber.cycle_id == paper.cycle.id, DocumentNumber.document_key == key
        )
    )
    if found is None:
        return f"số …/{suffix} ngày … tháng … năm {paper.cycle.year}"
    return f"số {found.sequence:02d}/{found.issuer} ngày {ngay(found.issued_on)}"


def decision_citations(paper: Paper) -> tuple[list[str], str]:
    """After the legal bases: the council's establishment and its minutes ("Căn cứ …"), and the
    proposal line ("Theo đề nghị của Trưởng phòng Nội vụ tại Tờ trình số … ngày …")."""
    config, authority = paper.config, paper.authority
    bases = []
    founded = config.review.council_decision
    if founded is not None:
        bases.append(
            f"Quyết định số {checked('review.council_decision.number', founded.number)} ngày "
            f"{ngay(founded.issued_on)} của {checked('review.council_decision.signer', founded.signer)} "
            f"về việc thành lập Hội đồng sáng kiến năm {paper.cycle.year}"
        )
    bases.append(
        "Biên bản họp Hội đồng sáng kiến " + numbered_as(paper, MINUTES_KEY, config.numbering.minutes_suffix)
    )
    proposal = numbered_as(paper, PROPOSAL_KEY, config.numbering.proposal_suffix)
    return bases, f"Theo đề nghị của {home_affairs_head(authority)} tại Tờ trình {proposal}."


def _signer_name(paper: Paper, authority: Authority) -> str:
    """The head of the home-affairs office, from the roster (the unit of that name)."""
    units = cycle_units(paper.session, paper.cycle.id)
    head = next((u.head_name for u in units.values() if u.name == authority.home_affairs), None)
    return checked("unit.head_name", head or "")


def _signer_title(authority: Authority) -> str:
    """ "TRƯỞNG PHÒNG": the head's title without the office's name, as the signature prints it."""
    words = authority.home_affairs.split(" ", 1)
    title = home_affairs_head(authority)
    if len(words) == 2 and title.endswith(words[1]):
        title = title[: -len(words[1])].strip()
        if title.endswith(" Sở"):  # "Giám đốc Sở" signs "GIÁM ĐỐC"; "Trưởng phòng" keeps its word
            title = title[: -len(" Sở")]
    return title.strip().upper()


def recognition_proposal(paper: Paper) -> OfficialDocument:
    """The Tờ trình of ``paper.as_of``: the council's recommendation put to the chair."""
    session, cycle, config = paper.session, paper.cycle, paper.config
    authority = authority_of(config)
    results = tally(session, cycle)
    recommended = [t for t in results if t.outcome == "recognized"]
    if not recommended and not any(t.outcome == "not_recognized" for t in results):
        raise InvalidInput(
            f"chu kỳ {cycle.year}: Hội đồng chưa xét xong sáng kiến nào; chưa lập được tờ trình"
        )
    names = {code: unit.name for code, unit in cycle_units(session, cycle.id).items()}
    numbered = paper.number(PROPOSAL_KEY, paper.as_of)
    bases, _ = decision_citations(paper)
    context = {
        "short": authority.short,
        "home_affairs": authority.home_affairs,
        "year": cycle.year,
        "bases": bases,
        "count": len(results),
        "decided": sum(1 for t in results if t.outcome in ("recognized", "not_recognized")),
        "recognized": len(recommended),
        "rule": voting_rule(config.review).wording(),
    }
    rows = [
        [n, t.title, names.get(t.unit_code, t.unit_code), so(t.mean_total), f"{t.approvals}/{t.eligible}"]
        for n, t in enumerate(recommended, start=1)
    ]
    return OfficialDocument(
        slug=f"to-trinh-cong-nhan-sang-kien-{cycle.year}",
        governing_body=authority.short.upper(),
        issuer=authority.home_affairs,
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        doc_type="TỜ TRÌNH",
        subject=f"Về việc đề nghị công nhận sáng kiến cải cách hành chính năm {cycle.year}",
        addressees=(f"Chủ tịch {authority.short}",),
        blocks=body_blocks("recognition_proposal", context),
        signature=Signature((), _signer_title(authority), _signer_name(paper, authority)),
        recipients=("Như trên;", f"Lưu: VT, {authority.drafter}."),
        tables={
            "recommended": table(
                ["TT", "Tên sáng kiến", "Đơn vị", "Điểm TB", "Đồng ý"], rows, [1, 8, 4, 2, 2], "sáng kiến"
            )
        },
        dated=paper.registered,
    )
