"""Flat forms for the Prefect UI: one field per input, bounds and Vietnamese descriptions.

The UI's form builder handles plain fields well and nested or optional unions badly, so each
form is flat and turns into the schema of its import kind (``models.imports``) that does the real
checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from models.errors import InvalidInput
from models.imports import import_kind, import_kind_label, import_kinds
from models.intake import FIELD_LABELS, OBLIGATIONS, SOLUTION_TYPE_LABELS, ReviewIn
from models.review.chair import ChairContext, chair_date
from models.text import clean_text, parse_code, parse_date
from models.tracking import DecisionIn, ExtensionIn, parse_one

Year = Annotated[int, Field(ge=2000, le=2100, title="Năm của chu kỳ", description="Ví dụ 2024")]
AuthorityCode = Annotated[
    str | None,
    Field(max_length=32, title="Mã cơ quan", description="Chỉ ghi khi một cơ sở dữ liệu có nhiều cơ quan"),
]
UnitCode = Annotated[
    str,
    Field(min_length=1, max_length=32, title="Mã đơn vị", description="Theo danh sách đơn vị, ví dụ 19363"),
]
# A flow's day (``as_of``): empty is today in the cycle's timezone.
ReceivedOn = Annotated[date | None, Field(title="Ngày thực hiện", description="Để trống: hôm nay")]
LongText = Annotated[str, Field(max_length=10_000)]
# One line through the text gate (``models.text.clean_text``): what the decision prints.
GatedLine = Annotated[str, BeforeValidator(lambda v: clean_text(str(v), multiline=False))]


def shown(label: str) -> str:
    """A choice as the form's select shows it: the first Vietnamese label, capitalised."""
    first = label.split("|", maxsplit=1)[0]
    return first[:1].upper() + first[1:]


def to_code(labels: Callable[[], Mapping[str, str]], what: str) -> BeforeValidator:
    """A coded field's check: a Vietnamese label or a code in, the code out."""
    return BeforeValidator(lambda value: parse_code(value, dict(labels()), what))


def choices(labels: Callable[[], Mapping[str, str]]) -> WithJsonSchema:
    """A coded field's select in the UI: its Vietnamese labels (Prefect 3.9's form shows an
    ``enum``'s values as they are, and renders neither ``oneOf`` nor titled ``const`` choices)."""
    return WithJsonSchema({"type": "string", "enum": [shown(v) for v in labels().values()]})


SolutionType = Annotated[
    str, to_code(lambda: SOLUTION_TYPE_LABELS, "loại giải pháp"), choices(lambda: SOLUTION_TYPE_LABELS)
]
ReformField = Annotated[str, to_code(lambda: FIELD_LABELS, "lĩnh vực"), choices(lambda: FIELD_LABELS)]


def _obligation_labels() -> dict[str, str]:
    return {code: ob.labels.table for code, ob in OBLIGATIONS.items()}


REPLICATION_STATUS_LABELS = {"applied": "đã áp dụng", "not_applied": "chưa áp dụng"}
ReplicationStatus = Annotated[
    str,
    to_code(lambda: REPLICATION_STATUS_LABELS, "tình trạng áp dụng"),
    choices(lambda: REPLICATION_STATUS_LABELS),
]


# The choices are the registry's at import; the check is the registry's at the time of the run.
ObligationCode = Annotated[str, to_code(_obligation_labels, "nghĩa vụ"), choices(_obligation_labels)]


class Form(BaseModel):
    """Frozen; an unknown field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CycleForm(Form):
    """A form about one cycle: its year, and the authority when one database holds several."""

    cycle: Year
    authority: AuthorityCode = None

    def fields(self) -> dict[str, object]:
        """The form's own fields, without the cycle's."""
        return self.model_dump(exclude={"cycle", "authority"})


class SubmissionForm(CycleForm):
    """A form that is one row of an import kind (``kind``): checked as that kind's schema."""

    kind: ClassVar[str]

    def submission(self) -> BaseModel:
        """The checked row (the same rules as a file of one row)."""
        return import_kind(self.kind).schema.model_validate(self.fields())


class InitiativeForm(SubmissionForm):
    """Đề xuất một sáng kiến."""

    kind: ClassVar[str] = "initiatives"
    unit_code: UnitCode
    title: Annotated[
        str,
        Field(
            min_length=3,
            max_length=500,
            title="Tên sáng kiến",
            description="Tên sáng kiến như đơn vị đề xuất",
        ),
    ]
    solution_type: SolutionType = Field(
        title="Loại giải pháp", description="Kỹ thuật, quản lý, tác nghiệp hoặc ứng dụng tiến bộ kỹ thuật"
    )
    field: ReformField = Field(title="Lĩnh vực", description="Lĩnh vực cải cách hành chính")
    authors: str = Field(
        min_length=3,
        max_length=2000,
        title="Tác giả",
        description=(
            "Mỗi tác giả: 'Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác | trình độ chuyên môn"
            " | thư điện tử' (bốn mục sau có thể bỏ trống), các tác giả cách nhau bằng dấu ;"
        ),
    )
    first_applied_on: date | None = Field(
        default=None,
        title="Ngày áp dụng lần đầu",
        description="Sáng kiến chưa có ngày áp dụng lần đầu thì không được xét công nhận",
    )
    scope: LongText = Field(default="", title="Phạm vi áp dụng")
    before: LongText = Field(default="", title="Tình trạng trước khi áp dụng")
    solution: LongText = Field(min_length=1, title="Nội dung giải pháp")
    novelty: LongText = Field(default="", title="Tính mới")
    effects: LongText = Field(min_length=1, title="Hiệu quả", description="Hiệu quả, kèm số liệu nếu có")
    replicable: bool = Field(default=True, title="Có khả năng nhân rộng")
    not_excluded: bool = Field(
        default=False,
        title="Cam kết không thuộc trường hợp loại trừ",
        description=(
            "Tác giả cam kết sáng kiến không thuộc trường hợp bị loại trừ (trái trật tự công cộng,"
            " đạo đức xã hội; đã được bảo hộ hoặc đã công bố); chưa đánh dấu thì không được công nhận"
        ),
    )
    investor: str = Field(
        default="", max_length=300, title="Chủ đầu tư tạo ra sáng kiến", description="Nếu có"
    )
    participants: str = Field(
        default="",
        max_length=5000,
        title="Người tham gia áp dụng lần đầu",
        description="Mỗi người: 'Họ tên | nơi công tác | chức danh | nội dung tham gia', cách nhau dấu ;",
    )
    submitted_on: date | None = Field(
        default=None, title="Ngày đơn vị gửi", description="Để trống: ngày hệ thống nhận"
    )


class ReportForm(SubmissionForm):
    """Báo cáo kết quả áp dụng sáng kiến."""

    kind: ClassVar[str] = "reports"
    unit_code: UnitCode
    initiative_title: str = Field(
        default="", max_length=500, title="Tên sáng kiến", description="Để trống nếu báo cáo chung"
    )
    organisation: LongText = Field(default="", title="Tổ chức thực hiện")
    results: LongText = Field(min_length=1, title="Kết quả")
    assessment: LongText = Field(default="", title="Đánh giá")
    proposals: LongText = Field(default="", title="Đề xuất, kiến nghị")
    submitted_on: date | None = Field(
        default=None, title="Ngày đơn vị gửi", description="Để trống: ngày hệ thống nhận"
    )


class ReplicationForm(SubmissionForm):
    """Báo cáo kết quả áp dụng một sáng kiến được chọn nhân rộng."""

    kind: ClassVar[str] = "replication"
    unit_code: UnitCode
    replicated_code: str = Field(
        min_length=1, max_length=32, title="Mã sáng kiến nhân rộng", description="Ví dụ NR01"
    )
    status: ReplicationStatus = Field(default="applied", title="Tình trạng áp dụng")
    started_on: date | None = Field(
        default=None, title="Ngày bắt đầu áp dụng", description="Không xét nếu chưa áp dụng"
    )
    how_applied: LongText = Field(
        default="", title="Cách thức áp dụng", description="Bắt buộc nếu đã áp dụng"
    )
    dossiers: int = Field(default=0, ge=0, le=10_000_000, title="Số hồ sơ đã giải quyết theo sáng kiến")
    results: LongText = Field(default="", title="Kết quả", description="Bắt buộc nếu đã áp dụng")
    problems: LongText = Field(default="", title="Khó khăn, vướng mắc")
    reason: LongText = Field(default="", title="Lý do chưa áp dụng", description="Bắt buộc nếu chưa áp dụng")
    submitted_on: date | None = Field(
        default=None, title="Ngày đơn vị gửi", description="Để trống: ngày hệ thống nhận"
    )

    def fields(self) -> dict[str, object]:
        """A "chưa áp dụng" answer has no start date nor dossiers: the form's are not kept."""
        given = super().fields()
        if self.status == "not_applied":
            given.pop("started_on")
            given.pop("dossiers")
        return given


class ReviewForm(SubmissionForm):
    """Phiếu chấm điểm một sáng kiến của một thành viên Hội đồng."""

    kind: ClassVar[str] = "reviews"
    initiative_id: int = Field(ge=1, title="Mã sáng kiến", description="Số trong thư đề nghị chấm điểm")
    member: str = Field(min_length=1, max_length=200, title="Họ tên thành viên Hội đồng")
    novelty: float = Field(ge=0, le=100, title="Điểm tính mới")
    applicability: float = Field(ge=0, le=100, title="Điểm khả năng áp dụng, nhân rộng")
    effectiveness: float = Field(ge=0, le=100, title="Điểm hiệu quả")
    approve: bool = Field(title="Đồng ý đề nghị công nhận")
    comment: LongText = Field(default="", title="Ý kiến", description="Bắt buộc nêu lý do nếu không đồng ý")

    def submission(self) -> BaseModel:
        """The checked sheet (points as given, not as floats)."""
        return ReviewIn.model_validate(
            self.fields() | {k: str(getattr(self, k)) for k in ("novelty", "applicability", "effectiveness")}
        )


class DecisionApproval(Form):
    """Chủ tịch UBND phê duyệt quyết định công nhận sáng kiến (the values, as the demo and tests
    send them; the form in the UI is ``chair_form``'s, whose every field is re-checked by
    ``models.review.chair.check_answer``)."""

    number: GatedLine = Field(
        min_length=1, max_length=64, title="Số quyết định", description="Số quyết định, ví dụ 07/QĐ-UBND"
    )
    issued_on: Annotated[date, BeforeValidator(chair_date)] = Field(
        title="Ngày ký", description="Ngày ký quyết định, dạng ngày/tháng/năm, ví dụ 06/12/2024"
    )
    signer_name: GatedLine = Field(
        min_length=1, max_length=200, title="Người ký", description="Họ tên người ký"
    )
    signer_title: GatedLine = Field(
        default="PHÓ CHỦ TỊCH", min_length=1, max_length=200, title="Chức vụ", description="Chức vụ người ký"
    )
    # Ids the decision recognizes; None: the council's recommendation as it is.
    recognized: tuple[int, ...] | None = None
    reasons: str = Field(default="", max_length=10_000)

    def answer(self, labels: list[str] | None = None) -> dict[str, object]:
        """The values as the UI form sends them (its choices are ``labels``, "12. Tên (Đơn vị)")."""
        values: dict[str, object] = {
            "number": self.number,
            "issued_on": f"{self.issued_on:%d/%m/%Y}",
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "reasons": self.reasons,
        }
        if self.recognized is not None:
            by_id = {label.split(".", 1)[0]: label for label in labels or []}
            values["recognized"] = [by_id.get(str(i), str(i)) for i in self.recognized]
        return values


def _text(title: str, description: str, default: str) -> object:
    return (str, Field(default=default, max_length=10_000, title=title, description=description))


def chair_form(ctx: ChairContext) -> type[BaseModel]:
    """The chair's form in the UI: flat text fields (the UI's date picker read 06122024 as June
    12th, so the date is typed text, checked by the flow) and one multi-select of the initiatives
    the council decided on, the recommended ones pre-selected. Every field has a default, so the
    server's own validator (English) never refuses an empty field; the flow refuses it in Vietnamese."""
    labels = [c.label for c in ctx.candidates]
    chosen = [c.label for c in ctx.recommended]
    recognized = Annotated[
        list[str],
        WithJsonSchema(
            {
                "type": "array",
                "items": {"type": "string", "enum": labels},
                "uniqueItems": True,
                "title": "Sáng kiến được công nhận",
                "description": (
                    "Đã chọn sẵn các sáng kiến Hội đồng đề nghị; bỏ chọn hoặc chọn thêm thì ghi lý do"
                ),
                "default": chosen,
            }
        ),
    ]
    fields: dict[str, Any] = {
        "number": _text("Số quyết định", f"Số quyết định trong sổ, ví dụ 07/{ctx.decision_suffix}", ""),
        "issued_on": _text("Ngày ký", "Ngày ký quyết định, dạng ngày/tháng/năm, ví dụ 06/12/2024", ""),
        "signer_name": _text("Người ký", "Họ tên người ký quyết định", ctx.signer_name),
        "signer_title": _text("Chức vụ", "Chức vụ người ký, ví dụ PHÓ CHỦ TỊCH", ctx.signer_title),
        "recognized": (recognized, Field(default=chosen)),
        "reasons": _text(
            "Lý do",
            "Bắt buộc khi bỏ chọn hoặc thêm sáng kiến: mỗi dòng một sáng kiến, dạng '12: lý do'",
            "",
        ),
    }
    model: type[BaseModel] = create_model(
        "PheDuyetQuyetDinh", __config__=ConfigDict(extra="forbid"), **fields
    )
    model.__doc__ = "Chủ tịch UBND phê duyệt quyết định công nhận sáng kiến."
    return model


class ExtensionForm(CycleForm):
    """Đơn xin gia hạn của một đơn vị."""

    unit_code: UnitCode
    obligation: ObligationCode = Field(title="Nội dung xin gia hạn")
    requested_until: date = Field(title="Xin gia hạn đến ngày")
    reason: str = Field(min_length=3, max_length=2000, title="Lý do xin gia hạn")

    def request(self) -> ExtensionIn:
        """The checked request (a wrong field is named in the error)."""
        fields = self.model_dump(mode="json", exclude={"cycle", "authority"})
        return parse_one(ExtensionIn, {k: str(v) for k, v in fields.items()}, "form")


class DecisionForm(CycleForm):
    """Quyết định về một đơn xin gia hạn."""

    request_id: int = Field(ge=1, title="Số đơn xin gia hạn")
    approve: bool = Field(title="Đồng ý gia hạn", description="Bỏ chọn: không đồng ý")
    decided_until: str = Field(
        default="",
        max_length=10,
        title="Gia hạn đến ngày",
        description="Dạng DD/MM/YYYY hoặc YYYY-MM-DD; để trống: đúng ngày đơn xin",
    )
    reason: str = Field(default="", max_length=2000, title="Lý do", description="Bắt buộc khi không đồng ý")

    def decision(self) -> DecisionIn:
        """The checked decision (a refusal without a reason is named in the error)."""
        fields = self.model_dump(mode="json", exclude={"cycle", "authority"})
        return parse_one(DecisionIn, {k: str(v) for k, v in fields.items()}, "form")


class InformationForm(CycleForm):
    """Hội đồng đề nghị đơn vị bổ sung thông tin về một sáng kiến."""

    initiative_id: int = Field(ge=1, title="Mã sáng kiến cần bổ sung")
    member: str = Field(
        min_length=1, max_length=200, title="Thành viên Hội đồng đề nghị", description="Thường là Thư ký"
    )
    question: str = Field(min_length=3, max_length=5000, title="Nội dung đề nghị đơn vị bổ sung")
    due_on: str = Field(
        default="",
        max_length=10,
        title="Hạn bổ sung",
        description="Dạng DD/MM/YYYY hoặc YYYY-MM-DD; để trống: theo số ngày trong cấu hình",
    )

    def due(self) -> date | None:
        """The deadline given, if any (a wrong date is the user's mistake, named)."""
        if not self.due_on:
            return None
        try:
            return parse_date(self.due_on)
        except ValueError as exc:
            raise InvalidInput(f"due_on: {exc}", field="due_on") from None


class AnswerForm(CycleForm):
    """Ghi nhận nội dung đơn vị bổ sung theo đề nghị của Hội đồng."""

    initiative_id: int = Field(ge=1, title="Mã sáng kiến")
    answer: str = Field(min_length=3, max_length=5000, title="Nội dung đơn vị bổ sung")


def _import_kind_labels() -> dict[str, str]:
    return {code: import_kind_label(code) for code in import_kinds()}


# The choices are the registry's at import; the check is the registry's at the time of the run.
ImportKindName = Annotated[str, to_code(_import_kind_labels, "loại dữ liệu"), choices(_import_kind_labels)]
INITIATIVES_SHOWN = shown(import_kind_label("initiatives"))  # the import flow's default choice
