"""The replication report: a unit's answer on each initiative of the cycle's replicated catalogue
that applies to its kind, applied (how, with what results) or "chưa áp dụng" with a reason.

A ``SubmissionKind`` like the others: its columns and Vietnamese headers, its table, its key (one
answer per unit and item), its rule (the item is in the catalogue and of the unit's kind) and its
workbook, one row per item of the unit's kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, ReplicatedInitiative
from models.intake.checks import Checked
from models.intake.kinds import SUBMISSIONS, SubmissionKind, Workbook
from models.intake.schemas import ReplicationIn
from models.intake.submissions import DATE_HINT, SENT_HINT
from models.intake.tables import ReplicationReport


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The cycle's replicated initiatives: their ids by code, and the unit kinds each applies to."""

    ids: dict[str, int]
    kinds: dict[str, frozenset[str]]
    office: str  # the Office by its name in this cycle: Văn phòng HĐND và UBND, Văn phòng UBND tỉnh

    def __getitem__(self, code: str) -> int:
        return self.ids[code]

    def for_kind(self, kind: str) -> list[str]:
        """The codes a unit of ``kind`` reports on."""
        return sorted(code for code, kinds in self.kinds.items() if kind in kinds)


def _catalogue(session: Session, cycle: Cycle) -> Catalogue:
    query = select(ReplicatedInitiative.code, ReplicatedInitiative.id, ReplicatedInitiative.unit_kinds)
    rows = session.execute(query.where(ReplicatedInitiative.cycle_id == cycle.id)).all()
    kinds = {r.code: frozenset(r.unit_kinds.split()) for r in rows}
    return Catalogue({r.code: r.id for r in rows}, kinds, cycle.configuration.authority.committee_office)


_REPORTERS = {  # in the order a message names them; the Office by its name in the cycle
    "office": "",
    "commune": "UBND cấp xã",
    "agency": "cơ quan chuyên môn",
    "public_service_unit": "đơn vị sự nghiệp",
}


def _replication_check(catalogue: Catalogue, entry: Checked[Any]) -> tuple[str, str] | None:
    owed = catalogue.for_kind(entry.unit.kind)
    if not owed:
        kinds = set().union(*catalogue.kinds.values())
        names = [_REPORTERS[k] or catalogue.office for k in _REPORTERS if k in kinds]
        return "unit_code", (
            f"đơn vị {entry.unit.code} không phải {' hay '.join(names)}; "
            "chỉ các đơn vị này báo cáo kết quả nhân rộng"
        )
    code = entry.item.replicated_code
    if code not in catalogue.ids:
        return "replicated_code", (
            f"mã {code} không có trong danh mục nhân rộng của chu kỳ; các mã hợp lệ: {', '.join(owed)}"
        )
    if code not in owed:
        return "replicated_code", (
            f"sáng kiến nhân rộng {code} không áp dụng cho đơn vị {entry.unit.code}; "
            f"các mã đơn vị này báo cáo: {', '.join(owed)}"
        )
    return None


def _replication(cycle: Cycle, catalogue: Catalogue, e: Checked[Any]) -> ReplicationReport:
    return ReplicationReport(
        cycle_id=cycle.id,
        unit_id=e.unit.unit_id,
        replicated_id=catalogue[e.item.replicated_code],
        submitted_on=e.submitted_on,
        days_late=e.days_late,
        fingerprint=e.fingerprint,
        applied=e.item.status == "applied",
        not_applied_reason=e.item.reason,
        **e.item.model_dump(include={"started_on", "how_applied", "dossiers", "results", "problems"}),
    )


def _stored_replication(session: Session, cycle: Cycle) -> list[tuple[Any, int, str]]:
    query = select(
        ReplicationReport.id,
        ReplicationReport.unit_id,
        ReplicationReport.replicated_id,
        ReplicationReport.fingerprint,
    )
    rows = session.execute(query.where(ReplicationReport.cycle_id == cycle.id))
    return [((r.unit_id, r.replicated_id), r.id, r.fingerprint) for r in rows]


def _replication_receipts(ids: Any) -> Select[Any]:
    return (
        select(
            ReplicationReport.id,
            ReplicationReport.unit_id,
            (
                ReplicatedInitiative.code
                + ": "
                + ReplicatedInitiative.title
                + case((ReplicationReport.applied.is_(False), " (chưa áp dụng)"), else_="")
            ).label("item"),
            ReplicationReport.submitted_on,
            ReplicationReport.days_late,
        )
        .join(ReplicatedInitiative, ReplicatedInitiative.id == ReplicationReport.replicated_id)
        .where(ReplicationReport.id.in_(ids))
    )


def _replication_workbook(
    session: Session, cycle_id: int, unit: str, unit_kind: str = ""
) -> tuple[list[dict[str, str]], dict[int, str]]:
    """One row per catalogue item (of those that apply to ``unit_kind``, when given), its code
    pre-filled and its title as the code cell's note."""
    query = select(ReplicatedInitiative.code, ReplicatedInitiative.title).where(
        ReplicatedInitiative.cycle_id == cycle_id
    )
    if unit_kind:
        query = query.where(ReplicatedInitiative.unit_kinds.contains(f" {unit_kind} "))
    items = session.execute(query.order_by(ReplicatedInitiative.code)).all()
    rows = [{"unit_code": unit, "replicated_code": code} for code, _ in items]
    return rows, {n: title for n, (_, title) in enumerate(items, start=2)}


REPLICATION = SubmissionKind(
    code="replication",
    obligation="replication",
    schema=ReplicationIn,
    columns={
        "unit_code": "Mã đơn vị",
        "replicated_code": "Mã sáng kiến nhân rộng",
        "started_on": "Ngày bắt đầu áp dụng",
        "how_applied": "Cách thức áp dụng",
        "dossiers": "Số hồ sơ",
        "results": "Kết quả",
        "problems": "Khó khăn, vướng mắc",
        "submitted_on": "Ngày gửi",
        "status": "Tình trạng áp dụng",
        "reason": "Lý do chưa áp dụng",
    },
    table=ReplicationReport,
    entity="replication_report",
    key_column="replicated_code",
    duplicate="báo cáo nhân rộng sáng kiến này của cùng đơn vị",
    key=lambda catalogue, e: (e.unit.unit_id, catalogue[e.item.replicated_code]),
    stored=_stored_replication,
    build=_replication,
    audit=lambda row: {"replicated": row.replicated_id},
    receipt_rows=_replication_receipts,
    context=_catalogue,
    check=_replication_check,
    hints={
        "started_on": DATE_HINT,
        "dossiers": "Số hồ sơ đã giải quyết theo sáng kiến (số nguyên)",
        "submitted_on": SENT_HINT,
        "status": 'Để trống hoặc "đã áp dụng"; ghi "chưa áp dụng" nếu đơn vị chưa áp dụng sáng kiến này',
        "reason": 'Bắt buộc khi ghi "chưa áp dụng": lý do và dự kiến thời gian áp dụng',
    },
    workbook=Workbook(
        "Nhân rộng", "bao-cao-nhan-rong-{year}-{unit}.xlsx", _replication_workbook, _replication_workbook
    ),
)

SUBMISSIONS.add(REPLICATION)
