"""The chair's form checked as the flow checks it: every refusal a Vietnamese sentence, every
accepted value what the decision will print."""

from __future__ import annotations

from datetime import date

import pytest

from models.forms import DecisionApproval, chair_form
from models.review.chair import Candidate, ChairContext, check_answer, description

CTX = ChairContext(
    year=2024,
    candidates=(
        Candidate(
            initiative_id=3,
            title="Một cửa số",
            unit="Phòng Nội vụ",
            points="68,66",
            votes="3/3 đồng ý",
            recommended=True,
        ),
        Candidate(
            initiative_id=4,
            title="Trả kết quả tại nhà",
            unit="UBND xã Vĩnh Ô",
            points="70,67",
            votes="4/4 đồng ý",
            recommended=True,
        ),
        Candidate(
            initiative_id=9,
            title="Sổ hộ tịch số",
            unit="Phòng Tư pháp",
            points="41,2",
            votes="1/4 đồng ý",
            recommended=False,
        ),
    ),
    review_ended_on=date(2024, 10, 22),
    today=date(2024, 12, 20),
    decision_suffix="QĐ-UBND",
    taken_numbers=("05/QĐ-UBND",),
    signer_name="Nguyễn Văn Hải",
    signer_title="PHÓ CHỦ TỊCH",
    minutes="`bien-ban.docx`",
    proposal="`to-trinh.docx`",
)
GOOD = {
    "number": "7/QĐ-UBND",
    "issued_on": "06/12/2024",
    "signer_name": "Nguyễn Văn Hải",
    "signer_title": "PHÓ CHỦ TỊCH",
}


def refused(**values: object) -> list[str]:
    approval, errors = check_answer(GOOD | values, CTX)
    assert approval is None
    return errors


def test_the_recommendation_as_it_is_gives_the_decision_with_the_number_in_its_series() -> None:
    """Nothing changed: no change recorded; "7/QĐ-UBND" is written "07/QĐ-UBND"; ISO dates too."""
    approval, errors = check_answer(GOOD | {"issued_on": "2024-12-06"}, CTX)
    assert errors == []
    assert approval is not None
    assert (approval.number, approval.issued_on, approval.changes) == ("07/QĐ-UBND", date(2024, 12, 6), ())
    assert approval.final([3, 4]) == [3, 4]


@pytest.mark.parametrize(
    ("issued_on", "says"),
    [
        ("06122024", "không rõ ngày nào là ngày, tháng"),
        ("", "chưa nhập ngày ký"),
        ("12/06/2024", "trước ngày Hội đồng xét xong (22/10/2024)"),
        ("21/12/2024", "sau ngày hôm nay (20/12/2024)"),
        ("31/02/2024", "không đúng định dạng"),
        ("December 6", "không đúng định dạng"),
    ],
)
def test_a_wrong_date_is_refused_in_vietnamese(issued_on: str, says: str) -> None:
    """A bare run of digits is never guessed; a date outside the review and today is refused."""
    assert any(says in e for e in refused(issued_on=issued_on))


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("", "chưa nhập số quyết định"),
        ("07/UBND-NV", "không đúng sổ quyết định"),
        ("QĐ-UBND", "không đúng sổ quyết định"),
        ("5/QĐ-UBND", "số 05/QĐ-UBND đã cấp cho văn bản khác"),
        ("00/QĐ-UBND", "từ 01 trở lên"),
    ],
)
def test_a_number_outside_the_series_is_refused(number: str, says: str) -> None:
    """The decision's number must be NN/<decision suffix> and not taken in the year."""
    assert any(says in e for e in refused(number=number))


def test_leaving_one_out_needs_a_reason() -> None:
    """Deselecting without a reason is refused, naming the initiative and how to write it."""
    errors = refused(recognized=["4. Trả kết quả tại nhà (UBND xã Vĩnh Ô)"])
    assert errors == [
        "bỏ chọn sáng kiến số 3 (Một cửa số) phải nêu lý do: ghi vào ô Lý do một dòng dạng '3: lý do'"
    ]


def test_each_change_takes_its_own_reason_line() -> None:
    """One out, one in: each reason on its "N: …" line; the added one is recognized."""
    approval, errors = check_answer(
        GOOD
        | {
            "recognized": ["4", "9. Sổ hộ tịch số (Phòng Tư pháp)"],
            "reasons": "3: Trùng sáng kiến năm 2023\n9: Đã áp dụng hiệu quả",
        },
        CTX,
    )
    assert errors == []
    assert approval is not None
    assert [(c.initiative_id, c.action, c.reason) for c in approval.changes] == [
        (3, "deselect", "Trùng sáng kiến năm 2023"),
        (9, "add", "Đã áp dụng hiệu quả"),
    ]
    assert approval.final([3, 4]) == [4, 9]


def test_one_change_may_take_a_bare_reason() -> None:
    """A single change: the reason line need not start with its number."""
    approval, _ = check_answer(GOOD | {"recognized": ["3"], "reasons": "Chưa có số liệu hiệu quả"}, CTX)
    assert approval is not None
    assert approval.changes[0].reason == "Chưa có số liệu hiệu quả"


def test_hostile_values_are_refused_naming_the_field() -> None:
    """A control character in the signer, an unknown initiative, an empty list."""
    assert any(e.startswith("họ tên người ký: ") for e in refused(signer_name="Nguyễn\x0bVăn Hải"))
    assert any("không có trong danh sách" in e for e in refused(recognized=["77. <b>Không có</b>"]))
    assert any("danh sách công nhận trống" in e for e in refused(recognized=[], reasons="3: a b c\n4: d e f"))


def test_the_form_pre_selects_the_recommendation_and_the_description_names_it() -> None:
    """The UI's multi-select offers every decided initiative, the recommended ones chosen; each
    field has a Vietnamese title; the description lists points and votes, and the errors first."""
    schema = chair_form(CTX).model_json_schema()
    field = schema["properties"]["recognized"]
    assert field["items"]["enum"] == [c.label for c in CTX.candidates]
    assert field["default"] == ["3. Một cửa số (Phòng Nội vụ)", "4. Trả kết quả tại nhà (UBND xã Vĩnh Ô)"]
    assert {p["title"] for p in schema["properties"].values()} == {
        "Số quyết định",
        "Ngày ký",
        "Người ký",
        "Chức vụ",
        "Sáng kiến được công nhận",
        "Lý do",
    }
    assert "required" not in schema  # the server's English validator never refuses an empty field
    text = description(CTX, ["ngày ký 12/06/2024 trước ngày Hội đồng xét xong (22/10/2024)"])
    assert text.index("Ngày ký 12/06/2024") < text.index("Hội đồng sáng kiến đề nghị công nhận **02**")
    assert "| 9 | Sổ hộ tịch số | Phòng Tư pháp | 41,2 | 1/4 đồng ý | Không đề nghị |" in text
    assert "`to-trinh.docx`" in text


def test_the_demo_s_values_answer_the_form_as_the_ui_would() -> None:
    """DecisionApproval's answer: the date as dd/mm/yyyy; ids turned into the form's labels."""
    approval = DecisionApproval(
        number="01/QĐ-UBND", issued_on=date(2024, 12, 6), signer_name="Người Ký", recognized=(4,)
    )
    answer = approval.answer([c.label for c in CTX.candidates])
    assert answer["issued_on"] == "06/12/2024"
    assert answer["recognized"] == ["4. Trả kết quả tại nhà (UBND xã Vĩnh Ô)"]
    assert (
        "recognized"
        not in DecisionApproval(number="01/QĐ-UBND", issued_on=date(2024, 12, 6), signer_name="A").answer()
    )
