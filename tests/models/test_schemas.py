"""Submission schemas through parse_rows: what is accepted; the row, column and message of a refusal."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import date
from decimal import Decimal
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from models.errors import RowError
from models.intake import (
    InitiativeIn,
    ReplicationIn,
    ReportIn,
    ReviewIn,
    SourceRow,
    UnitIn,
    parse_rows,
    required_columns,
)

M = TypeVar("M", bound=BaseModel)

FILE = "nop.xlsx"
ROW = 7
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/?x=1","Bấm vào đây")'
VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
FORMAT_HINT = (
    "phải có dạng 'Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác | trình độ chuyên môn | "
    "thư điện tử' (bốn mục sau có thể bỏ trống); các tác giả cách nhau bằng dấu ;"
)

UNIT = {"code": "XA01", "name": "UBND xã Vĩnh Thái", "kind": "commune"}
INITIATIVE = {
    "unit_code": "XA01",
    "title": "Số hóa hồ sơ một cửa",
    "solution_type": "operational",
    "field": "procedures",
    "authors": "Nguyễn Văn An | Chủ tịch | 60; Lê Thị Bình | Công chức văn phòng | 40",
    "solution": "Quét và lưu hồ sơ trên phần mềm một cửa.",
    "effects": "Giảm thời gian tra cứu hồ sơ.",
    "replicable": "có",
}
REPORT = {"unit_code": "XA01", "results": "Đã triển khai tại bộ phận một cửa."}
REPLICATION = {
    "unit_code": "XA01",
    "replicated_code": "SK-2023-01",
    "how_applied": "Áp dụng nguyên trạng.",
    "results": "Giải quyết đúng hạn 100% hồ sơ.",
}
REVIEW = {
    "initiative_id": "3",
    "member": "Trần Văn Cường",
    "novelty": "30",
    "applicability": "25.5",
    "effectiveness": "30",
    "approve": "có",
}


def parse(schema: type[M], cells: dict[str, str]) -> tuple[list[tuple[int, M]], list[RowError]]:
    """The rows parse_rows accepts and the errors it reports for one row numbered ROW."""
    errors: list[RowError] = []
    parsed = parse_rows([SourceRow(ROW, cells)], schema, FILE, errors)
    return parsed, errors


def accepted(schema: type[M], cells: dict[str, str]) -> M:
    """The model for a row that must be accepted."""
    parsed, errors = parse(schema, cells)
    assert errors == [], [str(e) for e in errors]
    assert [number for number, _ in parsed] == [ROW]
    return parsed[0][1]


def refusals(schema: type[BaseModel], cells: dict[str, str]) -> list[tuple[str, str]]:
    """The (column, message) of each error for a row that must be refused; every one at ROW in FILE."""
    parsed, errors = parse(schema, cells)
    assert parsed == []
    assert errors, "the row was accepted"
    assert {(e.file, e.row) for e in errors} == {(FILE, ROW)}
    return [(e.column, e.message) for e in errors]


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# --- accepted rows --------------------------------------------------------------------------------


def test_valid_rows_of_every_kind_are_accepted() -> None:
    """A complete, correct row of each kind gives its typed model."""
    unit = accepted(UnitIn, {**UNIT, "email": "VanThu@VinhThai.Gov.vn", "parent_code": "HUYEN"})
    assert (unit.code, unit.kind, unit.email, unit.parent_code) == (
        "XA01",
        "commune",
        "vanthu@vinhthai.gov.vn",
        "HUYEN",
    )
    initiative = accepted(
        InitiativeIn, {**INITIATIVE, "first_applied_on": "01/03/2024", "submitted_on": "2024-11-20"}
    )
    assert initiative.first_applied_on == date(2024, 3, 1)
    assert initiative.submitted_on == date(2024, 11, 20)
    assert initiative.replicable is True
    assert [(a.name, a.title, a.share) for a in initiative.authors] == [
        ("Nguyễn Văn An", "Chủ tịch", Decimal(60)),
        ("Lê Thị Bình", "Công chức văn phòng", Decimal(40)),
    ]
    assert accepted(ReportIn, REPORT).results == "Đã triển khai tại bộ phận một cửa."
    assert accepted(ReplicationIn, {**REPLICATION, "dossiers": "120"}).dossiers == 120
    review = accepted(ReviewIn, REVIEW)
    assert (review.initiative_id, review.applicability, review.approve) == (3, Decimal("25.5"), True)


def test_valid_rows_are_kept_and_bad_rows_reported_by_number() -> None:
    """In one file, each bad row is reported at its own number; good rows are still parsed."""
    errors: list[RowError] = []
    rows = [SourceRow(2, REPORT), SourceRow(3, {"unit_code": "XA02"}), SourceRow(4, REPORT)]
    parsed = parse_rows(rows, ReportIn, FILE, errors)
    assert [number for number, _ in parsed] == [2, 4]
    assert [str(e) for e in errors] == [f"{FILE}:3:results: bắt buộc, không được để trống"]


# --- required fields ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "columns"),
    [
        (UnitIn, ["code", "name", "kind"]),
        (
            InitiativeIn,
            ["unit_code", "title", "solution_type", "field", "authors", "solution", "effects", "replicable"],
        ),
        (ReportIn, ["unit_code", "results"]),
        # ReplicationIn: how_applied and results are required only when applied (test_replication_answers).
        (ReviewIn, ["initiative_id", "member", "novelty", "applicability", "effectiveness", "approve"]),
    ],
)
def test_every_missing_required_field_is_named(schema: type[BaseModel], columns: list[str]) -> None:
    """An empty row names each required column as mandatory; required_columns agrees."""
    assert refusals(schema, {}) == [(c, "bắt buộc, không được để trống") for c in columns]
    assert required_columns(schema) == frozenset(columns)


def test_unknown_field_refused() -> None:
    """A cell for a field the schema does not have is refused by its name."""
    assert refusals(ReportIn, {**REPORT, "ghi_chu": "x"}) == [("ghi_chu", "trường không được nhận")]


# --- lengths --------------------------------------------------------------------------------------


def test_title_of_500_characters_accepted() -> None:
    """The longest title allowed is 500 characters."""
    assert len(accepted(InitiativeIn, {**INITIATIVE, "title": "a" * 500}).title) == 500


def test_too_long_title_refused_in_characters() -> None:
    """A title over 500 characters is refused as too long, counted in characters (not "items")."""
    assert refusals(InitiativeIn, {**INITIATIVE, "title": "Sáng kiến " * 51}) == [
        ("title", "quá dài (tối đa 500 ký tự)")
    ]


def test_too_short_title_refused_in_characters() -> None:
    """A title under 3 characters (after trimming) is refused as too short."""
    assert refusals(InitiativeIn, {**INITIATIVE, "title": " ab "}) == [
        ("title", "quá ngắn (tối thiểu 3 ký tự)")
    ]


def test_too_long_unit_name_refused_in_characters() -> None:
    """A single-line field over 300 characters is refused as too long."""
    assert refusals(UnitIn, {**UNIT, "name": "x" * 301}) == [("name", "quá dài (tối đa 300 ký tự)")]


# --- authors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ("Nguyễn Văn An | 100", f"tác giả thứ 1 ('Nguyễn Văn An | 100') {FORMAT_HINT}"),
        (
            "Nguyễn Văn An | Chủ tịch | 100 | | | | | x",
            f"tác giả thứ 1 ('Nguyễn Văn An | Chủ tịch | 100 | | | | | x') {FORMAT_HINT}",
        ),
        (
            "Nguyễn Văn An | Chủ tịch | 50; Lê Thị Bình, công chức, 50",
            f"tác giả thứ 2 ('Lê Thị Bình, công chức, 50') {FORMAT_HINT}",
        ),
        ("Nguyễn Văn An | Chủ tịch | năm mươi", "tỷ lệ đóng góp 'năm mươi' không phải số"),
        (
            ";",
            (
                "phải có ít nhất một tác giả, dạng 'Họ tên | chức danh | tỷ lệ % | ngày sinh | "
                "nơi công tác | "
                "trình độ chuyên môn | thư điện tử' (bốn mục sau có thể bỏ trống)"
            ),
        ),
        ("; ".join(f"Tác giả {i} | Công chức | 5" for i in range(21)), "có 21 tác giả, tối đa 20"),
    ],
)
def test_authors_format_errors_are_explained(authors: str, message: str) -> None:
    """A malformed authors cell is refused in the authors column, saying which author and the format."""
    assert refusals(InitiativeIn, {**INITIATIVE, "authors": authors}) == [("authors", message)]


def test_shares_not_adding_up_to_100_refused() -> None:
    """60 + 30 is refused with the total found."""
    authors = "Nguyễn Văn An | Chủ tịch | 60; Lê Thị Bình | Công chức | 30"
    assert refusals(InitiativeIn, {**INITIATIVE, "authors": authors}) == [
        ("authors", "tổng tỷ lệ đóng góp của các tác giả là 90%, phải bằng 100%")
    ]


def test_shares_with_percent_sign_and_decimal_comma_accepted() -> None:
    """ "60%", "25,5 %" and "14.5" are shares."""
    authors = "Nguyễn Văn An | Chủ tịch | 60%; Lê Thị Bình | Công chức | 25,5 %; Hồ Văn Cư | Văn thư | 14.5"
    initiative = accepted(InitiativeIn, {**INITIATIVE, "authors": authors})
    assert [a.share for a in initiative.authors] == [Decimal(60), Decimal("25.5"), Decimal("14.5")]


@pytest.mark.parametrize(("share", "shown"), [("0", "0"), ("150", "150"), ("-10", "-10"), ("0%", "0")])
def test_share_outside_0_to_100_refused(share: str, shown: str) -> None:
    """A share must be above 0 and at most 100."""
    assert refusals(InitiativeIn, {**INITIATIVE, "authors": f"Nguyễn Văn An | Chủ tịch | {share}"}) == [
        ("authors", f"tỷ lệ đóng góp {shown} phải lớn hơn 0 và không quá 100")
    ]


@pytest.mark.parametrize("share", ["NaN", "nan", "sNaN"])
def test_not_a_number_share_refused_not_crashing(share: str) -> None:
    """A share typed as "NaN" is a refusal in the authors column, not an unhandled exception."""
    errors = refusals(InitiativeIn, {**INITIATIVE, "authors": f"Nguyễn Văn An | Chủ tịch | {share}"})
    assert [column for column, _ in errors] == ["authors"]
    assert "tỷ lệ đóng góp" in errors[0][1]


@st.composite
def author_lists(draw: st.DrawFn) -> list[tuple[str, str, int]]:
    """1 to 20 authors with names and titles of Vietnamese letters and integer shares summing to 100."""
    count = draw(st.integers(min_value=1, max_value=20))
    cuts = sorted(
        draw(st.sets(st.integers(min_value=1, max_value=99), min_size=count - 1, max_size=count - 1))
    )
    bounds = [0, *cuts, 100]
    shares = [high - low for low, high in itertools.pairwise(bounds)]
    words = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=12)
    phrase = st.lists(words, min_size=1, max_size=4).map(" ".join)
    return [(draw(phrase), draw(phrase), share) for share in shares]


@given(author_lists(), st.booleans())
def test_authors_string_round_trips(authors: list[tuple[str, str, int]], percent: bool) -> None:
    """Any valid authors list written as 'Name | title | share; ...' parses back to the same list."""
    sign = "%" if percent else ""
    text = "; ".join(f"{name} | {title} | {share}{sign}" for name, title, share in authors)
    initiative = accepted(InitiativeIn, {**INITIATIVE, "authors": text})
    parsed = [(a.name, a.title, int(a.share)) for a in initiative.authors]
    assert parsed == authors
    assert "; ".join(f"{a.name} | {a.title} | {a.share}{sign}" for a in initiative.authors) == text


# --- coded values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_value", "code"),
    [
        ("Tác nghiệp", "operational"),
        ("tac nghiep", "operational"),
        ("TÁC NGHIỆP", "operational"),
        (nfd("tác nghiệp"), "operational"),
        ("Kỹ thuật", "technical"),
        ("quan ly", "management"),
        ("Ứng dụng tiến bộ kỹ thuật", "applied_technology"),
        ("applied_technology", "applied_technology"),
    ],
)
def test_solution_type_label_accepted(given_value: str, code: str) -> None:
    """The solution type may be its code or its Vietnamese label, with or without diacritics."""
    assert accepted(InitiativeIn, {**INITIATIVE, "solution_type": given_value}).solution_type == code


@pytest.mark.parametrize(
    ("given_value", "code"),
    [
        ("Chính phủ số", "digital_government"),
        ("chinh phu so", "digital_government"),
        ("Thủ tục hành chính", "procedures"),
        ("TTHC", "procedures"),
        ("Tài chính công", "public_finance"),
        ("to chuc bo may", "apparatus"),
        ("civil_service", "civil_service"),
    ],
)
def test_field_label_accepted(given_value: str, code: str) -> None:
    """The reform field may be its code or its Vietnamese label."""
    assert accepted(InitiativeIn, {**INITIATIVE, "field": given_value}).field == code


@pytest.mark.parametrize(
    ("given_value", "code"),
    [
        ("UBND xã", "commune"),
        ("ubnd xa", "commune"),
        ("UBND phường", "commune"),
        ("Thị trấn", "commune"),
        ("Cơ quan chuyên môn", "agency"),
        ("don vi su nghiep", "public_service_unit"),
        ("Văn phòng HĐND và UBND", "office"),
        ("office", "office"),
    ],
)
def test_unit_kind_label_accepted(given_value: str, code: str) -> None:
    """The unit kind may be its code or one of its Vietnamese labels."""
    assert accepted(UnitIn, {**UNIT, "kind": given_value}).kind == code


def test_unknown_solution_type_refused_listing_the_allowed() -> None:
    """An unknown solution type is refused with every code and its label."""
    assert refusals(InitiativeIn, {**INITIATIVE, "solution_type": "sáng tạo"}) == [
        (
            "solution_type",
            (
                "loại giải pháp 'sáng tạo' không hợp lệ; hãy chọn một trong: technical (kỹ thuật), "
                "management (quản lý), operational (tác nghiệp), "
                "applied_technology (ứng dụng tiến bộ kỹ thuật)"
            ),
        )
    ]


def test_unknown_field_code_refused_listing_the_allowed() -> None:
    """An unknown reform field is refused with the six fields."""
    ((column, message),) = refusals(InitiativeIn, {**INITIATIVE, "field": "y tế"})
    assert column == "field"
    assert message.startswith("lĩnh vực 'y tế' không hợp lệ; hãy chọn một trong: institutions (thể chế), ")
    assert message.endswith("digital_government (chính phủ số)")


def test_unknown_unit_kind_refused_listing_the_allowed() -> None:
    """An unknown unit kind is refused with the four kinds, each with its first label."""
    assert refusals(UnitIn, {**UNIT, "kind": "doanh nghiệp"}) == [
        (
            "kind",
            (
                "loại đơn vị 'doanh nghiệp' không hợp lệ; hãy chọn một trong: agency (cơ quan chuyên môn), "
                "public_service_unit (đơn vị sự nghiệp), commune (UBND xã, phường, thị trấn), "
                "office (Văn phòng HĐND và UBND)"
            ),
        )
    ]


@pytest.mark.parametrize("flag", ["maybe", "có thể", "2"])
def test_unknown_boolean_refused(flag: str) -> None:
    """'replicable' accepts only yes/no words."""
    assert refusals(InitiativeIn, {**INITIATIVE, "replicable": flag}) == [
        ("replicable", f"{flag!r} không phải giá trị có/không; hãy ghi có hoặc không (yes/no)")
    ]


# --- codes, e-mail, single-line text ---------------------------------------------------------------


@pytest.mark.parametrize("code", ["XA 01", "Mã01", "-XA", "XA/01"])
def test_code_with_spaces_or_diacritics_refused(code: str) -> None:
    """A unit code is plain letters, digits, dots and dashes."""
    assert refusals(ReportIn, {**REPORT, "unit_code": code}) == [
        ("unit_code", f"mã {code!r} chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang")
    ]


@pytest.mark.parametrize(
    "email", ["vanthu", "vanthu@", "van thu@vinhthai.gov.vn", "vanthu@vinhthai", "a@b@c.vn"]
)
def test_invalid_email_refused(email: str) -> None:
    """A malformed address is refused with an example of the right form."""
    assert refusals(UnitIn, {**UNIT, "email": email}) == [
        ("email", f"địa chỉ thư {email!r} không hợp lệ; hãy ghi dạng ten@coquan.gov.vn")
    ]


def test_email_header_injection_refused() -> None:
    """An address carrying CRLF and a Bcc header is refused at the line break."""
    assert refusals(UnitIn, {**UNIT, "email": "a@b.vn\r\nBcc: x@y.vn"}) == [
        ("email", "có xuống dòng ở vị trí 7; hãy xóa ký tự này")
    ]


def test_title_with_newline_refused() -> None:
    """A title is a single line."""
    assert refusals(InitiativeIn, {**INITIATIVE, "title": "Số hóa\nhồ sơ"}) == [
        ("title", "có xuống dòng ở vị trí 7; hãy xóa ký tự này")
    ]


def test_paragraphs_keep_line_breaks_but_refuse_control_characters() -> None:
    """A paragraph may span lines (CRLF becomes LF) but not hold a control character."""
    initiative = accepted(InitiativeIn, {**INITIATIVE, "solution": "Bước 1.\r\nBước 2."})
    assert initiative.solution == "Bước 1.\nBước 2."
    assert refusals(InitiativeIn, {**INITIATIVE, "effects": "Giảm\x00 thời gian"}) == [
        ("effects", "có ký tự điều khiển U+0000 ở vị trí 5; hãy xóa ký tự này")
    ]


def test_nfd_input_is_stored_as_nfc() -> None:
    """Decomposed text (macOS, web forms) is stored precomposed, in text and in authors."""
    title = "Ứng dụng chữ ký số trong giải quyết thủ tục"
    initiative = accepted(
        InitiativeIn,
        {**INITIATIVE, "title": nfd(title), "authors": nfd("Nguyễn Thị Thủy | Phó Chủ tịch | 100")},
    )
    assert initiative.title == title
    assert (initiative.authors[0].name, initiative.authors[0].title) == ("Nguyễn Thị Thủy", "Phó Chủ tịch")


def test_markup_is_kept_as_text() -> None:
    """Script tags and formulas are stored as typed; escaping belongs to the renderer."""
    initiative = accepted(InitiativeIn, {**INITIATIVE, "title": SCRIPT, "solution": FORMULA})
    assert (initiative.title, initiative.solution) == (SCRIPT, FORMULA)
    assert accepted(UnitIn, {**UNIT, "name": FORMULA}).name == FORMULA


# --- dates ----------------------------------------------------------------------------------------


def test_first_applied_after_submitted_refused_naming_a_date_column() -> None:
    """An initiative applied after it was submitted is refused, and the error names a date column."""
    errors = refusals(
        InitiativeIn, {**INITIATIVE, "first_applied_on": "21/11/2024", "submitted_on": "2024-11-20"}
    )
    assert [message for _, message in errors] == [
        "ngày áp dụng lần đầu sau ngày gửi; sáng kiến phải đã được áp dụng"
    ]
    assert errors[0][0] in {"first_applied_on", "submitted_on"}


def test_first_applied_on_the_day_of_submission_accepted() -> None:
    """Applied and submitted the same day is fine."""
    initiative = accepted(
        InitiativeIn, {**INITIATIVE, "first_applied_on": "20/11/2024", "submitted_on": "2024-11-20"}
    )
    assert initiative.first_applied_on == initiative.submitted_on == date(2024, 11, 20)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2024", "ngày không tồn tại: '31/02/2024'"),
        ("tháng 3", "ngày 'tháng 3' không đúng định dạng; hãy ghi YYYY-MM-DD hoặc DD/MM/YYYY"),
    ],
)
def test_bad_dates_refused(value: str, message: str) -> None:
    """Impossible and unreadable dates are refused in their column."""
    assert refusals(InitiativeIn, {**INITIATIVE, "first_applied_on": value}) == [
        ("first_applied_on", message)
    ]


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dossiers", "message"),
    [("-1", "phải lớn hơn hoặc bằng 0"), ("1.5", "phải là số nguyên"), ("nhiều", "phải là số nguyên")],
)
def test_bad_dossier_counts_refused(dossiers: str, message: str) -> None:
    """The number of dossiers is a whole number, not negative."""
    assert refusals(ReplicationIn, {**REPLICATION, "dossiers": dossiers}) == [("dossiers", message)]


@pytest.mark.parametrize(
    ("column", "points", "message"),
    [
        ("novelty", "100.5", "phải nhỏ hơn hoặc bằng 100"),
        ("novelty", "101", "phải nhỏ hơn hoặc bằng 100"),
        ("applicability", "-1", "phải lớn hơn hoặc bằng 0"),
        ("effectiveness", "12.345", "tối đa 2 chữ số thập phân"),
        ("effectiveness", "ba mươi", "phải là số (dùng dấu chấm thập phân)"),
    ],
)
def test_review_points_outside_0_to_100_refused(column: str, points: str, message: str) -> None:
    """Each score is between 0 and 100 with at most two decimals."""
    assert refusals(ReviewIn, {**REVIEW, column: points}) == [(column, message)]


def test_review_points_at_the_bounds_accepted() -> None:
    """0 and 100 are valid scores."""
    review = accepted(ReviewIn, {**REVIEW, "novelty": "0", "effectiveness": "100"})
    assert (review.novelty, review.effectiveness) == (Decimal(0), Decimal(100))


@pytest.mark.parametrize("points", ["NaN", "Infinity"])
def test_review_points_not_finite_refused_in_vietnamese(points: str) -> None:
    """'NaN' as a score is refused in its column with a Vietnamese message, not Pydantic's English."""
    ((column, message),) = refusals(ReviewIn, {**REVIEW, "novelty": points})
    assert column == "novelty"
    assert "Input should" not in message


def test_review_initiative_id_must_be_positive() -> None:
    """Initiative ids start at 1."""
    assert refusals(ReviewIn, {**REVIEW, "initiative_id": "0"}) == [
        ("initiative_id", "phải lớn hơn hoặc bằng 1")
    ]
