"""The application form's facts (Circular 18/2013, annex I) through every import format and the
form: each author's date of birth, workplace, qualification and e-mail, the investor, the people
who took part in the first application, and the exclusion declaration; bad input refused in
Vietnamese naming the row and the column."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.forms import InitiativeForm
from models.intake import Initiative
from models.review.conditions import NOT_APPLIED, NOT_DECLARED, failed_conditions
from notifications.notices.drafting import receipts
from tests.models.test_intake import (
    ZALO_TITLE,
    count,
    import_file,
    initiative,
    rejected,
    stored_initiative,
    write_rows,
)

FULL_AUTHORS = (
    "Võ Thị Ngọc Ánh | Chuyên viên | 70 | 12/03/1985 | Phòng Tư pháp | Cử nhân Luật | "
    "anh.tp@vinhlinh.gov.vn; "
    "Võ Văn Toàn | Trưởng phòng | 30"
)
PARTICIPANTS = "Lê Văn Hòa | UBND thị trấn Hồ Xá | Công chức | nhập dữ liệu; Phan Thị Lan"


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_the_form_s_columns_are_stored_from_every_format(
    session: Session, cycle: Cycle, tmp_path: Path, suffix: str
) -> None:
    """Author details, investor, participants and the declaration land in their columns; an
    author given the old three parts keeps empty details."""
    row = initiative(
        authors=FULL_AUTHORS,
        investor="UBND huyện Vĩnh Linh",
        participants=PARTICIPANTS,
        not_excluded="Có",
    )
    import_file(session, cycle, write_rows(tmp_path / f"sk{suffix}", "initiatives", row), "initiatives")

    stored = stored_initiative(session, ZALO_TITLE)
    first, second = stored.authors
    assert (first.birth_date, first.workplace, first.qualification, first.email) == (
        date(1985, 3, 12),
        "Phòng Tư pháp",
        "Cử nhân Luật",
        "anh.tp@vinhlinh.gov.vn",
    )
    assert (second.birth_date, second.workplace, second.qualification, second.email) == (None, "", "", None)
    assert stored.investor == "UBND huyện Vĩnh Linh"
    assert stored.participants == [
        {
            "name": "Lê Văn Hòa",
            "workplace": "UBND thị trấn Hồ Xá",
            "title": "Công chức",
            "part": "nhập dữ liệu",
        },
        {"name": "Phan Thị Lan", "workplace": "", "title": "", "part": ""},
    ]
    assert stored.not_excluded is True


def test_nfd_names_are_stored_as_nfc(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Decomposed Vietnamese (as some Mac tools save it) is stored composed."""
    row = initiative(
        authors=unicodedata.normalize("NFD", FULL_AUTHORS),
        participants=unicodedata.normalize("NFD", PARTICIPANTS),
        investor=unicodedata.normalize("NFD", "Ủy ban nhân dân huyện"),
    )
    import_file(session, cycle, write_rows(tmp_path / "nfd.csv", "initiatives", row), "initiatives")
    stored = stored_initiative(session, ZALO_TITLE)
    assert stored.authors[0].workplace == "Phòng Tư pháp"
    assert stored.participants[0]["workplace"] == "UBND thị trấn Hồ Xá"
    assert stored.investor == "Ủy ban nhân dân huyện"


BAD = [
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | 31/02/1985; Võ Văn Toàn | Trưởng phòng | 30"},
        "authors",
        "ngày không tồn tại: '31/02/1985'",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | 12/03/2085; Võ Văn Toàn | Trưởng phòng | 30"},
        "authors",
        "ngày sinh 12/03/2085 không hợp lệ",
    ),
    (
        {
            "authors": (
                "Võ Thị Ngọc Ánh | Chuyên viên | 70 | | | | anh@x\r\nBcc: all@x.vn; Võ Văn Toàn | TP | 30"
            )
        },
        "authors",
        "xuống dòng",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | | | | không-phải-thư; Võ Văn Toàn | TP | 30"},
        "authors",
        "địa chỉ thư 'không-phải-thư' không hợp lệ",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | 1 | 2 | 3 | a@b.vn | thừa; Võ Văn Toàn | TP | 30"},
        "authors",
        "tác giả thứ 1",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | | | | a@b.vn | c@d.vn; Võ Văn Toàn | TP | 30"},
        "authors",
        "tác giả thứ 1",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | | " + "x" * 151 + "; Võ Văn Toàn | TP | 30"},
        "authors",
        "150",
    ),
    (
        {"authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70 | | Phòng\u202eTư pháp; Võ Văn Toàn | TP | 30"},
        "authors",
        "vị trí",
    ),
    ({"participants": "Lê Văn Hòa | a | b | c | d"}, "participants", "người tham gia thứ 1"),
    ({"participants": "Lê Văn Hòa | Xã A; lê văn hòa | xã a"}, "participants", "được ghi hai lần"),
    ({"participants": "; ".join(f"Người {n}" for n in range(51))}, "participants", "tối đa 50"),
    ({"investor": "x" * 301}, "investor", "300"),
    ({"investor": "UBND\x07huyện"}, "investor", "vị trí"),
    ({"not_excluded": "chắc vậy"}, "not_excluded", "không phải giá trị có/không"),
]


@pytest.mark.parametrize(("changes", "column", "words"), BAD)
def test_bad_new_columns_are_refused_naming_row_and_column(
    session: Session, cycle: Cycle, tmp_path: Path, changes: dict[str, str], column: str, words: str
) -> None:
    """Each wrong, duplicated, oversized or hostile value is refused at its row and column, and
    nothing of the file is stored."""
    # A line break inside a cell is tried in JSON, where it cannot split the row as in CSV.
    name = "xau.json" if any("\n" in v for v in changes.values()) else "xau.csv"
    path = write_rows(tmp_path / name, "initiatives", initiative(**changes))
    errors = rejected(session, cycle, path, "initiatives")
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{name}:{2 if name.endswith('.csv') else 1}:{column}"), errors
    assert words in errors[0], errors
    assert count(session, Initiative) == 0


def test_markup_is_kept_as_text_not_interpreted(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Markup in a workplace is ordinary text (documents and e-mails escape it when shown)."""
    row = initiative(
        authors="Võ Thị Ngọc Ánh | Chuyên viên | 70 | | <b>Phòng</b> & Tư pháp; Võ Văn Toàn | TP | 30"
    )
    import_file(session, cycle, write_rows(tmp_path / "m.csv", "initiatives", row), "initiatives")
    assert stored_initiative(session, ZALO_TITLE).authors[0].workplace == "<b>Phòng</b> & Tư pháp"


def test_missing_declaration_or_date_is_taken_but_cannot_be_recognized(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A unit may still send an initiative without a first application date or a declaration:
    it is stored, its receipt warns, and the conditions say why it cannot be recognized."""
    row = initiative(first_applied_on="", not_excluded="")
    result = import_file(
        session, cycle, write_rows(tmp_path / "thieu.csv", "initiatives", row), "initiatives"
    )
    stored = stored_initiative(session, ZALO_TITLE)
    (receipt,) = receipts(session, cycle, "initiatives", result.stored_ids)
    text = " ".join(receipt.text.split())
    assert "Lưu ý: sáng kiến dưới đây chưa đủ điều kiện công nhận theo Điều lệ Sáng kiến" in text
    assert f"- {ZALO_TITLE}: {NOT_APPLIED}; {NOT_DECLARED}." in text
    assert (stored.first_applied_on, stored.not_excluded) == (None, None)
    reasons = failed_conditions(
        stored.first_applied_on, stored.submitted_on, stored.not_excluded, cycle.configuration
    )
    assert reasons == (NOT_APPLIED, NOT_DECLARED)


def test_the_window_defaults_to_the_year_and_the_year_before(cycle: Cycle) -> None:
    """2023 and 2024 are inside for the 2024 cycle; 2022 is not; a cycle file can widen it."""
    config = cycle.configuration
    sent = date(2024, 6, 14)
    assert failed_conditions(date(2023, 1, 1), sent, True, config) == ()
    (outside,) = failed_conditions(date(2022, 12, 31), sent, True, config)
    assert outside == "ngày áp dụng lần đầu 31/12/2022 ngoài thời gian xét (từ 01/01/2023 đến 31/12/2024)"
    wider = config.model_copy(
        update={"conditions": config.conditions.model_copy(update={"applied_from": date(2020, 1, 1)})}
    )
    assert failed_conditions(date(2022, 12, 31), sent, True, wider) == ()
    assert failed_conditions(date(2024, 1, 2), sent, False, config) == (
        "tác giả không cam kết sáng kiến nằm ngoài các trường hợp bị loại trừ",
    )


def test_the_ui_form_takes_the_new_fields_and_checks_them_as_a_file_row() -> None:
    """The submission form carries the declaration, investor and participants; its authors take
    the long form; a header-injected author e-mail is refused as in a file."""
    fields = {
        "cycle": 2024,
        "unit_code": "VL-TP",
        "title": ZALO_TITLE,
        "solution_type": "operational",
        "field": "procedures",
        "authors": FULL_AUTHORS,
        "first_applied_on": date(2024, 1, 22),
        "solution": "Lập nhóm Zalo.",
        "effects": "Giải đáp nhanh.",
        "not_excluded": True,
        "investor": "UBND huyện Vĩnh Linh",
        "participants": PARTICIPANTS,
        "submitted_on": date(2024, 6, 14),
    }
    checked = InitiativeForm.model_validate(fields).submission()
    assert checked.model_dump()["not_excluded"] is True
    assert checked.model_dump()["authors"][0]["email"] == "anh.tp@vinhlinh.gov.vn"
    bad = fields | {"authors": FULL_AUTHORS.replace("anh.tp@vinhlinh.gov.vn", "a@b.vn\nBcc: x@y.vn")}
    with pytest.raises(ValueError, match="xuống dòng"):
        InitiativeForm.model_validate(bad).submission()
