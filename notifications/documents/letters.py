"""The authority's letters and a unit's report, as official documents.

The escalation letter (công văn đôn đốc) goes to the units that, at the day it is issued, have
not done an obligation the configuration escalates (from ``models.compliance``); its number is
taken once per issue date. A unit's report follows the outline of domain §4, pre-filled from what
the unit sent; the unit numbers and signs it itself.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle.config import CycleConfig, Signer
from models.cycle.deadlines import CycleDeadlines
from models.cycle.numbering import document_number
from models.cycle.tables import Cycle
from models.errors import InvalidInput
from models.tracking.compliance import UnitCompliance, compute_compliance
from models.tracking.sweep import escalation_deadline
from notifications.documents.official import OfficialDocument, Signature, body_blocks, checked
from notifications.notices.rendering import ngay

ESCALATION_SUBJECT = "báo cáo kết quả áp dụng sáng kiến trong công tác CCHC năm {year}"


@dataclass(frozen=True, slots=True)
class Authority:
    """How the authority names itself in a document."""

    governing_body: str
    issuer: str  # ỦY BAN NHÂN DÂN HUYỆN VĨNH LINH
    short: str  # UBND huyện Vĩnh Linh
    area: str  # huyện Vĩnh Linh
    place: str
    home_affairs: str
    drafter: str  # NV, the drafting office's initials in "Lưu: VT, NV."


def authority_of(config: CycleConfig) -> Authority:
    """The authority's names, from the configuration."""
    name = checked("authority.name", config.authority.name)
    prefix = "Ủy ban nhân dân "
    area = name[len(prefix) :] if name.lower().startswith(prefix.lower()) else name
    return Authority(
        governing_body=checked("authority.governing_body", config.authority.governing_body),
        issuer=name,
        short=f"UBND {area}" if area != name else name,
        area=area,
        place=checked("authority.place_name", config.authority.place_name),
        home_affairs=checked("authority.home_affairs", config.authority.home_affairs),
        drafter=config.numbering.letter_suffix.rpartition("-")[2],
    )


def signature_of(signer: Signer, title: str | None = None, name: str | None = None) -> Signature:
    """A signer from the configuration (title and name may be the chair's own)."""
    lines = tuple(line.strip() for line in signer.authority_line.split("\n") if line.strip())
    return Signature(lines, checked("signers.title", title or signer.title).upper(), name or signer.name)


def escalation_letter(
    session: Session,
    cycle: Cycle,
    as_of: date,
    only: Collection[str] | None = None,
    compliance: list[UnitCompliance] | None = None,
) -> OfficialDocument:
    """The letter of ``as_of`` to every unit not done with an escalated obligation (of those with
    codes in ``only``, when given: the units the day's sweep escalates); ``compliance`` is the
    day's, when the caller has it already."""
    config = cycle.configuration
    authority = authority_of(config)
    obligations = config.escalation.obligations
    rows = compliance if compliance is not None else compute_compliance(session, cycle, as_of)
    missing = [
        row
        for row in rows
        if any(row[name].state == "overdue" for name in obligations if name in row.obligations)
        and (only is None or row.unit_code in only)
    ]
    if not missing:
        raise InvalidInput(
            f"ngày {ngay(as_of)} không có cơ quan, đơn vị nào quá hạn {', '.join(obligations)}; "
            "không cần công văn đôn đốc"
        )
    key = f"escalation-{as_of.isoformat()}"
    numbered = document_number(session, cycle, key, config.numbering.letter_suffix, as_of)
    new_deadline = escalation_deadline(config, as_of)
    proposed = CycleDeadlines(cycle, {}).cycle_deadlines["propose"]
    context = {
        "bases": "; ".join(config.legal_bases),
        "short": authority.short,
        "area": authority.area,
        "home_affairs": authority.home_affairs,
        "year": cycle.year,
        "propose_deadline": cycle.due("propose"),
        "propose_moved": (
            f"trùng {proposed.reason}, hạn được tính đến hết ngày {ngay(proposed.effective)}"
            if proposed.moved
            else ""
        ),
        "as_of": as_of,
        "missing": len(missing),
        "communes": any(row.kind == "commune" for row in missing),
        "new_deadline": new_deadline,
        "replicated": len(config.replicated),
        "replication_deadline": (
            cycle.due("replication") if cycle.due("replication") >= as_of else new_deadline
        ),
    }
    return OfficialDocument(
        slug=f"cong-van-don-doc-{as_of.isoformat()}",
        governing_body=authority.governing_body,
        issuer=authority.issuer,
        number=numbered.number,
        place=authority.place,
        issued_on=numbered.issued_on,
        doc_type="",
        subject=ESCALATION_SUBJECT.format(year=cycle.year),
        addressees=tuple(checked("unit.name", row.unit_name) for row in missing),
        blocks=body_blocks("escalation_letter", context),
        signature=signature_of(config.signers["letter"]),
        recipients=("Như trên;", f"CT, các PCT {authority.short};", f"Lưu: VT, {authority.drafter}."),
    )
