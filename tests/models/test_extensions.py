"""Extension requests: a unit asks, an officer decides, and the unit's state, score and mail follow."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, ExtensionRequest
from models.db import AuditEntry, Notice
from models.errors import ImportRejected
from models.imports import import_file
from models.reporting import compute_lines
from models.tracking import (
    DecisionIn,
    ExtensionIn,
    compute_compliance,
    decide_extension,
    list_requests,
    plan_sweep,
    request_extensions,
)
from notifications.mail.outbox import queue_notices
from notifications.notices.extension import extension_notices
from tests.conftest import TODAY, VINH_LINH_DATA

ASKED = date(2024, 9, 2)  # before the effective deadline, 04/09/2024
DECIDED = date(2024, 9, 4)


def _ask(
    session: Session, cycle: Cycle, today: date = ASKED, **changes: object
) -> tuple[list[int], list[int]]:
    fields: dict[str, object] = {
        "unit_code": "19426",
        "obligation": "propose",
        "requested_until": "10/09/2024",
        "reason": "Sáng kiến đang chờ số liệu áp dụng tháng 8",
    }
    item = ExtensionIn.model_validate(fields | changes)
    return request_extensions(session, cycle, [(1, item)], "form", today, "test")


def _decide(session: Session, cycle: Cycle, request_id: int, **changes: object) -> bool:
    item = DecisionIn.model_validate({"request_id": request_id, "approve": True} | changes)
    return decide_extension(session, cycle, item, DECIDED, "officer")[1]


def _propose_state(session: Session, cycle: Cycle, day: date, code: str = "19426") -> tuple[str, int, bool]:
    row = next(r for r in compute_compliance(session, cycle, day) if r.unit_code == code)
    return row["propose"].state, row["propose"].days_late, row["propose"].extended


def _propose_points(session: Session, cycle: Cycle) -> tuple[Decimal, str]:
    line = next(
        line
        for line in compute_lines(session, cycle, TODAY)
        if line.unit_code == "19426" and line.criterion == "propose"
    )
    return line.points, line.reason


def _queue(session: Session, cycle: Cycle, kind: str, ids: list[int]) -> int:
    return queue_notices(session, extension_notices(session, cycle, kind, ids), "test.example")


def test_an_approved_extension_makes_a_late_proposal_on_time_and_scores_it_so(
    session: Session, cycle: Cycle
) -> None:
    """19426 proposes on 09/09/2024, 5 days after 04/09; asked on 02/09 for 10/09, approved on
    04/09: on time within the extension, full points, one receipt and one decision mailed."""
    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=TODAY, actor="t")
    assert _propose_state(session, cycle, date(2024, 9, 9)) == ("late", 5, False)
    assert _propose_points(session, cycle)[0] == Decimal(1)

    ids, again = _ask(session, cycle)
    assert (len(ids), again) == (1, [])
    assert _queue(session, cycle, "extension_receipt", ids) == 1
    assert _propose_state(session, cycle, date(2024, 9, 9)) == ("late", 5, False)  # pending changes nothing
    assert _decide(session, cycle, ids[0])
    assert _queue(session, cycle, "extension_decision", ids) == 1

    assert _propose_state(session, cycle, date(2024, 9, 9)) == ("on_time", 0, True)
    assert _propose_state(session, cycle, date(2024, 9, 3)) == ("pending", 0, False)  # before the decision
    points, reason = _propose_points(session, cycle)
    assert points == Decimal(2)
    assert reason == "đề xuất sáng kiến đúng hạn, ngày 09/09/2024; thời hạn được gia hạn đến ngày 10/09/2024"
    decision = session.scalars(select(Notice).where(Notice.kind == "extension_decision")).one()
    assert decision.subject == "Đồng ý gia hạn đề xuất sáng kiến đến ngày 10/09/2024"
    assert (
        "Hạn của đơn vị: 10/09/2024 (đã được gia hạn; thời hạn trước đó là ngày 04/09/2024)"
        in decision.body_text
    )
    receipt = session.scalars(select(Notice).where(Notice.kind == "extension_receipt")).one()
    assert (
        "Hạn hiện tại: 31/08/2024 "
        "(do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)" in receipt.body_text
    )

    # Re-runs: the same request, the same decision, the same notices: nothing new anywhere.
    assert _ask(session, cycle) == ([], ids)
    assert not _decide(session, cycle, ids[0])
    assert _queue(session, cycle, "extension_receipt", ids) == 0
    assert _queue(session, cycle, "extension_decision", ids) == 0
    assert session.scalar(select(func.count(ExtensionRequest.id))) == 1
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "extension_request").order_by(AuditEntry.id)
    ).all()
    assert actions == ["request", "decide"]


def test_a_refusal_leaves_the_state_and_the_score(session: Session, cycle: Cycle) -> None:
    """Refused with a reason: still 5 days late, late points, and the unit is told why."""
    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=TODAY, actor="t")
    ids, _again = _ask(session, cycle)
    assert _decide(session, cycle, ids[0], approve=False, reason="Không có căn cứ <b>gia hạn</b>")
    assert _propose_state(session, cycle, date(2024, 9, 9)) == ("late", 5, False)
    assert _propose_points(session, cycle)[0] == Decimal(1)
    _queue(session, cycle, "extension_decision", ids)
    notice = session.scalars(select(Notice).where(Notice.kind == "extension_decision")).one()
    assert notice.subject == "Không đồng ý gia hạn đề xuất sáng kiến"
    assert "Lý do: Không có căn cứ <b>gia hạn</b>" in notice.body_text
    assert "Không có căn cứ &lt;b&gt;gia hạn&lt;/b&gt;" in notice.body_html
    with pytest.raises(ImportRejected, match="đã được từ chối ngày 04/09/2024; không quyết định lại được"):
        _decide(session, cycle, ids[0])
    assert list_requests(session, cycle)[0]["status"] == "refused"


def test_an_approval_with_another_day_on_a_day_off_ends_on_the_next_working_day(
    session: Session, cycle: Cycle
) -> None:
    """Approved to Saturday 14/09/2024 instead of 10/09: the deadline is Monday 16/09."""
    ids, _again = _ask(session, cycle)
    _decide(session, cycle, ids[0], decided_until="14/09/2024")
    assert list_requests(session, cycle)[0]["decided_until"] == "2024-09-16"
    row = next(r for r in compute_compliance(session, cycle, date(2024, 9, 16)) if r.unit_code == "19426")
    assert (row["propose"].state, row["propose"].deadline) == ("pending", date(2024, 9, 16))


def test_scoring_configuration_decides_how_an_extension_and_lateness_count(
    session: Session, cycle: Cycle, config: CycleConfig
) -> None:
    """extension_counts_as = late scores the extended proposal as late; late_days = working
    states days late in working days."""
    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=TODAY, actor="t")
    scoring = config.scoring.model_copy(update={"extension_counts_as": "late", "late_days": "working"})
    cycle.config = config.model_copy(update={"scoring": scoring}).model_dump(mode="json")
    session.flush()
    reason = "đề xuất sáng kiến ngày 09/09/2024, chậm 03 ngày làm việc so với thời hạn ngày 31/08/2024"
    assert _propose_points(session, cycle) == (
        Decimal(1),
        f"{reason} (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)",
    )
    ids, _again = _ask(session, cycle)
    _decide(session, cycle, ids[0])
    assert _propose_points(session, cycle)[0] == Decimal(1)


@pytest.mark.parametrize(
    ("today", "changes", "column", "message"),
    [
        (ASKED, {"unit_code": "KHONG-CO"}, "unit_code", "không có đơn vị mã KHONG-CO trong chu kỳ 2024"),
        (ASKED, {"requested_until": "2024-09-04"}, "requested_until", "không sau hạn hiện tại 04/09/2024"),
        (ASKED, {"requested_until": "2024-08-20"}, "requested_until", "hãy ghi một ngày sau hạn đó"),
        (date(2024, 9, 5), {}, "requested_on", "sau khi hạn 04/09/2024 đã qua"),
        (ASKED, {"requested_on": "2024-09-03"}, "requested_on", "ở tương lai (hôm nay 02/09/2024)"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field_and_the_fix(
    session: Session, cycle: Cycle, today: date, changes: dict[str, object], column: str, message: str
) -> None:
    """Unknown unit, a day not after the deadline, a request after it passed, a future date."""
    with pytest.raises(ImportRejected) as caught:
        _ask(session, cycle, today, **changes)
    assert f"form:1:{column}: " in str(caught.value)
    assert message in str(caught.value)
    assert session.scalar(select(func.count(ExtensionRequest.id))) == 0


def test_a_second_request_while_one_is_pending_is_refused(session: Session, cycle: Cycle) -> None:
    """Another day asked while the first waits: refused naming the pending request."""
    _ask(session, cycle)
    with pytest.raises(ImportRejected, match="đã có đơn gia hạn số 1 đang chờ quyết định"):
        _ask(session, cycle, requested_until="2024-09-20")


def test_late_requests_are_accepted_when_the_configuration_allows_them(
    session: Session, cycle: Cycle, config: CycleConfig
) -> None:
    """extensions.allow_late_requests = true: asked on 06/09, two days after the deadline."""
    extensions = config.extensions.model_copy(update={"allow_late_requests": True})
    cycle.config = config.model_copy(update={"extensions": extensions}).model_dump(mode="json")
    session.flush()
    ids, _again = _ask(session, cycle, date(2024, 9, 6))
    assert len(ids) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": "ab"}, "reason"),
        ({"reason": "Lý do\x07"}, "ký tự điều khiển U+0007"),
        ({"obligation": "nộp thuế"}, "nghĩa vụ 'nộp thuế' không hợp lệ"),
        ({"requested_until": "31/02/2024"}, "ngày không tồn tại"),
        ({"unit_code": ""}, "unit_code"),
    ],
)
def test_malformed_requests_are_refused_by_the_schema(fields: dict[str, object], message: str) -> None:
    """Too short a reason, control characters, an unknown obligation, an impossible date."""
    base = {"unit_code": "19426", "obligation": "propose", "requested_until": "2024-09-10", "reason": "Lý do"}
    with pytest.raises(ValidationError, match=re.escape(message)):
        ExtensionIn.model_validate(base | fields)


def test_vietnamese_labels_and_nfd_text_are_accepted_as_nfc(session: Session, cycle: Cycle) -> None:
    """'Báo cáo kết quả' as the obligation and a decomposed reason: stored as code and NFC."""
    reason = unicodedata.normalize("NFD", "Chờ số liệu quý III")
    _ask(session, cycle, obligation="báo cáo kết quả", reason=reason, requested_until="2024-10-31")
    stored = list_requests(session, cycle)[0]
    assert stored["obligation"] == "report"
    assert stored["reason"] == "Chờ số liệu quý III"


def test_a_refusal_needs_a_reason_and_an_unknown_request_is_named() -> None:
    """Refusing without a reason is refused; the message says what to write."""
    with pytest.raises(ValidationError, match="từ chối gia hạn phải nêu lý do"):
        DecisionIn.model_validate({"request_id": 1, "approve": "không"})


def test_deciding_an_unknown_request_names_it(session: Session, cycle: Cycle) -> None:
    """Request 99 does not exist: refused, pointing to the list command."""
    with pytest.raises(ImportRejected, match="không có đơn gia hạn số 99 trong chu kỳ 2024"):
        _decide(session, cycle, 99)


def test_an_extended_unit_is_reminded_of_its_new_deadline_not_the_old_one(
    session: Session, cycle: Cycle, config: CycleConfig
) -> None:
    """Without a proposal, extended to 10/09: the sweep of Monday 09/09 reminds 19426 of 10/09
    (a new milestone), while the others are overdue since 04/09."""
    ids, _again = _ask(session, cycle)
    _decide(session, cycle, ids[0])
    day = date(2024, 9, 9)
    plan = {
        (n.unit_code, n.kind): n for n in plan_sweep(compute_compliance(session, cycle, day), config, day)
    }
    reminder = plan[("19426", "reminder")]
    assert (reminder.milestone, reminder.deadline, reminder.days) == (
        "propose-ext20240910-reminder-1",
        date(2024, 9, 10),
        1,
    )
    assert reminder.deadline_text == "10/09/2024 (đã được gia hạn; thời hạn trước đó là ngày 04/09/2024)"
    assert ("19426", "overdue") not in plan
    assert plan[("19414", "overdue")].milestone == "propose-overdue"
