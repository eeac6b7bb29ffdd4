"""The cycle configuration: one TOML file per cycle, validated here.

Every fact that changes with the province or the year lives in this file, never in code:
the authority, deadlines, reminder offsets, the escalation rule, review criteria, scoring points,
the replicated catalogue, numbering, signers, legal bases and the roster file.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from models.cycle.levels import Level, head_of, level_defaults
from models.text import clean_text, parse_email


def _gate(value: object, *, multiline: bool = False) -> str:
    return clean_text(str(value), multiline=multiline)


# Every text of the cycle file passes the same gate as a unit's (``models.text.clean_text``).
Text = Annotated[str, BeforeValidator(_gate), Field(min_length=1, max_length=500)]
OptionalText = Annotated[str, BeforeValidator(_gate), Field(max_length=500)]
Lines = Annotated[
    str, BeforeValidator(lambda v: _gate(v, multiline=True)), Field(min_length=1, max_length=500)
]
Address = Annotated[str, BeforeValidator(parse_email)]


def _fraction(value: object) -> Fraction:
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f'{value!r} không phải phân số; hãy ghi dạng "2/3"') from None
    if not 0 < share <= 1:
        raise ValueError(f"{value} phải lớn hơn 0 và không quá 1")
    return share


# "2/3" exactly: a decimal like 0.6667 would refuse 2 approvals out of 3.
Share = Annotated[Fraction, BeforeValidator(_fraction), PlainSerializer(str, return_type=str)]


class Strict(BaseModel):
    """Frozen, and an unknown key is an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class StandingOffice(Strict):
    """How the standing office (``authority.home_affairs``) signs every e-mail: its telephone and
    address, and the officer in charge when the office names one. E-mails carry no leader's
    signature: only the official letter attached to one is signed."""

    phone: OptionalText = ""
    email: Address | None = None  # default: ``authority.email``
    contact: OptionalText = ""  # "Chuyên viên phụ trách: Nguyễn Văn A"


UnitKind = Literal["agency", "public_service_unit", "commune", "office"]


class AuthorityConfig(Strict):
    """The authority that runs the cycle. Its ``level`` and the cycle's dates give the titles and
    names left empty here (``models.cycle.levels``); the loaded configuration has them filled."""

    code: Annotated[str, Field(min_length=1, max_length=32)]
    name: Text
    level: Level = "district"
    # The body above the issuer in a header. A People's Committee has none (Decree 30/2020,
    # annex I): "ỦY BAN NHÂN DÂN" over "HUYỆN VĨNH LINH"; a Sở or a Ban would have its UBND here.
    governing_body: OptionalText = ""
    place_name: Text
    home_affairs: OptionalText = ""  # Phòng Nội vụ, Sở Nội vụ, Phòng Văn hóa - Xã hội
    home_affairs_head: OptionalText = ""  # Trưởng phòng Nội vụ, Giám đốc Sở Nội vụ
    committee_office: OptionalText = ""  # Văn phòng HĐND và UBND, Văn phòng UBND tỉnh
    one_stop_shop: OptionalText = ""  # Bộ phận Một cửa, Trung tâm Phục vụ hành chính công
    commune_kinds: OptionalText = ""  # "xã, thị trấn"; after the reform "xã, phường, đặc khu"
    email: Address | None = None
    standing_office: StandingOffice = StandingOffice()


class Deadlines(Strict):
    """Each obligation's deadline by its code (``[deadlines] propose = 2024-08-31``), and whether
    "trước ngày X" includes X. The file writes them flat; they are held as a mapping."""

    dates: dict[str, date]
    inclusive: bool = True

    @model_validator(mode="before")
    @classmethod
    def _nest(cls, raw: Any) -> Any:
        if not isinstance(raw, dict) or "dates" in raw:
            return raw
        # Deferred: the registry's specs name the submission tables, which sit above this module.
        from models.intake import OBLIGATIONS

        # A key that is not an obligation stays beside the mapping, where it is refused by name.
        dates = {k: v for k, v in raw.items() if k in OBLIGATIONS}
        return {"dates": dates} | {k: v for k, v in raw.items() if k not in dates}

    @model_serializer(mode="wrap")
    def _flat(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        dates = data.pop("dates")
        return {**dates, **data}

    def __getitem__(self, obligation: str) -> date:
        return self.dates[obligation]

    @property
    def last(self) -> date:
        """The last deadline of the cycle: the council meets after it."""
        return max(self.dates.values())


class DayAdjustment(Strict):
    """One day the government declared off (or a working day), with where that comes from."""

    day: date
    reason: Text


class CalendarConfig(Strict):
    """The year's official adjustments to weekends and public holidays, and how deadlines roll."""

    days_off: tuple[DayAdjustment, ...] = ()
    working_days: tuple[DayAdjustment, ...] = ()
    # Civil Code 2015 art. 148(5): a deadline on a day off ends at the end of the next working day.
    roll_forward: bool = True
    # Reminders and overdue notices are not sent on a day off unless this says so.
    send_on_days_off: bool = False

    @model_validator(mode="after")
    def _no_overlap(self) -> CalendarConfig:
        both = {d.day for d in self.days_off} & {d.day for d in self.working_days}
        if both:
            days = ", ".join(f"{d:%d/%m/%Y}" for d in sorted(both))
            raise ValueError(f"calendar: ngày {days} vừa là ngày nghỉ vừa là ngày làm việc; hãy bỏ một")
        return self


class Extensions(Strict):
    """Requests for more time: whether one may come after the deadline has passed."""

    allow_late_requests: bool = False


class Escalation(Strict):
    days_after_deadline: int = Field(default=7, ge=0, le=180)
    new_deadline: date | None = None
    extension_days: int = Field(default=30, ge=1, le=365)
    obligations: tuple[str, ...] = ("propose",)
    # Whom the letter is addressed to: every unit bound by the escalated obligations (the seed's
    # practice), or only those overdue. Notices still go only to the overdue ones.
    addressees: Literal["bound", "overdue"] = "bound"
    # Above this many addressees the letter names "Các cơ quan, đơn vị có tên tại danh sách kèm
    # theo" and lists them in an annex.
    annex_above: int = Field(default=10, ge=1)


class Criterion(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    label: Text
    max_points: Decimal = Field(gt=0, le=100)


class CouncilSeat(Strict):
    name: Text
    role: Text
    unit_code: str | None = None
    email: Address | None = None


class CouncilDecision(Strict):
    """The decision that established the council, as the recognition decision cites it."""

    number: Text  # "150/QĐ-UBND"
    issued_on: date
    signer: Text  # who issued it: "Chủ tịch UBND huyện Vĩnh Linh"


class Review(Strict):
    criteria: tuple[Criterion, ...]
    approve_min_total: Decimal = Field(default=Decimal(50), ge=0)
    approve_requires_positive: str = "novelty"
    # The voting rule (``models.review.voting``): the threshold, "at_least" (từ … trở lên) or
    # "more_than" (trên), out of "eligible" (non-recused), "present" (sent a sheet) or "all"
    # members, decided once the quorum's share of the non-recused members has scored (none: all).
    recognize_fraction: Share = Fraction(2, 3)
    recognize_comparison: Literal["at_least", "more_than"] = "at_least"
    recognize_base: Literal["eligible", "present", "all"] = "eligible"
    quorum: Share | None = None
    council: tuple[CouncilSeat, ...] = ()
    council_decision: CouncilDecision | None = None
    response_days: int = Field(default=14, ge=1, le=90)
    decision_timeout_hours: float = Field(default=72, gt=0, le=24 * 30)

    @model_validator(mode="after")
    def _criteria_unique(self) -> Review:
        codes = [c.code for c in self.criteria]
        if len(set(codes)) != len(codes):
            raise ValueError("review.criteria: mỗi mã tiêu chí chỉ được khai một lần")
        return self


class Conditions(Strict):
    """The conditions for recognition (Decree 13/2012, art. 3-4): the window of the first
    application; empty bounds mean the cycle's year and the year before it."""

    applied_from: date | None = None
    applied_until: date | None = None

    def window(self, year: int) -> tuple[date, date]:
        """The first and last day a first application may fall on."""
        return (
            self.applied_from or date(year - 1, 1, 1),
            self.applied_until or date(year, 12, 31),
        )


class ObligationPoints(Strict):
    """Task-completion points of an obligation added to the registry (on time, late)."""

    on_time: Decimal = Field(ge=0)
    late: Decimal = Field(ge=0)


class TaskCompletionPoints(Strict):
    proposed_on_time: Decimal = Decimal(2)
    proposed_late: Decimal = Decimal(1)
    report_on_time: Decimal = Decimal(1)
    report_late: Decimal = Decimal("0.5")
    recognized: Decimal = Decimal(2)
    # Points of obligations beyond the directive's, by code: { progress = { on_time = 1, late = 0.5 } }
    obligations: dict[str, ObligationPoints] = {}


class CchcIndexPoints(Strict):
    recognized_and_applied: Decimal = Decimal("1.0")
    proposed_and_reported: Decimal = Decimal("0.5")
    per_replicated_on_time: Decimal = Decimal("0.2")
    # A replicated initiative the unit answered "chưa áp dụng" (with a reason), reported on time.
    per_not_applied: Decimal = Field(default=Decimal(0), ge=0)
    # The unit kinds that get CCHC-index lines; empty: from the authority's level (a district's
    # communes; a province's communes and departments).
    unit_kinds: tuple[UnitKind, ...] = ()


class Scoring(Strict):
    task_completion: TaskCompletionPoints = TaskCompletionPoints()
    cchc_index: CchcIndexPoints = CchcIndexPoints()
    # Which count of days late the score lines state: calendar days or working days.
    late_days: Literal["calendar", "working"] = "calendar"
    # How a submission within an approved extension scores: as on time (default) or as late.
    extension_counts_as: Literal["on_time", "late"] = "on_time"


# Who reports on a replicated initiative unless its entry says otherwise (the directive's).
REPLICATING_KINDS: tuple[UnitKind, ...] = ("office", "commune")


class ReplicatedItem(Strict):
    code: Annotated[str, Field(min_length=1, max_length=32)]
    title: Text
    # The unit kinds that apply it and report on it (``unit_kinds = ["commune"]``).
    unit_kinds: tuple[UnitKind, ...] = Field(default=REPLICATING_KINDS, min_length=1)


class Numbering(Strict):
    # "blank": the records clerk (văn thư) takes the number and date from the register when the
    # leader signs (Decree 30/2020, art. 15), so documents leave "Số:      /UBND-NV" and "ngày
    # tháng    năm 2024" open. "register": the system keeps the register and numbers them.
    mode: Literal["blank", "register"] = "blank"
    letter_suffix: Text = "UBND-NV"
    decision_suffix: Text = "QĐ-UBND"
    report_suffix: Text = "BC-UBND"
    minutes_suffix: Text = "BB-HĐSK"
    proposal_suffix: Text = "TTr-NV"  # the Tờ trình of the home-affairs office to the chair
    certificate_suffix: Text = "GCN-UBND"
    start: int = Field(default=1, ge=1)
    # A unit's report is numbered "/BC-<abbreviation>" (a commune's "/BC-UBND"); the abbreviation
    # is the initials of the unit's name unless given here by unit code (VL-TTR = "TTr").
    unit_abbreviations: dict[str, Text] = {}


class Signer(Strict):
    name: Text
    title: Text
    authority_line: Lines


class CycleConfig(Strict):
    """A whole cycle configuration file."""

    year: int = Field(ge=2000, le=2100)
    name: Text
    opens_on: date
    timezone: str = "Asia/Ho_Chi_Minh"  # the authority's zone: "today" of every date it keeps
    roster: Path
    authority: AuthorityConfig
    deadlines: Deadlines
    reminder_offsets_days: tuple[int, ...] = (14, 7, 3, 1)
    escalation: Escalation = Escalation()
    calendar: CalendarConfig = CalendarConfig()
    extensions: Extensions = Extensions()
    review: Review
    conditions: Conditions = Conditions()
    scoring: Scoring = Scoring()
    replicated: tuple[ReplicatedItem, ...] = ()
    numbering: Numbering
    signers: dict[str, Signer]
    # What letters and reports are "Thực hiện": the authority's plans and directives of the year.
    legal_bases: tuple[Text, ...] = ()
    # The "Căn cứ" of the recognition decision: the laws and decrees in force on its dates.
    decision_bases: tuple[Text, ...] = ()
    # The rule on the format of documents the outline asks units to follow (Decree 30/2020).
    format_basis: OptionalText = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"múi giờ {value!r} không có; hãy ghi dạng Asia/Ho_Chi_Minh") from None
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CycleConfig:
        # Deferred: the registry's specs name the submission tables, which sit above this module.
        from models.intake import OBLIGATIONS

        for name in OBLIGATIONS:
            if name not in self.deadlines.dates:
                raise ValueError(f"deadlines.{name}: thiếu hạn của nghĩa vụ này")
            if self.deadlines[name] < self.opens_on:
                raise ValueError(f"deadlines.{name} trước ngày mở chu kỳ opens_on")
        if any(d <= 0 for d in self.reminder_offsets_days):
            raise ValueError("reminder_offsets_days: mỗi khoảng nhắc phải là số ngày dương")
        codes = [r.code for r in self.replicated]
        if len(set(codes)) != len(codes):
            raise ValueError("replicated: mỗi mã sáng kiến nhân rộng chỉ được khai một lần")
        applied_from, applied_until = self.conditions.window(self.year)
        if applied_from > applied_until:
            raise ValueError("conditions: applied_from phải trước hoặc bằng applied_until")
        if "decision" not in self.signers:
            raise ValueError("thiếu signers.decision: người ký quyết định công nhận")
        if "letter" not in self.signers:
            raise ValueError("thiếu signers.letter: người ký công văn và báo cáo của cơ quan")
        return self._with_level_defaults()

    def _with_level_defaults(self) -> CycleConfig:
        """The titles and names the file left empty, from the authority's level and dates."""
        defaults = level_defaults(self.authority.level, self.opens_on)
        authority = self.authority
        filled = {
            key: getattr(defaults, key)
            for key in ("home_affairs", "committee_office", "one_stop_shop", "commune_kinds")
            if not getattr(authority, key)
        }
        office = filled.get("home_affairs", authority.home_affairs)
        if not authority.home_affairs_head:
            given = "home_affairs" not in filled
            filled["home_affairs_head"] = head_of(office) if given else defaults.home_affairs_head
        cchc = self.scoring.cchc_index
        update: dict[str, Any] = {}
        if filled:
            update["authority"] = authority.model_copy(update=filled)
        if not cchc.unit_kinds and defaults.cchc_index_kinds:
            kinds = {"unit_kinds": defaults.cchc_index_kinds}
            update["scoring"] = self.scoring.model_copy(update={"cchc_index": cchc.model_copy(update=kinds)})
        return self.model_copy(update=update) if update else self
