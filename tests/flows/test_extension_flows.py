"""request-extension and decide-extension through Prefect: the unit's mail arrives once each."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from flows.decide_extension import decide_extension
from flows.open_cycle import open_cycle
from flows.request_extension import request_extension
from models.cycle import ExtensionRequest
from models.db import session_scope
from models.errors import ImportRejected
from models.forms import DecisionForm, ExtensionForm
from tests.flows.conftest import World

FORM = ExtensionForm(
    cycle=2024,
    unit_code="19426",
    obligation="propose",
    requested_until=date(2024, 9, 10),
    reason="Chờ số liệu áp dụng tháng 8",
)


def _subjects(world: World) -> list[str]:
    return [str(m["Subject"]) for m in world.recorder.messages if "gia hạn" in str(m["Subject"])]


def test_request_and_decision_run_twice_mail_the_unit_once_each(world: World) -> None:
    """Asked on 02/09, approved on 04/09, each flow run twice: one receipt, one decision."""
    open_cycle()
    first = request_extension(FORM, date(2024, 9, 2))
    again = request_extension(FORM, date(2024, 9, 2))
    assert (first.request_id, first.changed, again.request_id, again.changed) == (1, True, 1, False)
    decision = DecisionForm(cycle=2024, request_id=1, approve=True)
    assert decide_extension(decision, date(2024, 9, 4)).status == "approved"
    assert not decide_extension(decision, date(2024, 9, 4)).changed
    assert _subjects(world) == [
        "Xác nhận đã nhận đề nghị gia hạn đề xuất sáng kiến của UBND xã Vĩnh Ô",
        "Đồng ý gia hạn đề xuất sáng kiến đến ngày 10/09/2024",
    ]
    assert set(world.recorder.message_ids().values()) == {1}
    with session_scope(world.engine) as session:
        assert session.scalar(select(func.count(ExtensionRequest.id))) == 1


def test_a_refusal_without_reason_fails_the_run_and_mails_nothing(world: World) -> None:
    """The form's refusal without a reason is refused by name; the request stays pending."""
    open_cycle()
    request_extension(FORM, date(2024, 9, 2))
    with pytest.raises(ImportRejected, match="form:1:reason: từ chối gia hạn phải nêu lý do"):
        decide_extension(DecisionForm(cycle=2024, request_id=1, approve=False), date(2024, 9, 4))
    assert len(_subjects(world)) == 1
    with session_scope(world.engine) as session:
        assert session.scalars(select(ExtensionRequest.status)).all() == ["pending"]
