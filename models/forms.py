"""Flat forms for the Prefect UI: one field per input, bounds and Vietnamese descriptions.

The UI's form builder handles plain fields well and nested or optional unions badly, so each
form is flat and turns into the schema of its import kind (``models.imports``) that does the real
checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from models.errors import InvalidInput
from models.imports import import_kind, import_kind_label, import_kinds
from models.intake import FIELD_LABELS, OBLIGATIONS, SOLUTION_TYPE_LABELS, ReviewIn
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
        description="Mỗi tác giả: 'Họ tên | chức vụ | tỷ lệ %', các tác giả cách nhau bằng dấu ;",
    )
    first_applied_on: date | None = Field(
        default=None, title="Ngày áp dụng lần đầu", description="Để trống nếu chưa rõ"
    )
    scope: LongText = Field(default="", title="Phạm vi áp dụng")
    before: LongText = Field(default="", title="Tình trạng trước khi áp dụng")
    solution: LongText = Field(min_length=1, title="Nội dung giải pháp")
    novelty: LongText = Field(default="", title="Tính mới")
    effects: LongText = Field(min_length=1, title="Hiệu quả", description="Hiệu quả, kèm số liệu nếu có")
    replicable: bool = Field(default=True, title="Có khả năng nhân rộng")
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
    """Báo cáo áp dụng một sáng kiến nhân rộng tại Bộ phận Một cửa."""

    kind: ClassVar[str] = "replication"
    unit_code: UnitCode
    replicated_code: str = Field(
        min_length=1, max_length=32, title="Mã sáng kiến nhân rộng", description="Ví dụ NR01"
    )
    started_on: date | None = Field(default=None, title="Ngày bắt đầu áp dụng")
    how_applied: LongText = Field(min_length=1, title="Cách thức áp dụng")
    dossiers: int = Field(default=0, ge=0, le=10_000_000, title="Số hồ sơ đã giải quyết theo sáng kiến")
    results: LongText = Field(min_length=1, title="Kết quả")
    problems: LongText = Field(default="", title="Khó khăn, vướng mắc")
    submitted_on: date | None = Field(
        default=None, title="Ngày đơn vị gửi", description="Để trống: ngày hệ thống nhận"
    )


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
    """Chủ tịch UBND phê duyệt quyết định công nhận sáng kiến."""

    number: GatedLine = Field(min_length=1, max_length=64, description="Số quyết định, ví dụ 07/QĐ-UBND")
    issued_on: date = Field(description="Ngày ký quyết định")
    signer_name: GatedLine = Field(min_length=1, max_length=200, description="Họ tên người ký")
    signer_title: GatedLine = Field(
        default="PHÓ CHỦ TỊCH", min_length=1, max_length=200, description="Chức vụ người ký"
    )


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
