"""Text rules: NFC storage, folded comparison, control characters, dates, booleans and coded values."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.text import clean_text, fold, nfc, parse_bool, parse_code, parse_date, title_key

VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
vietnamese_text = st.text(alphabet=VIETNAMESE_LETTERS + "  ", max_size=60)

LABELS = {
    "technical": "kỹ thuật",
    "operational": "tác nghiệp",
    "commune": "UBND xã, phường, thị trấn|UBND xã|xã",
}


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# --- nfc, fold, title_key ---------------------------------------------------------------------


def test_nfc_composes_decomposed_vietnamese() -> None:
    """Text from macOS or a web form (NFD) is stored precomposed."""
    decomposed = nfd("Ủy ban nhân dân huyện Vĩnh Linh")
    assert decomposed != "Ủy ban nhân dân huyện Vĩnh Linh"
    assert nfc(decomposed) == "Ủy ban nhân dân huyện Vĩnh Linh"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_drops_diacritics_case_and_extra_spaces() -> None:
    """fold is what labels and headers are matched on: no accents, đ as d, lower case, single spaces."""
    assert fold("  Đường   Lê  Lợi ") == "duong le loi"
    assert fold("TÊN SÁNG KIẾN") == fold("ten sang kien") == "ten sang kien"
    assert fold(nfd("Mã đơn vị")) == "ma don vi"


@pytest.mark.parametrize(
    ("old_style", "modern"),
    [
        ("Hoà", "Hòa"),
        ("Thuỷ", "Thủy"),
        ("Khoẻ", "Khỏe"),
        ("Hoá đơn điện tử", "Hóa đơn điện tử"),
        ("Phường Đông Thuỵ", "Phường Đông Thụy"),
    ],
)
def test_title_key_old_and_modern_tone_placement_match(old_style: str, modern: str) -> None:
    """Old-style tone placement ("Hoà", "Thuỷ") and modern ("Hòa", "Thủy") give the same key."""
    assert old_style != modern
    assert title_key(old_style) == title_key(modern)


def test_title_key_folds_case_and_whitespace_but_keeps_accents() -> None:
    """Duplicates are found regardless of case and spacing, but "Ma" and "Mã" stay distinct."""
    assert title_key("  Cải  cách   THỦ TỤC\thành chính ") == title_key("cải cách thủ tục hành chính")
    assert title_key("cải cách thủ tục hành chính") == "cải cách thủ tục hành chính"
    assert title_key("Ma") != title_key("Mã")


def test_title_key_is_the_same_for_nfd_and_nfc() -> None:
    """A title typed on macOS (NFD) is a duplicate of the same title typed on Windows (NFC)."""
    title = "Ứng dụng chữ ký số trong giải quyết thủ tục hành chính"
    assert title_key(nfd(title)) == title_key(title)


@given(vietnamese_text)
def test_title_key_is_idempotent(value: str) -> None:
    """Keying a key changes nothing."""
    assert title_key(title_key(value)) == title_key(value)


@given(vietnamese_text)
def test_title_key_ignores_normal_form_and_case(value: str) -> None:
    """NFC, NFD, upper and lower case of Vietnamese text all give one key."""
    key = title_key(value)
    assert title_key(nfd(value)) == key
    assert title_key(nfc(value)) == key
    assert title_key(value.upper()) == key
    assert title_key(value.lower()) == key
    assert title_key(nfd(value.upper())) == key


# --- clean_text --------------------------------------------------------------------------------


def test_clean_text_stores_nfc_trimmed() -> None:
    """NFD input comes back precomposed and without surrounding spaces."""
    assert clean_text(nfd("  Văn phòng HĐND và UBND  "), multiline=False) == "Văn phòng HĐND và UBND"


def test_clean_text_multiline_turns_crlf_and_cr_into_lf() -> None:
    """A paragraph keeps its line breaks, normalised to LF; tabs are allowed in paragraphs."""
    assert (
        clean_text("Dòng 1\r\nDòng 2\rDòng 3\n\tDòng 4", multiline=True) == "Dòng 1\nDòng 2\nDòng 3\n\tDòng 4"
    )


def test_clean_text_keeps_markup_as_text() -> None:
    """Markup is stored as typed; escaping is the renderer's job."""
    text = '<script>alert(1)</script> =HYPERLINK("http://x.vn","y")'
    assert clean_text(text, multiline=False) == text


@pytest.mark.parametrize(
    ("value", "code", "position"),
    [
        ("ab\x00c", "U+0000", 3),
        ("\x1b[31mđỏ", "U+001B", 1),
        ("Tên\x7f", "U+007F", 4),
        ("Dòng\u2028hai", "U+2028", 5),
        ("a\u2029b", "U+2029", 2),
        ("x\x85y", "U+0085", 2),
    ],
)
@pytest.mark.parametrize("multiline", [False, True])
def test_clean_text_refuses_control_characters_naming_the_position(
    value: str, code: str, position: int, *, multiline: bool
) -> None:
    """A control character or Unicode line separator is refused, with its code point and 1-based position."""
    with pytest.raises(ValueError, match="ký tự điều khiển") as caught:
        clean_text(value, multiline=multiline)
    assert str(caught.value) == f"có ký tự điều khiển {code} ở vị trí {position}; hãy xóa ký tự này"


@pytest.mark.parametrize(
    ("value", "position"),
    [("Tên\nsáng kiến", 4), ("a@b.vn\r\nBcc: x@y.vn", 7), ("ab\rc", 3)],
)
def test_clean_text_single_line_refuses_line_breaks(value: str, position: int) -> None:
    """A name, title or e-mail refuses CR/LF (header injection), saying where the break is."""
    with pytest.raises(ValueError, match="xuống dòng") as caught:
        clean_text(value, multiline=False)
    assert str(caught.value) == f"có xuống dòng ở vị trí {position}; hãy xóa ký tự này"


def test_clean_text_single_line_refuses_tab() -> None:
    """A tab inside a single-line field is a control character there."""
    with pytest.raises(ValueError, match=r"U\+0009 ở vị trí 2"):
        clean_text("a\tb", multiline=False)


@given(st.text(), st.booleans())
def test_clean_text_never_returns_a_control_character(value: str, multiline: bool) -> None:
    """Whatever is accepted is NFC and holds no control character (paragraphs: only LF and tab)."""
    try:
        cleaned = clean_text(value, multiline=multiline)
    except ValueError:
        return
    allowed = {"\n", "\t"} if multiline else set()
    for char in cleaned:
        assert char in allowed or unicodedata.category(char) != "Cc", repr(char)
        assert char not in "\u2028\u2029"
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()


@given(
    st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=20),
    st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x9f", "\u2028"]),
    st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=20),
)
def test_clean_text_names_the_position_of_any_control_character(
    before: str, control: str, after: str
) -> None:
    """The position in the message is where the character is in the (NFC) text."""
    with pytest.raises(ValueError, match="ký tự điều khiển") as caught:
        clean_text(before + control + after, multiline=True)
    assert f"U+{ord(control):04X} ở vị trí {len(nfc(before)) + 1};" in str(caught.value)


# --- parse_date ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("05/03/2024", date(2024, 3, 5)),
        ("5/3/2024", date(2024, 3, 5)),
        (" 31/12/2024 ", date(2024, 12, 31)),
        ("29/02/2024", date(2024, 2, 29)),
    ],
)
def test_parse_date_accepts_iso_and_day_first(text: str, expected: date) -> None:
    """YYYY-MM-DD and DD/MM/YYYY (also D/M/YYYY) are read day first, as Vietnam writes."""
    assert parse_date(text) == expected


def test_parse_date_accepts_spreadsheet_cell_values() -> None:
    """A real date cell (date or datetime) is taken as is."""
    assert parse_date(date(2024, 3, 5)) == date(2024, 3, 5)
    assert parse_date(datetime(2024, 3, 5, 14, 30)) == date(2024, 3, 5)  # noqa: DTZ001 - a naive spreadsheet cell


@pytest.mark.parametrize("text", ["31/02/2024", "29/02/2023", "2024-13-01", "2024-04-31", "00/01/2024"])
def test_parse_date_refuses_impossible_dates(text: str) -> None:
    """A well-formed but impossible date is refused as not existing."""
    with pytest.raises(ValueError, match="ngày không tồn tại") as caught:
        parse_date(text)
    assert str(caught.value) == f"ngày không tồn tại: {text!r}"


@pytest.mark.parametrize(
    "text", ["hôm qua", "", "2024/03/05", "05-03-2024", "5/3/24", "2024-3-5", "03.05.2024"]
)
def test_parse_date_refuses_garbage_saying_the_formats(text: str) -> None:
    """Anything else is refused with the two accepted formats."""
    with pytest.raises(ValueError, match="không đúng định dạng") as caught:
        parse_date(text)
    assert "hãy ghi YYYY-MM-DD hoặc DD/MM/YYYY" in str(caught.value)
    assert repr(text) in str(caught.value)


@given(st.dates())
def test_parse_date_round_trips_both_formats(day: date) -> None:
    """Any date written as YYYY-MM-DD, DD/MM/YYYY or D/M/YYYY reads back as itself."""
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year:04d}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day


# --- parse_bool, parse_code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("no", False),
        ("YES", True),
        ("true", True),
        ("false", False),
        ("True", True),
        ("1", True),
        ("0", False),
        ("có", True),
        ("không", False),
        ("CÓ", True),
        ("Không", False),
        ("co", True),
        ("khong", False),
        (nfd("có"), True),
        (" có ", True),
    ],
)
def test_parse_bool_accepts_english_vietnamese_and_digits(text: str, *, expected: bool) -> None:
    """yes/no, true/false, 1/0, có/không in any case, with or without diacritics."""
    assert parse_bool(text) is expected


def test_parse_bool_passes_real_booleans_through() -> None:
    """A boolean cell is its own value."""
    assert parse_bool(True) is True
    assert parse_bool(False) is False


@pytest.mark.parametrize("text", ["maybe", "", "2", "có thể"])
def test_parse_bool_refuses_other_words(text: str) -> None:
    """Anything else is refused, saying what to write."""
    with pytest.raises(ValueError, match="không phải giá trị có/không") as caught:
        parse_bool(text)
    assert "hãy ghi có hoặc không (yes/no)" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("technical", "technical"),
        ("TECHNICAL", "technical"),
        ("Kỹ thuật", "technical"),
        ("ky thuat", "technical"),
        ("Tác nghiệp", "operational"),
        ("tac nghiep", "operational"),
        (nfd("tác nghiệp"), "operational"),
        ("UBND xã", "commune"),
        ("ubnd xa", "commune"),
        ("UBND xã, phường, thị trấn", "commune"),
    ],
)
def test_parse_code_accepts_code_or_any_label(text: str, code: str) -> None:
    """A coded value is its code or one of its Vietnamese labels, with or without diacritics, any case."""
    assert parse_code(text, LABELS, "loại") == code


def test_parse_code_refuses_unknown_listing_the_allowed() -> None:
    """An unknown value is refused with each allowed code and its first label."""
    with pytest.raises(ValueError, match="không hợp lệ") as caught:
        parse_code("khác", LABELS, "loại giải pháp")
    assert str(caught.value) == (
        "loại giải pháp 'khác' không hợp lệ; hãy chọn một trong: "
        "technical (kỹ thuật), operational (tác nghiệp), commune (UBND xã, phường, thị trấn)"
    )
