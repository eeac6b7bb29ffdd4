"""Text rules: the gate every text passes, Unicode NFC, folding for comparison, dates, codes.

Vietnamese arrives precomposed (NFC), decomposed (NFD, from macOS and some web forms) and in old
spellings ("Hoà"/"Hòa"); it is stored in NFC and compared folded. Markup is kept as text: escaping
is the renderer's job, never the store's.

``clean_text`` is the one gate for text from imports, forms, the roster, the cycle file and the
chair's approval. It refuses what no official text needs and what breaks or spoofs what is built
from it: control characters (and line breaks in one-line fields), code points XML cannot carry and
Unicode noncharacters (a .docx or .xlsx with one cannot be opened), lone surrogates, bidirectional
controls (U+202E shows a name backwards), invisible characters (U+200B makes a duplicate title look
new) and, in one-line fields, MIME encoded words (``=?utf-8?q?…?=``, which a mail client decodes
in a name into something else).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

_SPACES = re.compile(r"\s+")
# C0/C1 controls except tab and newline, plus the Unicode line and paragraph separators.
_FORBIDDEN_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_FORBIDDEN_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Surrogates, noncharacters (U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane): XML cannot carry
# them and no text needs them.
_INVALID = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
    + "]"
)
# Bidirectional controls, and invisible characters (zero-width spaces and joiners, word joiner,
# a byte order mark inside text, the soft hyphen, the Mongolian vowel separator).
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]")
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

TRUE_WORDS = frozenset({"yes", "true", "1", "co", "x"})
FALSE_WORDS = frozenset({"no", "false", "0", "khong"})


def nfc(value: str) -> str:
    """The NFC form (Vietnamese precomposed)."""
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Lower case, no diacritics, đ as d, single spaces: for matching labels and headers."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", bare).strip().casefold()


def title_key(value: str) -> str:
    """The key duplicates are found on: NFC, case-folded, whitespace collapsed (accents kept).

    Old-style tone placement ("Hoà" vs "Hòa") differs in NFC too; both spellings are in use,
    so the key also moves the tone mark to the modern position for the common pairs.
    """
    # NFKC also folds compatibility forms (full-width letters, ligatures) the gate lets through.
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()
    for old, new in _OLD_TONE_PLACEMENT.items():
        text = text.replace(old, new)
    return text


_OLD_TONE_PLACEMENT = {
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}


def xml_unsafe(value: str) -> bool:
    """Whether ``value`` holds what an XML file (.docx, .xlsx) cannot carry."""
    return bool(_INVALID.search(value) or _FORBIDDEN_MULTILINE.search(value))


def clean_text(value: str, *, multiline: bool) -> str:
    """NFC, trimmed; CRLF becomes LF. Raises ValueError naming what was found and where.

    A single-line field (a name, a title, an address) refuses line breaks too: they are how a
    header is injected into an e-mail, and no title needs one.
    """
    text = nfc(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    checks = (
        (_INVALID, "ký tự không hợp lệ"),
        (_FORBIDDEN_MULTILINE if multiline else _FORBIDDEN_LINE, "ký tự điều khiển"),
        (_BIDI, "ký tự điều khiển hướng chữ"),
        (_INVISIBLE, "ký tự vô hình"),
    )
    for pattern, what in checks:
        found = pattern.search(text)
        if found:
            char = found.group()
            shown = "xuống dòng" if char == "\n" else f"{what} U+{ord(char):04X}"
            raise ValueError(f"có {shown} ở vị trí {found.start() + 1}; hãy xóa ký tự này")
    if not multiline:
        encoded = _ENCODED_WORD.search(text)
        if encoded:
            raise ValueError(
                f"có chuỗi mã hóa tiêu đề thư {encoded.group()!r} ở vị trí {encoded.start() + 1}; "
                "hãy ghi tên bằng chữ thường"
            )
    return text


def parse_date(value: object) -> date:
    """A date from ``YYYY-MM-DD``, ``DD/MM/YYYY`` (day first, as Vietnam writes) or a cell value."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, order in ((_ISO, (0, 1, 2)), (_DMY, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(p) for p in match.groups()]
            year, month, day = (parts[i] for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"ngày không tồn tại: {text!r}") from None
    raise ValueError(f"ngày {text!r} không đúng định dạng; hãy ghi YYYY-MM-DD hoặc DD/MM/YYYY")


def parse_bool(value: object) -> bool:
    """yes/no, true/false, 1/0, có/không, in any case, with or without diacritics."""
    if isinstance(value, bool):
        return value
    word = fold(str(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{value!r} không phải giá trị có/không; hãy ghi có hoặc không (yes/no)")


def parse_code(value: object, labels: dict[str, str], what: str) -> str:
    """A coded value given as its code or its Vietnamese label (folded); ``labels`` maps code→label."""
    word = fold(str(value))
    for code, label in labels.items():
        if word in (code, fold(label)) or word in (fold(a) for a in label.split("|")):
            return code
    allowed = ", ".join(f"{code} ({label.split('|')[0]})" for code, label in labels.items())
    raise ValueError(f"{what} {value!r} không hợp lệ; hãy chọn một trong: {allowed}")


def parse_email(value: object) -> str:
    """An e-mail address as a maintained validator (``email-validator``) accepts it, lower case;
    ``x@-.-`` or ``a..b@example.org`` is refused with the form to use."""
    from email_validator import EmailNotValidError, validate_email  # its DNS data loads lazily

    text = clean_text(str(value), multiline=False)
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise ValueError(f"địa chỉ thư {text!r} không hợp lệ; hãy ghi dạng ten@coquan.gov.vn") from None
    return checked.normalized.lower()
