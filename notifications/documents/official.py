"""The parts of an official document (Decree 30/2020/NĐ-CP) and their body from a template.

A body template under ``notifications/templates/documents/`` writes one paragraph per line and
marks structure at the start of a line: ``[[h]]`` a centred bold heading, ``[[s]]`` a bold
section heading, ``[[a]]`` an article whose label alone is bold ("Điều 1." of "Điều 1. Công
nhận…"), ``[[i]]`` an italic line, ``[[c]]`` a centred line, ``[[table:NAME]]`` and
``[[image:NAME]]`` the table or chart of that name, ``[[break]]`` a new page, ``[[signature]]``
where recipients and signature go (default: the end; an annex follows them). Every value a
template prints is checked first (a control character is refused naming the field) and put on
one line, and ``[[`` in a value loses its meaning, so a unit's text can never change the layout.
Both renditions, .docx and HTML, are drawn from the same parts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined

from models.errors import InvalidInput
from models.text import clean_text, nfc
from notifications.templating import environment, ngay_chu, so

_MARK = re.compile(r"^\[\[(h|s|a|i|c|break|signature|table:[a-z_]+|image:[a-z_]+)\]\]\s*(.*)$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Table:
    """A table: header row, body rows and each column's share of the width (sums to 1)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    what: str = "bảng"  # what the rows are, for the message that refuses a cell

    def __post_init__(self) -> None:
        _gate_all(self, self.what, ("header",))
        rows = tuple(tuple(checked(self.what, c) for c in row) for row in self.rows)
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True, slots=True)
class Block:
    """One piece of the body: ``style`` is body, h, s, a, i, c, break, table or image."""

    @property
    def label(self) -> tuple[str, str]:
        """An article's bold label and the rest: ("Điều 1.", " Công nhận…")."""
        head, dot, rest = self.text.partition(".")
        return (head + dot, rest) if dot else ("", self.text)

    style: str
    text: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    """Who signs: ``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` lines, the title and the name."""

    authority_lines: tuple[str, ...]
    title: str
    name: str

    def __post_init__(self) -> None:
        _gate_all(self, "người ký", ("authority_lines", "title", "name"))


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """Everything a page of the national format shows, in the order it shows it."""

    slug: str
    governing_body: str
    issuer: str
    number: str
    place: str
    issued_on: date | None
    doc_type: str  # "" for a letter (công văn), whose subject is the "V/v" line
    subject: str
    addressees: tuple[str, ...]
    blocks: tuple[Block, ...]
    signature: Signature | None  # None: an attachment nobody signs (the outline)
    recipients: tuple[str, ...]
    # A second signer at left (the minutes: THƯ KÝ left, CHỦ TỊCH HỘI ĐỒNG right); the
    # recipients then follow below both.
    cosigner: Signature | None = None
    tables: Mapping[str, Table] = field(default_factory=dict)
    images: Mapping[str, bytes] = field(default_factory=dict)
    dated: bool = True  # False: the day and month are left for the records clerk to fill in
    headed: bool = True  # False: no header table (an attachment that opens with its own title)
    body_size: float = 14  # points; Decree 30 allows 13-14 (the certificate takes 13 to fit a page)

    def __post_init__(self) -> None:
        # Every value the document prints passes the text gate here (tables and signature in
        # theirs, the body through the template's finalize): none can carry what breaks a .docx.
        texts = (
            "governing_body",
            "issuer",
            "number",
            "place",
            "doc_type",
            "subject",
            "addressees",
            "recipients",
        )
        _gate_all(self, "văn bản", texts)

    @property
    def number_line(self) -> str:
        """``Số: 07/UBND-NV``; a number left to the records clerk (``/UBND-NV``) leaves room for
        it: ``Số:      /UBND-NV``."""
        if self.number.startswith("/"):
            return f"Số:{' ' * 6}{self.number}"
        return f"Số: {self.number}"

    @property
    def date_line(self) -> str:
        """``Vĩnh Linh, ngày 08 tháng 10 năm 2024``; undated: ``Vĩnh Linh, ngày    tháng    năm
        2024``, the year kept, day and month left for the clerk who numbers it."""
        if self.issued_on is None or not self.dated:
            year = f" {self.issued_on.year}" if self.issued_on else ""
            return f"{self.place}, ngày    tháng    năm{year}"
        return f"{self.place}, {ngay_chu(self.issued_on)}"


def _gate_all(item: object, what: str, names: tuple[str, ...]) -> None:
    """Pass the text fields ``names`` of a frozen ``item`` through the gate, in place."""
    for name in names:
        value = getattr(item, name)
        if isinstance(value, str):
            object.__setattr__(item, name, checked(what, value))
        else:
            object.__setattr__(item, name, tuple(checked(what, v) for v in value))


def checked(field_name: str, value: str) -> str:
    """A value for a document, NFC; a control character is refused naming the field."""
    try:
        return clean_text(value, multiline=True)
    except ValueError as exc:
        raise InvalidInput(f"{field_name}: {exc}; không thể lập văn bản") from None


def one_line(value: str) -> str:
    """A value on one line: line breaks and runs of spaces become one space."""
    return _SPACES.sub(" ", value).strip()


def printed(value: str) -> str:
    """A value as a body template prints it: checked, on one line, ``[[`` without its meaning."""
    return one_line(checked("nội dung", value)).replace("[[", "[ [")


def _finalize(value: Any) -> Any:
    return printed(value) if isinstance(value, str) else value


_ENV = environment(
    "documents",
    autoescape=False,  # the body becomes .docx runs and escaped HTML, never raw markup
    undefined=StrictUndefined,
    finalize=_finalize,
    trim_blocks=True,
    lstrip_blocks=True,
)


def body_blocks(template: str, context: Mapping[str, Any]) -> tuple[Block, ...]:
    """The body of ``template`` rendered with ``context``, as blocks."""
    text = nfc(_ENV.get_template(f"{template}.j2").render(dict(context)))
    blocks = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        found = _MARK.match(stripped)
        if found is None:
            blocks.append(Block("body", stripped))
            continue
        mark, rest = found.groups()
        kind, _, name = mark.partition(":")
        blocks.append(Block(kind, rest, name))
    return tuple(blocks)


def table(header: list[str], rows: list[list[Any]], widths: list[float], what: str) -> Table:
    """A table whose every cell is checked and made text (a number with a decimal comma)."""
    total = sum(widths)

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return so(value)
        return str(value)  # checked by Table itself, naming what it is of

    shares = [w / total for w in widths]
    # the row-number column holds two digits on one line (about 11 mm of the 165 mm text width)
    shares = [
        max(share, 0.065) if name == "TT" else share for name, share in zip(header, shares, strict=True)
    ]
    return Table(
        tuple(header),
        tuple(tuple(cell(v) for v in row) for row in rows),
        tuple(share / sum(shares) for share in shares),
        what,
    )
