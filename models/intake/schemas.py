"""Submission schemas: what a unit, a form in the Prefect UI, the CLI or an import row gives.

Frozen Pydantic models with bounds. Text is NFC with control characters refused; coded values
accept the code or the Vietnamese label (docs/domain.md §9). Rules that need the database (is
the unit in the cycle, is it a duplicate, is it late) live in ``models.intake``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from models.text import clean_text, parse_bool, parse_code, parse_date, parse_email, title_key

KIND_LABELS = {
    "agency": "cơ quan chuyên môn",
    "public_service_unit": "đơn vị sự nghiệp",
    "commune": "UBND xã, phường, thị trấn|UBND xã|UBND phường|UBND thị trấn|xã|phường|thị trấn",
    "office": "Văn phòng HĐND và UBND|Văn phòng HĐND&UBND|Văn phòng",
}
SOLUTION_TYPE_LABELS = {
    "technical": "kỹ thuật",
    "management": "quản lý",
    "operational": "tác nghiệp",
    "applied_technology": "ứng dụng tiến bộ kỹ thuật",
}
FIELD_LABELS = {
    "institutions": "thể chế",
    "procedures": "thủ tục hành chính|TTHC",
    "apparatus": "tổ chức bộ máy",
    "civil_service": "công vụ",
    "public_finance": "tài chính công",
    "digital_government": "chính phủ số",
}
APPLIED_AFTER_SUBMITTED = "ngày áp dụng lần đầu sau ngày gửi; sáng kiến phải đã được áp dụng"
MAX_AUTHORS = 20

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _line(value: object) -> str:
    return clean_text(str(value), multiline=False)


def _para(value: object) -> str:
    return clean_text(str(value), multiline=True)


def _code(value: object) -> str:
    text = _line(value)
    if not _CODE.match(text):
        raise ValueError(f"mã {text!r} chỉ được gồm chữ không dấu, số, dấu chấm, gạch ngang")
    return text


def _emails(value: object) -> str:
    """Several addresses separated by ';' or ',' (a unit's alternates), lower case, "; "-joined."""
    addresses = [parse_email(part) for part in re.split(r"[;,\s]+", _line(value)) if part]
    if not addresses:
        raise ValueError("hãy ghi ít nhất một địa chỉ thư, các địa chỉ cách nhau bằng dấu ;")
    return "; ".join(dict.fromkeys(addresses))


def _optional_flag(value: object) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_bool(value)


def _share(value: object) -> Decimal:
    text = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        share = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"tỷ lệ đóng góp {value!r} không phải số") from None
    if not share.is_finite():
        raise ValueError(f"tỷ lệ đóng góp {value!r} không phải số")
    if not Decimal(0) < share <= Decimal(100):
        raise ValueError(f"tỷ lệ đóng góp {share} phải lớn hơn 0 và không quá 100")
    if share != share.quantize(Decimal("0.01")):
        # Stored as NUMERIC(5,2): a finer share would be rounded on PostgreSQL and no longer add up.
        raise ValueError(f"tỷ lệ đóng góp {share} có quá 2 chữ số thập phân; hãy làm tròn đến 0,01")
    return share


Code = Annotated[str, BeforeValidator(_code), Field(max_length=32)]
Line = Annotated[str, BeforeValidator(_line), Field(min_length=1, max_length=300)]
Title = Annotated[str, BeforeValidator(_line), Field(min_length=3, max_length=500)]
Para = Annotated[str, BeforeValidator(_para), Field(max_length=10_000)]
RequiredPara = Annotated[str, BeforeValidator(_para), Field(min_length=1, max_length=10_000)]
Email = Annotated[str, BeforeValidator(parse_email), Field(max_length=254)]
Emails = Annotated[str, BeforeValidator(_emails), Field(max_length=2000)]
Day = Annotated[date, BeforeValidator(parse_date)]
Flag = Annotated[bool, BeforeValidator(parse_bool)]
Kind = Annotated[
    Literal["agency", "public_service_unit", "commune", "office"],
    BeforeValidator(lambda v: parse_code(v, KIND_LABELS, "loại đơn vị")),
]
SolutionType = Annotated[
    Literal["technical", "management", "operational", "applied_technology"],
    BeforeValidator(lambda v: parse_code(v, SOLUTION_TYPE_LABELS, "loại giải pháp")),
]
ReformField = Annotated[
    Literal[
        "institutions",
        "procedures",
        "apparatus",
        "civil_service",
        "public_finance",
        "digital_government",
    ],
    BeforeValidator(lambda v: parse_code(v, FIELD_LABELS, "lĩnh vực")),
]


class Schema(BaseModel):
    """Frozen, unknown fields refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class UnitIn(Schema):
    code: Code
    name: Line
    kind: Kind
    email: Email | None = None
    alternate_emails: Emails | None = None
    head_name: Line | None = None
    head_title: Line | None = None
    parent_code: Code | None = None
    successor_code: Code | None = None


# The application form's columns of an author (Circular 18/2013, annex I), in the order an
# ``authors`` cell gives them; the first three are required, the rest may be left out or empty.
AUTHOR_PARTS = ("name", "title", "share", "birth_date", "workplace", "qualification", "email")
AUTHOR_FORMAT = (
    "'Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác | trình độ chuyên môn | thư điện tử' "
    "(bốn mục sau có thể bỏ trống)"
)
PARTICIPANT_PARTS = ("name", "workplace", "title", "part")
PARTICIPANT_FORMAT = "'Họ tên | nơi công tác | chức danh | nội dung tham gia'"
MAX_PARTICIPANTS = 50


def _optional_email(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return parse_email(text) if text else None


def _optional_day(value: object) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


Blankable = Annotated[str, BeforeValidator(_line), Field(max_length=300)]
# What a certificate prints must leave it one page: a workplace or a qualification is a phrase.
Phrase = Annotated[str, BeforeValidator(_line), Field(max_length=150)]


class AuthorIn(Schema):
    name: Line
    title: Line  # the form's "chức danh" (position)
    share: Annotated[Decimal, BeforeValidator(_share)]
    birth_date: Annotated[date | None, BeforeValidator(_optional_day)] = None
    workplace: Phrase = ""
    qualification: Phrase = ""
    email: Annotated[str | None, BeforeValidator(_optional_email), Field(max_length=254)] = None

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= datetime.now(UTC).date():
            raise ValueError(f"ngày sinh {value:%d/%m/%Y} không hợp lệ")
        return value


class ParticipantIn(Schema):
    """A person who took part in the first application (not an author)."""

    name: Line
    workplace: Blankable = ""
    title: Blankable = ""
    part: Blankable = ""


def _split(value: str, parts: tuple[str, ...], required: int, what: str, form: str) -> list[dict[str, str]]:
    """``a | b | c; a | b | c`` into dicts of ``parts`` (the last ones may be left out)."""
    found = []
    for number, chunk in enumerate(p for p in value.split(";") if p.strip()):
        cells = [p.strip() for p in chunk.split("|")]
        if not required <= len(cells) <= len(parts):
            raise ValueError(
                f"{what} thứ {number + 1} ({chunk.strip()!r}) phải có dạng {form}; "
                f"các {what} cách nhau bằng dấu ;"
            )
        found.append({k: v for k, v in zip(parts, cells, strict=False) if v or k in parts[:required]})
    return found


def _authors(value: object) -> object:
    """``Name | title | percent[| born | workplace | qualification | e-mail]; …`` into authors."""
    if not isinstance(value, str):
        return value
    authors = _split(value, AUTHOR_PARTS, 3, "tác giả", AUTHOR_FORMAT)
    if not authors:
        raise ValueError(f"phải có ít nhất một tác giả, dạng {AUTHOR_FORMAT}")
    if len(authors) > MAX_AUTHORS:
        raise ValueError(f"có {len(authors)} tác giả, tối đa {MAX_AUTHORS}")
    return authors


def _participants(value: object) -> object:
    """``Name | workplace | position | part; …`` into the first application's participants."""
    if value is None:
        return ()
    if not isinstance(value, str):
        return value
    found = _split(value, PARTICIPANT_PARTS, 1, "người tham gia", PARTICIPANT_FORMAT)
    if len(found) > MAX_PARTICIPANTS:
        raise ValueError(f"có {len(found)} người tham gia áp dụng lần đầu, tối đa {MAX_PARTICIPANTS}")
    return found


def _distinct_people(people: tuple[ParticipantIn, ...]) -> tuple[ParticipantIn, ...]:
    """A participant written twice (same name and workplace) is a copying slip. Two authors may
    share a name (a common one in a commune), so authors are not refused on it."""
    keys = [(title_key(p.name), title_key(p.workplace)) for p in people]
    twice = next((p.name for p, k in zip(people, keys, strict=True) if keys.count(k) > 1), None)
    if twice is not None:
        raise ValueError(f"{twice!r} được ghi hai lần; mỗi người chỉ ghi một lần")
    return people


def _shares_add_up(authors: tuple[AuthorIn, ...]) -> tuple[AuthorIn, ...]:
    total = sum((a.share for a in authors), Decimal(0))
    if total != Decimal(100):
        raise ValueError(f"tổng tỷ lệ đóng góp của các tác giả là {total}%, phải bằng 100%")
    return authors


Authors = Annotated[
    tuple[AuthorIn, ...],
    BeforeValidator(_authors),
    Field(min_length=1, max_length=MAX_AUTHORS),
    AfterValidator(_shares_add_up),
]
Participants = Annotated[
    tuple[ParticipantIn, ...],
    BeforeValidator(_participants),
    Field(max_length=MAX_PARTICIPANTS),
    AfterValidator(_distinct_people),
]


class InitiativeIn(Schema):
    unit_code: Code
    title: Title
    solution_type: SolutionType
    field: ReformField
    authors: Authors
    scope: Para = ""
    before: Para = ""
    solution: RequiredPara
    novelty: Para = ""
    effects: RequiredPara
    replicable: Flag
    # The declaration that the subject is not a case excluded from recognition (Decree 13/2012,
    # art. 4), with the authors' undertaking; empty: not declared, so it cannot be recognized.
    not_excluded: Annotated[bool | None, BeforeValidator(_optional_flag)] = None
    investor: Blankable = ""
    participants: Participants = ()
    submitted_on: Day | None = None
    # After submitted_on, so that its check can see the submission date and name this column.
    first_applied_on: Day | None = None

    @field_validator("first_applied_on")
    @classmethod
    def _applied_before_submitted(cls, value: date | None, info: ValidationInfo) -> date | None:
        submitted = info.data.get("submitted_on")
        if value and submitted and value > submitted:
            raise ValueError(APPLIED_AFTER_SUBMITTED)
        return value


class ReportIn(Schema):
    unit_code: Code
    initiative_title: Annotated[str, BeforeValidator(_line), Field(max_length=500)] = ""
    organisation: Para = ""
    results: RequiredPara
    assessment: Para = ""
    proposals: Para = ""
    submitted_on: Day | None = None


# A unit's answer for one replicated initiative: applied, or not (yet) applied with a reason.
APPLICATION_LABELS = {"applied": "đã áp dụng|áp dụng|có", "not_applied": "chưa áp dụng|không áp dụng|chưa"}
NOT_APPLIED_NEEDS_REASON = 'sáng kiến "chưa áp dụng" phải nêu lý do chưa áp dụng ở cột này'
APPLIED_NEEDS = (
    'bắt buộc khi sáng kiến đã áp dụng; nếu đơn vị chưa áp dụng, hãy ghi "chưa áp dụng" '
    "ở cột Tình trạng áp dụng và nêu lý do"
)


class ReplicationIn(Schema):
    unit_code: Code
    replicated_code: Code
    # Before the texts, so that their checks see it.
    status: Annotated[
        Literal["applied", "not_applied"],
        BeforeValidator(lambda v: parse_code(v, APPLICATION_LABELS, "tình trạng áp dụng")),
    ] = "applied"
    started_on: Day | None = None
    how_applied: Para = Field(default="", validate_default=True)
    dossiers: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    results: Para = Field(default="", validate_default=True)
    problems: Para = ""
    reason: Para = Field(default="", validate_default=True)
    submitted_on: Day | None = None

    @field_validator("how_applied", "results")
    @classmethod
    def _needed_when_applied(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("status", "applied") == "applied" and not value:
            raise ValueError(APPLIED_NEEDS)
        return value

    @field_validator("reason")
    @classmethod
    def _reason_when_not_applied(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("status") == "not_applied" and not value:
            raise ValueError(NOT_APPLIED_NEEDS_REASON)
        return value


Points = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]


class ReviewIn(Schema):
    initiative_id: Annotated[int, Field(ge=1)]
    member: Line
    novelty: Points
    applicability: Points
    effectiveness: Points
    approve: Flag
    comment: Para = ""
