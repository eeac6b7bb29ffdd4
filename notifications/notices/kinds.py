"""Notice kinds: every kind of e-mail the authority sends, described once.

A kind has its two templates (``KIND.txt.j2``, which sets the subject, and ``KIND.html.j2``), the
Vietnamese label officers read in the notices table and its export, who receives it, and how its
dedupe milestone is made (so a re-run never sends it twice). Rendering refuses a kind that is not
here; the notices table labels every kind from here; a guard test checks that each kind has
templates, a label, code that queues it and a test. ``NOTICES.registered`` adds kinds for a block.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from models.registry import Registry


class NoticeKind(StrEnum):
    """The kinds of notice the cycle's steps send."""

    CALL_FOR_PROPOSALS = "call_for_proposals"
    RECEIPT = "receipt"
    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    REVIEW_REQUEST = "review_request"
    MORE_INFORMATION = "more_information"
    DECISION = "decision"
    CERTIFICATE = "certificate"
    SCORE = "score"
    EXTENSION_RECEIPT = "extension_receipt"
    EXTENSION_DECISION = "extension_decision"
    MAIL_REFUSED = "mail_refused"
    MAIL_EMPTY = "mail_empty"
    MAIL_WRONG_SENDER = "mail_wrong_sender"


@dataclass(frozen=True, slots=True)
class NoticeSpec:
    """One kind of notice."""

    code: str
    label: str  # as officers read it in tables: "Nhắc hạn"
    # a unit of the roster, a member of the council, or an author (filed under the author's unit)
    audience: Literal["unit", "member", "author"]
    milestone: str  # how the dedupe milestone is made: once per what

    @property
    def templates(self) -> tuple[str, str]:
        """The text template (which sets the subject) and the HTML template."""
        return f"{self.code}.txt.j2", f"{self.code}.html.j2"


NOTICES: Registry[NoticeSpec] = Registry(
    "notice kind",
    (
        NoticeSpec(NoticeKind.CALL_FOR_PROPOSALS, "Đề nghị đề xuất sáng kiến", "unit", "open: once per unit"),
        NoticeSpec(
            NoticeKind.RECEIPT,
            "Xác nhận đã nhận",
            "unit",
            "KIND-FIRSTID, or mail-DIGEST-KIND: once per intake",
        ),
        NoticeSpec(NoticeKind.REMINDER, "Nhắc hạn", "unit", "OBLIGATION-reminder-OFFSET"),
        NoticeSpec(NoticeKind.OVERDUE, "Quá hạn", "unit", "OBLIGATION-overdue"),
        NoticeSpec(NoticeKind.ESCALATION, "Đôn đốc", "unit", "OBLIGATION-escalation"),
        NoticeSpec(NoticeKind.REVIEW_REQUEST, "Đề nghị chấm điểm", "member", "review: once per member"),
        NoticeSpec(NoticeKind.MORE_INFORMATION, "Đề nghị bổ sung", "unit", "information-REQUESTID"),
        NoticeSpec(NoticeKind.DECISION, "Kết quả xét công nhận", "unit", "decision-INITIATIVEID"),
        NoticeSpec(NoticeKind.CERTIFICATE, "Giấy chứng nhận sáng kiến", "author", "certificate-AUTHORID"),
        NoticeSpec(NoticeKind.SCORE, "Kết quả đánh giá", "unit", "scores-DIGEST: once per set of lines"),
        NoticeSpec(
            NoticeKind.EXTENSION_RECEIPT, "Xác nhận đề nghị gia hạn", "unit", "extension-REQUESTID-receipt"
        ),
        NoticeSpec(
            NoticeKind.EXTENSION_DECISION, "Trả lời đề nghị gia hạn", "unit", "extension-REQUESTID-decision"
        ),
        NoticeSpec(NoticeKind.MAIL_REFUSED, "Hồ sơ qua thư chưa tiếp nhận", "unit", "mail-DIGEST-refused"),
        NoticeSpec(NoticeKind.MAIL_EMPTY, "Thư chưa có tệp hồ sơ", "unit", "mail-DIGEST-empty"),
        NoticeSpec(
            NoticeKind.MAIL_WRONG_SENDER, "Thư từ địa chỉ chưa đăng ký", "unit", "mail-DIGEST-sender-UNIT"
        ),
    ),
)


def notice_spec(code: str) -> NoticeSpec:
    """The spec of ``code``; an unknown kind is a programming error, named."""
    try:
        return NOTICES[code]
    except KeyError:
        raise ValueError(f"unknown notice kind {code!r}") from None


def label(code: str) -> str:
    """The Vietnamese label of a kind (the code itself only for a kind nobody registered)."""
    spec = NOTICES.get(code)
    return spec.label if spec else code
