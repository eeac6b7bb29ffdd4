"""Flat forms for the Prefect UI: one field per input, bounds and Vietnamese descriptions.

The UI's form builder handles plain fields well and nested or optional unions badly, so each
form is flat and turns into the schema of its import kind (``models.imports``) that does the real
checks.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)

from models.errors import InvalidInput
from models.imports import import_kind, import_kinds
from models.intake import OBLIGATIONS, ReviewIn
from models.review.chair import ChairContext, chair_date
from models.text import clean_text, parse_date
from models.tracking import DecisionIn, ExtensionIn, parse_one

Year = Annotated[int, Field(ge=2000, le=2100, description="Năm của chu kỳ, ví dụ 2024")]
AuthorityCode = Annotated[
    str | None, Field(max_length=32, description="Mã cơ quan (chỉ khi một CSDL có nhiều cơ quan)")
]
UnitCode = Annotated[str, Field(min_length=1, max_length=32, description="Mã đơn vị (theo danh sách đơn vị)")]
LongText = Annotated[str, Field(max_length=10_000)]
# One line through the text gate (``models.text.clean_text``): what the decision prints.
GatedLine = Annotated[str, BeforeValidator(lambda v: clean_text(str(v), multiline=False))]


def _known_obligation(code: str) -> str:
    if code not in OBLIGATIONS:
        raise ValueError(f"nghĩa vụ {code!r} không có; hãy chọn: {', '.join(OBLIGATIONS)}")
    return code


# The choices are the registry's at import; the check is the registry's at the time of the run.
ObligationCode = Annotated[
    str, AfterValidator(_known_obligation), WithJsonSchema({"enum": list(OBLIGATIONS)})
]


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
    title: Annotated[str, Field(min_length=3, max_length=500, description="Tên sáng kiến")]
    solution_type: Literal["technical", "management", "operational", "applied_technology"] = Field(
        description="Loại giải pháp: kỹ thuật, quản lý, tác nghiệp, ứng dụng tiến bộ kỹ thuật"
    )
    field: Literal[
        "institutions", "procedures", "apparatus", "civil_service", "public_finance", "digital_government"
    ] = Field(description="Lĩnh vực cải cách hành chính")
    authors: str = Field(
        min_length=3,
        max_length=2000,
        description=(
            "Tác giả: 'Họ tên | chức danh | tỷ lệ % | ngày sinh | nơi công tác | trình độ chuyên môn"
            " | thư điện tử' (bốn mục sau có thể bỏ trống), cách nhau bằng dấu ;"
        ),
    )
    first_applied_on: date = Field(description="Ngày áp dụng lần đầu")
    scope: LongText = Field(default="", description="Phạm vi áp dụng")
    before: LongText = Field(default="", description="Tình trạng trước khi áp dụng")
    solution: LongText = Field(min_length=1, description="Nội dung giải pháp")
    novelty: LongText = Field(default="", description="Tính mới")
    effects: LongText = Field(min_length=1, description="Hiệu quả, kèm số liệu nếu có")
    replicable: bool = Field(default=True, description="Có khả năng nhân rộng")
    not_excluded: bool = Field(
        default=False,
        description=(
            "Tác giả cam kết sáng kiến không thuộc trường hợp bị loại trừ (trái trật tự công cộng,"
            " đạo đức xã hội; đã được bảo hộ hoặc đã công bố); chưa đánh dấu thì không được công nhận"
        ),
    )
    investor: str = Field(default="", max_length=300, description="Chủ đầu tư tạo ra sáng kiến (nếu có)")
    participants: str = Field(
        default="",
        max_length=5000,
        description=(
            "Người tham gia áp dụng lần đầu: 'Họ tên | nơi công tác | chức danh | nội dung tham gia',"
            " cách nhau bằng dấu ;"
        ),
    )
    submitted_on: date = Field(description="Ngày đơn vị gửi")


class ReportForm(SubmissionForm):
    """Báo cáo kết quả áp dụng sáng kiến."""

    kind: ClassVar[str] = "reports"
    unit_code: UnitCode
    initiative_title: str = Field(
        default="", max_length=500, description="Tên sáng kiến (để trống nếu báo cáo chung)"
    )
    organisation: LongText = Field(default="", description="Tổ chức thực hiện")
    results: LongText = Field(min_length=1, description="Kết quả")
    assessment: LongText = Field(default="", description="Đánh giá")
    proposals: LongText = Field(default="", description="Đề xuất, kiến nghị")
    submitted_on: date = Field(description="Ngày đơn vị gửi")


class ReplicationForm(SubmissionForm):
    """Báo cáo kết quả áp dụng một sáng kiến được chọn nhân rộng."""

    kind: ClassVar[str] = "replication"
    unit_code: UnitCode
    replicated_code: str = Field(
        min_length=1, max_length=32, description="Mã sáng kiến nhân rộng, ví dụ NR01"
    )
    status: Literal["applied", "not_applied"] = Field(
        default="applied",
        description="Tình trạng: applied (đã áp dụng) hoặc not_applied (chưa áp dụng, ghi lý do bên dưới)",
    )
    started_on: date = Field(description="Ngày bắt đầu áp dụng (không xét nếu chưa áp dụng)")
    how_applied: LongText = Field(default="", description="Cách thức áp dụng (bắt buộc nếu đã áp dụng)")
    dossiers: int = Field(default=0, ge=0, le=10_000_000, description="Số hồ sơ đã giải quyết theo sáng kiến")
    results: LongText = Field(default="", description="Kết quả (bắt buộc nếu đã áp dụng)")
    problems: LongText = Field(default="", description="Khó khăn, vướng mắc")
    reason: LongText = Field(default="", description="Lý do chưa áp dụng (bắt buộc nếu chưa áp dụng)")
    submitted_on: date = Field(description="Ngày đơn vị gửi")

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
    initiative_id: int = Field(ge=1, description="Mã sáng kiến (số trong thư đề nghị chấm điểm)")
    member: str = Field(min_length=1, max_length=200, description="Họ tên thành viên Hội đồng")
    novelty: float = Field(ge=0, le=100, description="Điểm tính mới")
    applicability: float = Field(ge=0, le=100, description="Điểm khả năng áp dụng, nhân rộng")
    effectiveness: float = Field(ge=0, le=100, description="Điểm hiệu quả")
    approve: bool = Field(description="Đồng ý đề nghị công nhận")
    comment: LongText = Field(default="", description="Ý kiến (bắt buộc nêu lý do nếu không đồng ý)")

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
    obligation: ObligationCode = Field(
        description="Nội dung xin gia hạn: "
        + ", ".join(f"{code} ({ob.labels.table.lower()})" for code, ob in OBLIGATIONS.items())
    )
    requested_until: date = Field(description="Xin gia hạn đến ngày")
    reason: str = Field(min_length=3, max_length=2000, description="Lý do xin gia hạn")

    def request(self) -> ExtensionIn:
        """The checked request (a wrong field is named in the error)."""
        fields = self.model_dump(mode="json", exclude={"cycle", "authority"})
        return parse_one(ExtensionIn, {k: str(v) for k, v in fields.items()}, "form")


class DecisionForm(CycleForm):
    """Quyết định về một đơn xin gia hạn."""

    request_id: int = Field(ge=1, description="Số đơn xin gia hạn")
    approve: bool = Field(description="Đồng ý gia hạn (bỏ chọn: không đồng ý)")
    decided_until: str = Field(
        default="", max_length=10, description="Gia hạn đến ngày, YYYY-MM-DD (để trống: đúng ngày đơn xin)"
    )
    reason: str = Field(default="", max_length=2000, description="Lý do (bắt buộc khi không đồng ý)")

    def decision(self) -> DecisionIn:
        """The checked decision (a refusal without a reason is named in the error)."""
        fields = self.model_dump(mode="json", exclude={"cycle", "authority"})
        return parse_one(DecisionIn, {k: str(v) for k, v in fields.items()}, "form")


class InformationForm(CycleForm):
    """Hội đồng đề nghị đơn vị bổ sung thông tin về một sáng kiến."""

    initiative_id: int = Field(ge=1, description="Mã sáng kiến cần bổ sung")
    member: str = Field(
        min_length=1, max_length=200, description="Họ tên thành viên Hội đồng đề nghị (thường là Thư ký)"
    )
    question: str = Field(min_length=3, max_length=5000, description="Nội dung đề nghị đơn vị bổ sung")
    due_on: str = Field(
        default="",
        max_length=10,
        description="Hạn bổ sung, YYYY-MM-DD (để trống: theo số ngày trong cấu hình)",
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

    initiative_id: int = Field(ge=1, description="Mã sáng kiến")
    answer: str = Field(min_length=3, max_length=5000, description="Nội dung đơn vị bổ sung")


def _known_import_kind(code: str) -> str:
    import_kind(code)  # refuses an unknown kind, naming the choices
    return code


# The choices are the registry's at import; the check is the registry's at the time of the run.
ImportKindName = Annotated[
    str, AfterValidator(_known_import_kind), WithJsonSchema({"enum": list(import_kinds())})
]
