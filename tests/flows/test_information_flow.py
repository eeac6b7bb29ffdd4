"""request-information and record-information through Prefect: the unit is asked once, the
initiative's review waits, and goes on after the answer."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from flows.record_information import record_information
from flows.request_information import request_information
from models.cycle import Cycle
from models.db import session_scope
from models.forms import AnswerForm, InformationForm
from models.intake import Initiative
from models.review import tally
from tests.flows.conftest import World
from tests.flows.test_flows import annual_cycle_without_recognition


def _waiting(world: World) -> set[int]:
    with session_scope(world.engine) as session:
        cycle = session.scalars(select(Cycle)).one()
        return {t.initiative_id for t in tally(session, cycle) if t.outcome == "waiting"}


def test_the_council_asks_a_unit_for_more_and_the_review_waits(world: World) -> None:
    """Run twice, the request mails the unit once; the answer releases the initiative."""
    annual_cycle_without_recognition(world)
    with session_scope(world.engine) as session:
        initiative = session.scalars(select(Initiative).order_by(Initiative.id)).first()
        assert initiative is not None
        initiative_id, title = initiative.id, initiative.title
    before = len(world.recorder.messages)
    form = InformationForm(
        cycle=2024,
        initiative_id=initiative_id,
        member="Trần Minh Đức",
        question="Bổ sung số liệu hồ sơ quý III.",
    )
    asked = request_information(form, as_of=date(2024, 11, 5))
    again = request_information(form, as_of=date(2024, 11, 5))
    assert (asked.changed, again.changed, again.request_id) == (True, False, asked.request_id)
    mails = world.recorder.messages[before:]
    assert len(mails) == 1
    body = mails[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Bổ sung số liệu hồ sơ quý III." in body
    assert title in body
    assert "19/11/2024" in body
    assert _waiting(world) == {initiative_id}
    answer = AnswerForm(cycle=2024, initiative_id=initiative_id, answer="Quý III: 412 hồ sơ, đúng hạn.")
    assert record_information(answer, as_of=date(2024, 11, 12)).changed
    assert _waiting(world) == set()
