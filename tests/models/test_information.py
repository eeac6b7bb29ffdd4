"""The council's request to a unit for more information: the initiative's review waits for the
answer, asking or answering twice changes nothing, a wrong request is refused naming the field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.errors import InvalidInput
from models.imports import import_file
from models.intake import Initiative
from models.review import tally
from models.review.information import answer, ask
from models.review.simulation import council_sheets
from tests.conftest import VINH_LINH_DATA

SECRETARY = "Trần Minh Đức"
ASKED = date(2024, 11, 5)


@pytest.fixture
def reviewed(session: Session, cycle: Cycle, tmp_path: object) -> Cycle:
    """The bundled year with every initiative in and every member's sheet returned."""
    from pathlib import Path

    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=ASKED, actor="test")
    for sheets in council_sheets(session, cycle, Path(str(tmp_path)) / "sheets.csv"):
        import_file(session, cycle, sheets, "reviews", today=ASKED, actor="test")
    return cycle


def _first(session: Session, cycle: Cycle) -> int:
    return int(session.scalars(select(Initiative.id).where(Initiative.cycle_id == cycle.id)).first() or 0)


def _outcome(session: Session, cycle: Cycle, initiative_id: int) -> str:
    return next(t.outcome for t in tally(session, cycle) if t.initiative_id == initiative_id)


def test_an_open_request_holds_the_initiative_until_the_answer(session: Session, reviewed: Cycle) -> None:
    """Decided by the sheets before, ``waiting`` after the question, decided again after the answer."""
    initiative = _first(session, reviewed)
    decided = _outcome(session, reviewed, initiative)
    assert decided in ("recognized", "not_recognized")
    request, new = ask(session, reviewed, initiative, SECRETARY, "Bổ sung số liệu hồ sơ quý III.", ASKED, "t")
    assert new
    assert request.due_on == date(2024, 11, 19)  # the configured 14 response days
    assert _outcome(session, reviewed, initiative) == "waiting"
    answered, changed = answer(
        session, reviewed, initiative, "Quý III: 412 hồ sơ, đúng hạn 100%.", ASKED, "t"
    )
    assert changed
    assert answered.id == request.id
    assert _outcome(session, reviewed, initiative) == decided


def test_asking_and_answering_again_change_nothing(session: Session, reviewed: Cycle) -> None:
    """A re-run of the same request or the same answer is recognised, not stored twice."""
    initiative = _first(session, reviewed)
    first, _ = ask(session, reviewed, initiative, SECRETARY, "Bổ sung số liệu.", ASKED, "t")
    again, new = ask(session, reviewed, initiative, SECRETARY, "Bổ sung số liệu.", ASKED, "t")
    assert (again.id, new) == (first.id, False)
    answer(session, reviewed, initiative, "Đã bổ sung.", ASKED, "t")
    _, changed = answer(session, reviewed, initiative, "Đã bổ sung.", ASKED, "t")
    assert not changed


@pytest.mark.parametrize(
    ("initiative", "member", "question", "field", "words"),
    [
        (99999, SECRETARY, "Bổ sung số liệu.", "initiative_id", "không có sáng kiến số 99999"),
        (None, "Người Lạ", "Bổ sung số liệu.", "member", "không phải thành viên Hội đồng"),
        (None, SECRETARY, "ab", "question", "quá ngắn"),
        (None, SECRETARY, "Bổ sung\x07 số liệu.", "question", "U+0007"),
    ],
)
def test_a_wrong_request_is_refused_naming_the_field(
    session: Session,
    reviewed: Cycle,
    initiative: int | None,
    member: str,
    question: str,
    field: str,
    words: str,
) -> None:
    """Unknown initiative or member, a question too short or with a control character."""
    target = initiative or _first(session, reviewed)
    with pytest.raises(InvalidInput) as caught:
        ask(session, reviewed, target, member, question, ASKED, "t")
    assert caught.value.field == field
    assert words in str(caught.value)


def test_a_second_question_waits_for_the_first_answer(session: Session, reviewed: Cycle) -> None:
    """One open request per initiative: another question is refused until the unit answers."""
    initiative = _first(session, reviewed)
    ask(session, reviewed, initiative, SECRETARY, "Bổ sung số liệu.", ASKED, "t")
    with pytest.raises(InvalidInput, match="đang chờ đơn vị bổ sung"):
        ask(session, reviewed, initiative, SECRETARY, "Bổ sung ý kiến của người dân.", ASKED, "t")
    with pytest.raises(InvalidInput, match="không có đề nghị bổ sung nào đang chờ"):
        answer(session, reviewed, _first(session, reviewed) + 1, "Đã bổ sung.", ASKED, "t")
