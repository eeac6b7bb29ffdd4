"""The authority's letters and a unit's report, as official documents.

The escalation letter (công văn đôn đốc) goes to the units that, at the day it is issued, have
not done an obligation the configuration escalates (from ``models.compliance``); its number is
taken once per issue date. A unit's report follows the outline of domain §4, pre-filled from what
the unit sent; the unit numbers and signs it itself.
"""

from __future__ import annotations

from collections.abc import Collection

from models.cycle import CycleDeadlines
from models.errors import InvalidInput
from models.intake import OBLIGATIONS
from models.tracking import UnitCompliance, compute_compliance, escalation_deadline
from notifications.documents.official import OfficialDocument, body_blocks, checked, table
from notifications.documents.paper import Authority, Paper, authority_of
from notifications.templating import ngay

ESCALATION_SUBJECT = "báo cáo kết quả áp dụng sáng kiến trong công tác CCHC năm {year}"
# Above ``escalation.annex_above`` addressees the letter names them in an annex.
ANNEXED = "Các cơ quan, đơn vị có tên tại danh sách kèm theo"


def escalation_letter(
    paper: Paper, only: Collection[str] | None = None, compliance: list[UnitCompliance] | None = None
) -> OfficialDocument:
    """The letter of ``paper.as_of`` to every unit not done with an escalated obligation (of those
    with codes in ``only``, when given: the units the day's sweep escalates); ``compliance`` is
    the day's, when the caller has it already."""
    session, cycle, as_of, config = paper.session, paper.cycle, paper.as_of, paper.config
    authority = authority_of(config)
    obligations = config.escalation.obligations
    rows = compliance if compliance is not None else compute_compliance(session, cycle, as_of)
    missing = [row for row in rows if _overdue(row, obligations) and (only is None or row.unit_code in only)]
    if not missing:
        raise InvalidInput(
            f"ngày {ngay(as_of)} không có cơ quan, đơn vị nào quá hạn {', '.join(obligations)}; "
            "không cần công văn đôn đốc"
        )
    key = f"escalation-{as_of.isoformat()}"
    numbered = paper.number(key, as_of)
    new_deadline = escalation_deadline(config, as_of)
    proposed = CycleDeadlines(cycle, {}).cycle_deadlines["propose"]
    context = {
        "bases": "; ".join(config.legal_bases),
        "short": authority.short,
        "area": authority.area,
        "home_affairs": authority.home_affairs,
        "commune_kinds": authority.commune_kinds,
        "one_stop_shop": authority.one_stop_shop,
        "replicators": _kinds_words(authority, {k for item in config.replicated for k in item.unit_kinds}),
        "cchc_units": _kinds_words(authority, set(config.scoring.cchc_index.unit_kinds), each=True),
        "year": cycle.year,
        "propose_deadline": cycle.due("propose"),
        "propose_moved": proposed.note,
        "as_of": as_of,
        "missing": len(missing),
        "communes": any(row.kind == "commune" for row in missing),
        "new_deadline": new_deadline,
        "replicated": len(config.replicated),
        "replication_deadline": (
            cycle.due("replication") if cycle.due("replication") >= as_of else new_deadline
        ),
    }
    addressed = missing
    if config.escalation.addressees == "bound":  # the seed's practice: every unit bound by them
        addressed = [row for row in rows if any(_bound(row, name) for name in obligations)]
    names = tuple(checked("unit.name", row.unit_name) for row in addressed)
    listed = len(names) > config.escalation.annex_above
    context["annex"] = listed
    # A letter the records clerk numbers leaves "…" where the number and day will go.
    context["number"] = numbered.number if paper.registered else f"…{numbered.number}"
    context["dated"] = paper.registered
    tables = {}
    if listed:
        tables["addressees"] = table(
            ["TT", "Tên cơ quan, đơn vị", "Ghi chú"],
            [
                [n, name, _still_to_do(row, obligations)]
                for n, (name, row) in enumerate(zip(names, addressed, strict=True), start=1)
            ],
            [1, 9, 5],
            "danh sách kèm theo",
        )
    return OfficialDocument(
        slug=f"cong-van-don-doc-{as_of.isoformat()}",
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        dated=paper.registered,
        doc_type="",
        subject=ESCALATION_SUBJECT.format(year=cycle.year),
        addressees=(ANNEXED,) if listed else names,
        blocks=body_blocks("escalation_letter", context),
        signature=paper.signature(),
        recipients=("Như trên;", f"CT, các PCT {authority.short};", f"Lưu: VT, {authority.drafter}."),
        tables=tables,
    )


def _kinds_words(authority: Authority, kinds: Collection[str], *, each: bool = False) -> str:
    """Unit kinds as the letter names them: "Văn phòng HĐND và UBND; UBND các xã, thị trấn", or
    with ``each`` "các xã, thị trấn" (whose CCHC index is scored)."""
    words = {
        "office": authority.committee_office,
        "agency": "các cơ quan chuyên môn",
        "public_service_unit": "các đơn vị sự nghiệp",
        "commune": f"{'' if each else 'UBND '}các {authority.commune_kinds}",
    }
    named = [words[kind] for kind in ("office", "agency", "public_service_unit", "commune") if kind in kinds]
    if not each:
        named = [w[:1].upper() + w[1:] for w in named]
    return ("; " if not each else " và ").join(named) or "các cơ quan, đơn vị"


def _bound(row: UnitCompliance, obligation: str) -> bool:
    return obligation in row.obligations and row[obligation].state != "not_required"


def _overdue(row: UnitCompliance, obligations: Collection[str]) -> bool:
    return any(_bound(row, name) and row[name].state == "overdue" for name in obligations)


def _still_to_do(row: UnitCompliance, obligations: Collection[str]) -> str:
    """The annex's note: what the unit has not done yet ("Chưa đề xuất sáng kiến")."""
    late = [
        OBLIGATIONS[name].labels.notice
        for name in obligations
        if _bound(row, name) and row[name].state == "overdue"
    ]
    return f"Chưa {', '.join(late)}" if late else ""
