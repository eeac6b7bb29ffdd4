"""Two kinds of submission of the directive: initiatives and result reports (the replication
report is ``models.intake.replication``).

Each is a ``SubmissionKind``: its columns and Vietnamese headers, its table, its key for
duplicates, and its own rule (an initiative applied before it was sent; a report about one of the
unit's initiatives; a replication report from the Office or a commune, on a catalogue item).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.intake.checks import Checked
from models.intake.kinds import SUBMISSIONS, SubmissionKind, Workbook
from models.intake.schemas import APPLIED_AFTER_SUBMITTED, InitiativeIn, ReportIn
from models.intake.tables import Initiative, InitiativeAuthor, ResultReport
from models.text import title_key

DATE_HINT = "Ngày dạng DD/MM/YYYY hoặc YYYY-MM-DD"
SENT_HINT = "Để trống: tính theo ngày hệ thống nhận tệp"


def _initiative_check(_context: None, entry: Checked[Any]) -> tuple[str, str] | None:
    applied = entry.item.first_applied_on
    if applied and applied > entry.submitted_on:  # an empty submitted_on became today
        return "first_applied_on", APPLIED_AFTER_SUBMITTED
    return None


def _initiative(cycle: Cycle, _context: None, e: Checked[Any]) -> Initiative:
    return Initiative(
        cycle_id=cycle.id,
        unit_id=e.unit.unit_id,
        title_key=title_key(e.item.title),
        submitted_on=e.submitted_on,
        days_late=e.days_late,
        fingerprint=e.fingerprint,
        authors=[InitiativeAuthor(position=i + 1, **a.model_dump()) for i, a in enumerate(e.item.authors)],
        participants=[p.model_dump() for p in e.item.participants],
        **e.item.model_dump(exclude={"unit_code", "authors", "participants", "submitted_on"}),
    )


def _stored_initiatives(session: Session, cycle: Cycle) -> list[tuple[Any, int, str]]:
    query = select(Initiative.id, Initiative.unit_id, Initiative.title_key, Initiative.fingerprint)
    rows = session.execute(query.where(Initiative.cycle_id == cycle.id))
    return [((r.unit_id, r.title_key), r.id, r.fingerprint) for r in rows]


def _initiative_receipts(ids: Any) -> Select[Any]:
    return select(
        Initiative.id,
        Initiative.unit_id,
        Initiative.title.label("item"),
        Initiative.submitted_on,
        Initiative.days_late,
    ).where(Initiative.id.in_(ids))


INITIATIVES = SubmissionKind(
    code="initiatives",
    obligation="propose",
    schema=InitiativeIn,
    columns={
        "unit_code": "Mã đơn vị",
        "title": "Tên sáng kiến",
        "solution_type": "Loại giải pháp",
        "field": "Lĩnh vực",
        "authors": "Tác giả",
        "first_applied_on": "Ngày áp dụng lần đầu",
        "scope": "Phạm vi áp dụng",
        "before": "Tình trạng trước khi áp dụng",
        "solution": "Nội dung giải pháp",
        "novelty": "Tính mới",
        "effects": "Hiệu quả",
        "replicable": "Khả năng nhân rộng",
        "not_excluded": "Cam kết không thuộc trường hợp loại trừ",
        "investor": "Chủ đầu tư tạo ra sáng kiến",
        "participants": "Người tham gia áp dụng lần đầu",
        "submitted_on": "Ngày gửi",
    },
    table=Initiative,
    entity="initiative",
    key_column="title",
    duplicate="sáng kiến cùng tên của cùng đơn vị",
    key=lambda _context, e: (e.unit.unit_id, title_key(e.item.title)),
    stored=_stored_initiatives,
    build=_initiative,
    audit=lambda row: {"title": row.title},
    receipt_rows=_initiative_receipts,
    check=_initiative_check,
    hints={
        "authors": (
            "Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác | trình độ chuyên môn | thư điện tử;"
            " các tác giả cách nhau bằng dấu ; — tổng tỷ lệ bằng 100; bốn mục sau có thể bỏ trống"
        ),
        "first_applied_on": DATE_HINT + "; bắt buộc để sáng kiến được xét công nhận",
        "not_excluded": (
            "có: tác giả cam kết sáng kiến không thuộc trường hợp bị loại trừ (trái trật tự công "
            "cộng, đạo đức xã hội; đã được bảo hộ hoặc đã công bố); để trống hoặc không: không được công nhận"
        ),
        "investor": "Tổ chức, cá nhân đầu tư tạo ra sáng kiến (nếu không phải tác giả); có thể bỏ trống",
        "participants": "Họ tên | nơi công tác | chức danh | nội dung tham gia; cách nhau bằng dấu ;",
        "submitted_on": SENT_HINT,
        "replicable": "có hoặc không",
    },
    workbook=Workbook(
        "Sáng kiến",
        "de-xuat-sang-kien-{year}-{unit}.xlsx",
        lambda _session, _cycle_id, unit: ([{"unit_code": unit}], {}),
    ),
)


def _report_context(session: Session, cycle: Cycle) -> dict[tuple[int, str], int]:
    """The cycle's initiatives by (unit, title key): a report names one of its unit's."""
    query = select(Initiative.id, Initiative.unit_id, Initiative.title_key)
    rows = session.execute(query.where(Initiative.cycle_id == cycle.id))
    return {(r.unit_id, r.title_key): r.id for r in rows}


def _report_check(initiatives: dict[tuple[int, str], int], entry: Checked[Any]) -> tuple[str, str] | None:
    title = entry.item.initiative_title
    if title and (entry.unit.unit_id, title_key(title)) not in initiatives:
        return "initiative_title", (
            f"đơn vị {entry.unit.code} không có sáng kiến tên {title!r}; hãy ghi đúng "
            "tên sáng kiến đã gửi, hoặc để trống nếu là báo cáo chung"
        )
    return None


def _report(cycle: Cycle, initiatives: dict[tuple[int, str], int], e: Checked[Any]) -> ResultReport:
    key = title_key(e.item.initiative_title)
    return ResultReport(
        cycle_id=cycle.id,
        unit_id=e.unit.unit_id,
        initiative_key=key,
        initiative_id=initiatives.get((e.unit.unit_id, key)),
        submitted_on=e.submitted_on,
        days_late=e.days_late,
        fingerprint=e.fingerprint,
        **e.item.model_dump(include={"organisation", "results", "assessment", "proposals"}),
    )


def _stored_reports(session: Session, cycle: Cycle) -> list[tuple[Any, int, str]]:
    query = select(
        ResultReport.id, ResultReport.unit_id, ResultReport.initiative_key, ResultReport.fingerprint
    )
    rows = session.execute(query.where(ResultReport.cycle_id == cycle.id))
    return [((r.unit_id, r.initiative_key), r.id, r.fingerprint) for r in rows]


def _report_receipts(ids: Any) -> Select[Any]:
    return (
        select(
            ResultReport.id,
            ResultReport.unit_id,
            Initiative.title.label("item"),
            ResultReport.submitted_on,
            ResultReport.days_late,
        )
        .outerjoin(Initiative, Initiative.id == ResultReport.initiative_id)
        .where(ResultReport.id.in_(ids))
    )


REPORTS = SubmissionKind(
    code="reports",
    obligation="report",
    schema=ReportIn,
    columns={
        "unit_code": "Mã đơn vị",
        "initiative_title": "Tên sáng kiến",
        "organisation": "Tổ chức thực hiện",
        "results": "Kết quả",
        "assessment": "Đánh giá",
        "proposals": "Đề xuất, kiến nghị",
        "submitted_on": "Ngày gửi",
    },
    table=ResultReport,
    entity="result_report",
    key_column="initiative_title",
    duplicate="báo cáo về sáng kiến này của cùng đơn vị",
    key=lambda _context, e: (e.unit.unit_id, title_key(e.item.initiative_title)),
    stored=_stored_reports,
    build=_report,
    audit=lambda row: {"initiative_id": row.initiative_id},
    receipt_rows=_report_receipts,
    context=_report_context,
    check=_report_check,
    hints={"submitted_on": SENT_HINT},
)


for _kind in (INITIATIVES, REPORTS):
    SUBMISSIONS.add(_kind)
