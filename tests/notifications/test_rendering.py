"""Rendering the nine notice kinds: what an officer of a unit reads, in both the text and HTML parts.

Contexts are built as the notices module builds them: ``base_context`` of the bundled Vĩnh Linh
2024 cycle (on SQLite and on PostgreSQL) plus each kind's own facts, read off its templates.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from jinja2 import UndefinedError

from models.cycle import Cycle, CycleConfig
from notifications.notices.drafting import base_context
from notifications.notices.kinds import NOTICES
from notifications.notices.rendering import RenderedNotice, render_notice

COMMUNE = "UBND xã Vĩnh Ô"
MOVED = "31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)"
TITLE_81 = "Quản lý hồ sơ cán bộ, công chức, viên chức trên phần mềm kết hợp số hóa hồ sơ gốc"
TITLE_85 = "Nhóm Zalo hỗ trợ nghiệp vụ hộ tịch, chứng thực cho công chức Tư pháp - Hộ tịch cấp xã"
TITLE_VINH_O = "Hướng dẫn thủ tục hành chính bằng tiếng Vân Kiều qua người có uy tín và loa truyền thanh bản"
TITLE_LONG = (
    "Hỗ trợ nộp trực tuyến nhóm thủ tục liên thông đăng ký khai sinh, thường trú, "
    "cấp thẻ BHYT cho trẻ dưới 6 tuổi"
)
MARKUP = "<script>alert(1)</script> & \" '"
MARKUP_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34; &#39;"
INJECTION = "\r\nBcc: x@evil.example"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_BLOCK_TAGS = re.compile(r"<(?:br|/?p|/?li|/?ul|/?ol|/?tr|/?td|/?th|/?table|/?blockquote|hr)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Case:
    """One notice as a unit receives it: kind, recipient, own facts, what it must say."""

    kind: str
    recipient: str
    own: dict[str, Any]
    subject: str
    dates: tuple[str, ...]
    says: tuple[str, ...]
    never_says: tuple[str, ...] = field(default=())


CASES: dict[str, Case] = {
    "call_for_proposals": Case(
        kind="call_for_proposals",
        recipient=COMMUNE,
        own={"attachments": ["de-xuat-sang-kien-2024-19426.xlsx", "bao-cao-nhan-rong-2024-19426.xlsx"]},
        subject=("Ủy ban nhân dân huyện Vĩnh Linh: đề nghị đề xuất sáng kiến cải cách hành chính năm 2024"),
        dates=("31/08/2024", "22/10/2024"),
        says=(
            "Thực hiện Kế hoạch số 11/KH-UBND ngày 15/01/2024",
            "Đề xuất ít nhất một sáng kiến cải cách hành chính được áp dụng trong năm 2024",
            f"chậm nhất ngày {MOVED}",
            "05 sáng kiến được chọn nhân rộng tại Bộ phận Một cửa chậm nhất ngày 22/10/2024",
            "NR01: Tra cứu thủ tục hành chính và nhận thông báo qua Zalo OA của UBND",
            "NR05: Lấy số thứ tự bằng mã QR và số hóa hồ sơ tại Bộ phận Một cửa",
            "de-xuat-sang-kien-2024-19426.xlsx, bao-cao-nhan-rong-2024-19426.xlsx",
            "noivu@vinhlinh.example.org",
            "Đề nghị đơn vị nghiêm túc triển khai thực hiện.",
        ),
    ),
    "receipt_on_time": Case(
        kind="receipt",
        recipient="Phòng Nội vụ",
        own={
            "what": "đề xuất sáng kiến",
            "items": [TITLE_81],
            "submitted_on": date(2024, 6, 14),
            "deadline_text": MOVED,
            "days_late": 0,
            "warnings": [],
        },
        subject="Xác nhận đã nhận đề xuất sáng kiến của Phòng Nội vụ",
        dates=("14/06/2024", "31/08/2024"),
        says=(
            "Phòng Nội vụ xác nhận đã nhận đề xuất sáng kiến của Phòng Nội vụ, gửi ngày 14/06/2024",
            TITLE_81,
            f"Hồ sơ được gửi đúng hạn (thời hạn: ngày {MOVED}).",
        ),
        never_says=("trễ", "chậm", "Lưu ý"),
    ),
    "receipt_late": Case(
        kind="receipt",
        recipient=COMMUNE,
        own={
            "what": "đề xuất sáng kiến",
            "items": [TITLE_VINH_O, "Tổ hỗ trợ người cao tuổi làm thủ tục tại nhà"],
            "submitted_on": date(2024, 9, 9),
            "deadline_text": MOVED,
            "days_late": 5,
            "warnings": [
                {
                    "item": TITLE_VINH_O,
                    "reasons": "chưa có ngày áp dụng lần đầu (sáng kiến phải đã được áp dụng)",
                }
            ],
        },
        subject="Xác nhận đã nhận đề xuất sáng kiến của UBND xã Vĩnh Ô",
        dates=("09/09/2024", "31/08/2024"),
        says=(
            "gửi ngày 09/09/2024",
            TITLE_VINH_O,
            "Tổ hỗ trợ người cao tuổi làm thủ tục tại nhà",
            f"Hồ sơ được gửi chậm 05 ngày so với thời hạn (ngày {MOVED})",
            "đánh giá mức độ hoàn thành nhiệm vụ năm 2024",
            "Lưu ý: sáng kiến dưới đây chưa đủ điều kiện công nhận theo Điều lệ Sáng kiến",
            f"{TITLE_VINH_O}: chưa có ngày áp dụng lần đầu",
        ),
        never_says=("đúng hạn",),
    ),
    "reminder": Case(
        kind="reminder",
        recipient=COMMUNE,
        own={
            "obligation": "báo cáo kết quả áp dụng sáng kiến",
            "obligation_long": "báo cáo kết quả xây dựng và triển khai áp dụng các sáng kiến năm 2024",
            "deadline": date(2024, 10, 22),
            "deadline_text": "22/10/2024",
            "days_left": 14,
            "as_of": date(2024, 10, 8),
        },
        subject="Nhắc hạn báo cáo kết quả áp dụng sáng kiến: còn 14 ngày (hạn 22/10/2024)",
        dates=("22/10/2024", "08/10/2024"),
        says=(
            (
                "Thời hạn báo cáo kết quả xây dựng và triển khai áp dụng các sáng kiến năm 2024 "
                "là ngày 22/10/2024"
            ),
            "còn 14 ngày.",
            "Đến ngày 08/10/2024",
            "Trường hợp đơn vị đã gửi, đề nghị thông báo để Phòng Nội vụ kiểm tra, cập nhật.",
        ),
    ),
    "overdue": Case(
        kind="overdue",
        recipient=COMMUNE,
        own={
            "obligation": "đề xuất sáng kiến",
            "obligation_long": "đề xuất sáng kiến cải cách hành chính",
            "deadline": date(2024, 9, 4),
            "deadline_text": MOVED,
            "as_of": date(2024, 9, 16),
            "days_overdue": 12,
        },
        subject="Quá hạn đề xuất sáng kiến (hạn 04/09/2024)",
        dates=("31/08/2024", "04/9/2024", "16/09/2024"),
        says=(
            f"là ngày {MOVED}",
            "đã quá hạn 12 ngày",
            "Phòng Nội vụ chưa nhận được đề xuất sáng kiến của UBND xã Vĩnh Ô",
            "khẩn trương",
        ),
    ),
    "escalation": Case(
        kind="escalation",
        recipient=COMMUNE,
        own={
            "obligation": "đề xuất sáng kiến",
            "obligation_long": "đề xuất ít nhất một sáng kiến được áp dụng trong năm 2024 tại đơn vị",
            "deadline_text": MOVED,
            "as_of": date(2024, 10, 1),
            "new_deadline": date(2024, 10, 22),
            "is_commune": True,
            "document": "số 1234/UBND-NV ngày 01/10/2024",
            "outline": True,
        },
        subject="Đôn đốc đề xuất sáng kiến năm 2024: hạn mới 22/10/2024",
        dates=("31/08/2024", "01/10/2024", "22/10/2024"),
        says=(
            "đề xuất ít nhất một sáng kiến được áp dụng trong năm 2024 tại đơn vị",
            f"chậm nhất ngày {MOVED};",
            "chưa thực hiện nội dung trên",
            "Đề nghị UBND xã Vĩnh Ô khẩn trương",
            "(qua Phòng Nội vụ) trước ngày 22/10/2024",
            "chỉ số cải cách hành chính của xã, thị trấn năm 2024",
            (
                "Phòng Nội vụ gửi kèm thư này Công văn số 1234/UBND-NV ngày 01/10/2024 của Ủy ban nhân dân "
                "huyện Vĩnh Linh đôn đốc thực hiện và đề cương báo cáo."
            ),
            "Đề nghị đơn vị nghiêm túc triển khai thực hiện.",
        ),
    ),
    "review_request": Case(
        kind="review_request",
        recipient="Lê Thị Thu Hà",
        own={
            "role": "Phó Chủ tịch Hội đồng",  # as the bundled council seat (review.council) names it
            "initiatives": [
                {"id": 7, "title": TITLE_VINH_O, "unit_name": COMMUNE, "ineligible": ""},
                {
                    "id": 12,
                    "title": TITLE_85,
                    "unit_name": "Phòng Tư pháp",
                    "ineligible": "chưa có ngày áp dụng lần đầu",
                },
            ],
            "approve_min_total": 50,
            "review_deadline": date(2024, 11, 5),
        },
        subject="Đề nghị chấm điểm 02 sáng kiến cải cách hành chính năm 2024",
        dates=("05/11/2024",),
        says=(
            "Phó Chủ tịch Hội đồng sáng kiến",
            TITLE_VINH_O,
            TITLE_85,
            "không đủ điều kiện công nhận: chưa có ngày áp dụng lần đầu",
            "Tính mới tối đa 30 điểm; Khả năng áp dụng, nhân rộng tối đa 35 điểm; Hiệu quả tối đa 35 điểm",
            "tổng điểm từ 50 trở lên",
            "chậm nhất ngày 05/11/2024",
        ),
    ),
    "more_information": Case(
        kind="more_information",
        recipient="Phòng Tư pháp",
        own={
            "title": TITLE_85,
            "missing": "1. Số liệu hồ sơ trước và sau khi áp dụng;\n2. Xác nhận của các xã đã áp dụng.",
            "new_deadline": date(2024, 11, 5),
        },
        subject=f'Đề nghị bổ sung thông tin sáng kiến "{TITLE_85}"',
        dates=("05/11/2024",),
        says=(
            TITLE_85,
            "1. Số liệu hồ sơ trước và sau khi áp dụng;",
            "2. Xác nhận của các xã đã áp dụng.",
            "chậm nhất ngày 05/11/2024 để Hội đồng tiếp tục xem xét",
        ),
    ),
    "decision_recognized": Case(
        kind="decision",
        recipient="Phòng Nội vụ",
        own={
            "recognized": True,
            "title": TITLE_81,
            "authors": "Lê Thị Thu Hà, Trần Minh Đức, Nguyễn Thị Diệu Linh",
            "decision_number": "125/QĐ-UBND",
            "decision_date": date(2024, 12, 20),
        },
        subject=f'Sáng kiến "{TITLE_81}" được công nhận',
        dates=("20/12/2024",),
        says=(
            TITLE_81,
            "(tác giả: Lê Thị Thu Hà, Trần Minh Đức, Nguyễn Thị Diệu Linh)",
            "đã được Ủy ban nhân dân huyện Vĩnh Linh công nhận tại Quyết định số 125/QĐ-UBND ngày 20/12/2024",
            "Chiến sĩ thi đua cơ sở",
        ),
        never_says=("không được đề nghị công nhận",),
    ),
    "decision_not_recognized": Case(
        kind="decision",
        recipient="UBND xã Hiền Thành",
        own={
            "recognized": False,
            "left_out": False,
            "ineligible": False,
            "title": "Lãnh đạo UBND xã ký số hồ sơ thủ tục hành chính theo khung giờ cố định trong ngày",
            "authors": "Nguyễn Văn Lợi",
            "reasons": [
                "Chưa có số liệu chứng minh hiệu quả.",
                "Giải pháp đã được áp dụng rộng rãi tại nhiều địa phương, chưa có tính mới.",
            ],
        },
        subject=(
            'Kết quả xét công nhận sáng kiến "Lãnh đạo UBND xã ký số hồ sơ thủ tục hành chính '
            'theo khung giờ cố định trong ngày"'
        ),
        dates=(),
        says=(
            "(tác giả: Nguyễn Văn Lợi)",
            "không được đề nghị công nhận năm 2024, với lý do:",
            "Chưa có số liệu chứng minh hiệu quả.",
            "chưa có tính mới",
            "đề xuất lại trong năm sau",
        ),
        never_says=("Quyết định số", "đã được công nhận"),
    ),
    "decision_left_out": Case(
        kind="decision",
        recipient="Phòng Tư pháp",
        own={
            "recognized": False,
            "left_out": True,
            "title": "Số hóa sổ hộ tịch và tra cứu trực tuyến",
            "authors": "Hoàng Thị Lan",
            "reasons": ["Sáng kiến trùng nội dung với sáng kiến đã công nhận năm 2023."],
            "decision_number": "125/QĐ-UBND",
            "decision_date": date(2024, 12, 20),
        },
        subject='Kết quả xét công nhận sáng kiến "Số hóa sổ hộ tịch và tra cứu trực tuyến"',
        dates=("20/12/2024",),
        says=(
            (
                "được Hội đồng sáng kiến đề nghị nhưng không được Ủy ban nhân dân huyện Vĩnh Linh công nhận "
                "tại Quyết định số 125/QĐ-UBND ngày 20/12/2024, với lý do:"
            ),
            "Sáng kiến trùng nội dung với sáng kiến đã công nhận năm 2023.",
        ),
        never_says=("không được đề nghị công nhận", "đã được công nhận"),
    ),
    "decision_ineligible": Case(
        kind="decision",
        recipient="Phòng Tư pháp",
        own={
            "recognized": False,
            "left_out": False,
            "ineligible": True,
            "title": "Nhóm Zalo hỗ trợ nghiệp vụ hộ tịch",
            "authors": "Võ Thị Ngọc Ánh, Võ Văn Toàn",
            "reasons": [
                "chưa có ngày áp dụng lần đầu (sáng kiến phải đã được áp dụng hoặc áp dụng thử)",
            ],
        },
        subject='Kết quả xét công nhận sáng kiến "Nhóm Zalo hỗ trợ nghiệp vụ hộ tịch"',
        dates=(),
        says=(
            "không đủ điều kiện công nhận năm 2024, với lý do:",
            "chưa có ngày áp dụng lần đầu",
        ),
        never_says=("Quyết định số", "không được đề nghị công nhận"),
    ),
    "certificate": Case(
        kind="certificate",
        recipient="Lê Thị Thu Hà",
        own={
            "title": TITLE_81,
            "decision_number": "125/QĐ-UBND",
            "decision_date": date(2024, 12, 20),
        },
        subject=f'Giấy chứng nhận sáng kiến "{TITLE_81}"',
        dates=("20/12/2024",),
        says=(
            "Kính gửi: Lê Thị Thu Hà",
            "công nhận tại Quyết định số 125/QĐ-UBND ngày 20/12/2024",
            "Gửi kèm thư này Giấy chứng nhận sáng kiến của Ông (Bà).",
        ),
        never_says=("quý", "không được đề nghị công nhận"),
    ),
    "score": Case(
        kind="score",
        recipient=COMMUNE,
        own={
            "scorecards": "Bộ chỉ số cải cách hành chính cấp xã năm 2024",
            "lines": [
                {
                    "label": "Đề xuất sáng kiến",
                    "points": 1,
                    "max_points": 2,
                    "reason": "Gửi trễ 9 ngày",
                },
                {
                    "label": "Báo cáo nhân rộng",
                    "points": 1,
                    "max_points": 1,
                    "reason": "Đủ 05 sáng kiến, đúng hạn",
                },
            ],
            "contest_deadline": date(2025, 1, 10),
        },
        subject="Kết quả đánh giá sáng kiến cải cách hành chính năm 2024 của UBND xã Vĩnh Ô",
        dates=("10/01/2025",),
        says=(
            "được đưa vào Bộ chỉ số cải cách hành chính cấp xã năm 2024",
            "Gửi trễ 9 ngày",
            "Đủ 05 sáng kiến, đúng hạn",
            "trước ngày 10/01/2025",
        ),
    ),
    "extension_receipt": Case(
        kind="extension_receipt",
        recipient=COMMUNE,
        own={
            "obligation": "đề xuất sáng kiến",
            "obligation_long": "đề xuất ít nhất một sáng kiến cải cách hành chính được áp dụng",
            "requested_on": date(2024, 9, 2),
            "requested_until": date(2024, 9, 10),
            "reason": "Chờ số liệu áp dụng tháng 8",
            "deadline_text": MOVED,
        },
        subject="Xác nhận đã nhận đề nghị gia hạn đề xuất sáng kiến của UBND xã Vĩnh Ô",
        dates=("02/09/2024", "10/09/2024", "04/9/2024"),
        says=(
            "xác nhận đã nhận đề nghị gia hạn của UBND xã Vĩnh Ô, gửi ngày 02/09/2024",
            f"Hạn hiện tại: {MOVED}",
            "Đề nghị gia hạn đến ngày: 10/09/2024",
            "Lý do: Chờ số liệu áp dụng tháng 8",
            "hạn hiện tại vẫn giữ nguyên",
        ),
    ),
    "extension_approved": Case(
        kind="extension_decision",
        recipient=COMMUNE,
        own={
            "obligation": "đề xuất sáng kiến",
            "obligation_long": "đề xuất sáng kiến cải cách hành chính",
            "requested_on": date(2024, 9, 2),
            "requested_until": date(2024, 9, 10),
            "approved": True,
            "decided_until": date(2024, 9, 13),
            "decision_reason": "Gia hạn thêm để bổ sung số liệu",
            "deadline_text": "13/09/2024 (đã được gia hạn; thời hạn trước đó là ngày 04/09/2024)",
        },
        subject="Đồng ý gia hạn đề xuất sáng kiến đến ngày 13/09/2024",
        dates=("02/09/2024", "10/09/2024", "13/09/2024"),
        says=(
            "Xét đề nghị gia hạn ngày 02/09/2024 của UBND xã Vĩnh Ô",
            "Đồng ý gia hạn đến hết ngày 13/09/2024.",
            "Hạn của đơn vị: 13/09/2024 (đã được gia hạn; thời hạn trước đó là ngày 04/09/2024).",
            "Ghi chú: Gia hạn thêm để bổ sung số liệu",
        ),
        never_says=("Không đồng ý",),
    ),
    "extension_refused": Case(
        kind="extension_decision",
        recipient=COMMUNE,
        own={
            "obligation": "báo cáo kết quả áp dụng sáng kiến",
            "obligation_long": "báo cáo kết quả xây dựng và triển khai áp dụng các sáng kiến năm 2024",
            "requested_on": date(2024, 10, 15),
            "requested_until": date(2024, 11, 15),
            "approved": False,
            "decision_reason": "Thời hạn đã được thông báo từ tháng 01/2024",
            "deadline_text": "22/10/2024",
        },
        subject="Không đồng ý gia hạn báo cáo kết quả áp dụng sáng kiến",
        dates=("15/10/2024", "15/11/2024", "22/10/2024"),
        says=(
            "Không đồng ý gia hạn. Lý do: Thời hạn đã được thông báo từ tháng 01/2024",
            "Hạn của đơn vị giữ nguyên: 22/10/2024.",
        ),
        never_says=("Đồng ý gia hạn đến",),
    ),
    "mail_refused": Case(
        kind="mail_refused",
        recipient=COMMUNE,
        own={
            "received_on": date(2024, 6, 10),
            "original_subject": "Re: đề xuất sáng kiến",
            "errors": [
                "de-xuat-sang-kien-2024-19426.xlsx:3:solution_type: phải là một trong: kỹ thuật, quản lý",
                "bao-cao.xlsm: tệp .xlsm (có thể chứa macro hoặc là định dạng cũ) không được mở",
            ],
            "stored_files": ["bao-cao-nhan-rong-2024-19426.xlsx"],
        },
        subject="Hồ sơ gửi qua thư điện tử ngày 10/06/2024 chưa được tiếp nhận",
        dates=("10/06/2024",),
        says=(
            'đã nhận thư của đơn vị gửi ngày 10/06/2024 (tiêu đề: "Re: đề xuất sáng kiến")',
            "Các tệp sau đã được tiếp nhận, có thư xác nhận riêng: bao-cao-nhan-rong-2024-19426.xlsx.",
            "de-xuat-sang-kien-2024-19426.xlsx:3:solution_type: phải là một trong: kỹ thuật, quản lý",
            "bao-cao.xlsm: tệp .xlsm",
            "hệ thống không lưu dòng nào của các tệp này",
            "TỆP:DÒNG:CỘT",
            "gửi lại toàn bộ tệp bằng cách trả lời thư này",
        ),
        never_says=("quý",),
    ),
    "mail_empty": Case(
        kind="mail_empty",
        recipient=COMMUNE,
        own={
            "received_on": date(2024, 6, 10),
            "original_subject": "Hỏi về hạn gửi",
            "ignored": ["cong-van.pdf"],
            "workbooks": [
                {"filename": "de-xuat-sang-kien-2024-19426.xlsx", "what": "đề xuất sáng kiến"},
                {"filename": "bao-cao-nhan-rong-2024-19426.xlsx", "what": "báo cáo nhân rộng"},
            ],
        },
        subject="Thư gửi ngày 10/06/2024 chưa có tệp hồ sơ sáng kiến",
        dates=("10/06/2024",),
        says=(
            "không có tệp hồ sơ sáng kiến mà hệ thống đọc được",
            "(tệp kèm theo cong-van.pdf không phải tệp hồ sơ)",
            "de-xuat-sang-kien-2024-19426.xlsx: đề xuất sáng kiến",
            "bao-cao-nhan-rong-2024-19426.xlsx: báo cáo nhân rộng",
            "không nhận tệp nén, tệp có macro (.xlsm)",
            "Phòng Nội vụ sẽ xem và trả lời riêng",
        ),
        never_says=("quý",),
    ),
    "mail_wrong_sender": Case(
        kind="mail_wrong_sender",
        recipient=COMMUNE,
        own={
            "received_on": date(2024, 6, 10),
            "original_subject": "Hồ sơ sáng kiến",
            "sender": "canbo@gmail.example.com",
            "files": ["de-xuat-sang-kien-2024-19426.xlsx"],
            "registered": "xavinho@vinhlinh.example.org",
        },
        subject=f"Hồ sơ của {COMMUNE} được gửi từ địa chỉ thư chưa đăng ký",
        dates=("10/06/2024",),
        says=(
            "Ngày 10/06/2024, Phòng Nội vụ nhận được thư từ địa chỉ canbo@gmail.example.com",
            "kèm tệp hồ sơ của đơn vị: de-xuat-sang-kien-2024-19426.xlsx",
            "không phải địa chỉ thư điện tử đã đăng ký của đơn vị (xavinho@vinhlinh.example.org)",
            "Nếu đơn vị không gửi thư này, đề nghị báo ngay cho Phòng Nội vụ.",
        ),
        never_says=("quý",),
    ),
}


def flat(text: str) -> str:
    """Text with every run of whitespace as one space."""
    return _SPACES.sub(" ", text).strip()


def visible(page: str) -> str:
    """What a mail client shows of an HTML part: tags gone, entities decoded, spaces collapsed."""
    return flat(html_lib.unescape(_TAGS.sub("", _BLOCK_TAGS.sub(" ", page))))


def map_strings(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with ``change`` applied to every string inside it (dicts, lists, tuples)."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: map_strings(item, change) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [map_strings(item, change) for item in value]
    return value


def appending(tail: str) -> Callable[[str], str]:
    """A change that appends ``tail`` to a string."""
    return lambda value: value + tail


def nfd(value: str) -> str:
    """The decomposed form, as macOS and some web forms send Vietnamese."""
    return unicodedata.normalize("NFD", value)


def is_nfc(value: str) -> bool:
    """Whether ``value`` is already in NFC."""
    return unicodedata.is_normalized("NFC", value)


def context_for(cycle: Cycle, case: Case) -> dict[str, Any]:
    """The full context of ``case``: the cycle's facts, the kind's own, the recipient."""
    context = base_context(cycle)
    if case.kind == "review_request":
        criteria = CycleConfig.model_validate(cycle.config).review.criteria
        context["criteria"] = [{"label": c.label, "max_points": c.max_points} for c in criteria]
    return {**context, **case.own, "recipient_name": case.recipient}


def render_case(cycle: Cycle, name: str) -> RenderedNotice:
    """Render one of ``CASES``."""
    case = CASES[name]
    return render_notice(case.kind, context_for(cycle, case))


def test_every_notice_kind_has_a_case_here() -> None:
    """A new kind added to NOTICES without a rendering case here fails this test."""
    assert {case.kind for case in CASES.values()} == set(NOTICES)


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_renders_a_one_line_vietnamese_subject(cycle: Cycle, name: str) -> None:
    """The subject is exactly the one line a unit sees in its inbox."""
    rendered = render_case(cycle, name)
    assert rendered.subject == CASES[name].subject
    assert len(rendered.subject.splitlines()) == 1
    assert rendered.subject == rendered.subject.strip()


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_greets_the_recipient_in_both_parts(cycle: Cycle, name: str) -> None:
    """'Kính gửi: <recipient>' opens the text part and the HTML part."""
    rendered = render_case(cycle, name)
    greeting = f"Kính gửi: {CASES[name].recipient}"
    assert rendered.text.startswith(greeting)
    assert greeting in visible(rendered.html)


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_says_its_facts_in_both_parts(cycle: Cycle, name: str) -> None:
    """Both parts carry the same facts (deadlines, titles, days late, reasons)."""
    case = CASES[name]
    rendered = render_case(cycle, name)
    text, page = flat(rendered.text), visible(rendered.html)
    for phrase in case.says:
        assert phrase in text, phrase
        assert phrase in page, phrase
    for phrase in case.never_says:
        assert phrase not in text, phrase
        assert phrase not in page, phrase


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_writes_dates_as_dd_mm_yyyy(cycle: Cycle, name: str) -> None:
    """Deadlines read 04/09/2024 as Vietnamese documents write them, never 2024-09-04."""
    rendered = render_case(cycle, name)
    for day in CASES[name].dates:
        assert day in rendered.text, day
        assert day in visible(rendered.html), day
    for part in (rendered.subject, rendered.text, rendered.html):
        assert ISO_DATE.search(part) is None, part


@pytest.mark.parametrize("name", list(CASES))
def test_every_notice_is_signed_by_the_standing_office_never_by_a_leader(cycle: Cycle, name: str) -> None:
    """An unsigned e-mail carries the standing office's name, telephone and address; no leader's
    name, no TM./KT. block, no title of a leader (only the attached letter is signed)."""
    rendered = render_case(cycle, name)
    office = (
        "PHÒNG NỘI VỤ\n(Cơ quan thường trực tiếp nhận hồ sơ sáng kiến)\nỦy ban nhân dân huyện Vĩnh Linh\n"
    )
    assert office in rendered.text
    assert "Điện thoại: 0233 3999 999\nThư điện tử: noivu@vinhlinh.example.org" in rendered.text
    page = visible(rendered.html)
    assert (
        "PHÒNG NỘI VỤ (Cơ quan thường trực tiếp nhận hồ sơ sáng kiến) Ủy ban nhân dân huyện Vĩnh Linh" in page
    )
    assert "Điện thoại: 0233 3999 999 Thư điện tử: noivu@vinhlinh.example.org" in page
    for part in (rendered.text, page):
        for leader in ("Thái Văn Thành", "Nguyễn Văn Hải", "TM.", "KT.", "CHỦ TỊCH"):
            assert leader not in part, leader
        assert "quý" not in part.lower()
        assert "vui lòng" not in part.lower()


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_is_nfc_even_from_a_decomposed_context(cycle: Cycle, name: str) -> None:
    """A context in NFD (every string decomposed) still gives NFC subject, text and HTML."""
    context = map_strings(context_for(cycle, CASES[name]), nfd)
    rendered = render_notice(CASES[name].kind, context)
    for part in (rendered.subject, rendered.text, rendered.html):
        assert is_nfc(part)
    assert f"Kính gửi: {CASES[name].recipient}" in rendered.text
    assert f"Kính gửi: {CASES[name].recipient}" in visible(rendered.html)


@pytest.mark.parametrize("name", ["more_information", "decision_recognized", "decision_not_recognized"])
def test_a_decomposed_title_is_not_shortened_where_its_nfc_form_is_not(cycle: Cycle, name: str) -> None:
    """An 81–85 letter title fits the subject whole; its NFD form (more code points) must too."""
    context = context_for(cycle, CASES[name])
    decomposed = render_notice(CASES[name].kind, map_strings(context, nfd))
    assert decomposed.subject == CASES[name].subject
    assert decomposed == render_notice(CASES[name].kind, context)


def _needed(name: str) -> list[str]:
    """Every variable ``CASES[name]`` needs beyond the cycle's facts, plus two every kind uses."""
    extra = (
        ["legal_bases", "deadline_texts", "replicated", "call_items"] if name == "call_for_proposals" else []
    )
    return [*CASES[name].own, *extra, "recipient_name", "office"]


@pytest.mark.parametrize("name", list(CASES))
def test_a_missing_variable_is_an_error_never_a_gap(cycle: Cycle, name: str) -> None:
    """StrictUndefined: without any one of its facts a notice is not rendered at all."""
    for missing in _needed(name):
        context = context_for(cycle, CASES[name])
        del context[missing]
        with pytest.raises(Exception) as caught:  # noqa: PT011 - any error will do; the next test names it
            render_notice(CASES[name].kind, context)
        assert caught.type is not AssertionError


@pytest.mark.parametrize("name", list(CASES))
def test_a_missing_variable_is_named_in_the_error(cycle: Cycle, name: str) -> None:
    """The error is Jinja's UndefinedError naming the missing fact (dates included), for the log."""
    unnamed = []
    for missing in _needed(name):
        context = context_for(cycle, CASES[name])
        del context[missing]
        try:
            render_notice(CASES[name].kind, context)
        except UndefinedError as exc:
            if f"'{missing}'" not in str(exc):
                unnamed.append(f"{missing}: {exc}")
        except Exception as exc:  # noqa: BLE001 - any other error is what this test reports
            unnamed.append(f"{missing}: {type(exc).__name__}: {exc}")
        else:
            unnamed.append(f"{missing}: rendered without it")
    assert unnamed == []


def test_an_unknown_kind_is_refused(cycle: Cycle) -> None:
    """A kind without templates is a ValueError naming it."""
    with pytest.raises(ValueError, match="thank_you"):
        render_notice("thank_you", {**base_context(cycle), "recipient_name": COMMUNE})


@pytest.mark.parametrize("name", list(CASES))
def test_markup_in_user_text_is_escaped_in_html_and_verbatim_in_text(cycle: Cycle, name: str) -> None:
    """'<script>', '&', quotes in a name or title show as typed; the HTML part never runs them."""
    case = CASES[name]
    context = {**base_context(cycle), **map_strings(case.own, appending(f" {MARKUP}"))}
    if case.kind == "review_request":
        context["criteria"] = [{"label": f"Tính mới {MARKUP}", "max_points": 30}]
    context["recipient_name"] = f"{case.recipient} {MARKUP}"
    rendered = render_notice(case.kind, context)
    assert f"Kính gửi: {case.recipient} {MARKUP}" in rendered.text
    assert "<script>" not in rendered.html
    assert f"{case.recipient} {MARKUP_ESCAPED}" in rendered.html
    assert f"Kính gửi: {case.recipient} {MARKUP}" in visible(rendered.html)
    assert rendered.text.count(MARKUP) >= 2
    assert rendered.html.count(MARKUP_ESCAPED) >= rendered.text.count(MARKUP)


@pytest.mark.parametrize("name", list(CASES))
def test_a_line_break_in_a_name_or_title_never_breaks_the_subject(cycle: Cycle, name: str) -> None:
    """'…\\r\\nBcc: x@evil.example' in the recipient or a title stays on the subject's one line."""
    case = CASES[name]
    for line_break in ("\r\n", "\n", "\r", "\u2028", "\x85", "\x0b"):
        injected = INJECTION.replace("\r\n", line_break)
        context = {**base_context(cycle), **map_strings(case.own, appending(injected))}
        if case.kind == "review_request":
            context["criteria"] = [{"label": "Tính mới", "max_points": 30}]
        context["recipient_name"] = case.recipient + injected
        subject = render_notice(case.kind, context).subject
        assert len(subject.splitlines()) == 1, repr(line_break)
        assert "\r" not in subject
        assert "\n" not in subject
        if case.kind in ("receipt", "score"):
            assert subject.endswith(f"{case.recipient} Bcc: x@evil.example")


def test_escalation_repeats_the_seed_letter_for_an_agency_without_the_commune_index(cycle: Cycle) -> None:
    """An agency is not scored on the commune CCHC index; no document line when none is attached."""
    context = context_for(cycle, CASES["escalation"])
    context.update(recipient_name="Phòng Y tế", is_commune=False, document=None)
    rendered = render_notice("escalation", context)
    for part in (flat(rendered.text), visible(rendered.html)):
        assert (
            f"chậm nhất ngày {CASES['escalation'].own['deadline_text']}; tuy nhiên đến ngày 01/10/2024"
            in part
        )
        assert "Phòng Y tế chưa thực hiện nội dung trên" in part
        assert "khẩn trương" in part
        assert "trước ngày 22/10/2024" in part
        assert "nghiêm túc triển khai thực hiện" in part
        assert "đánh giá mức độ hoàn thành nhiệm vụ năm 2024." in part
        assert "xã, phường, thị trấn" not in part
        assert "gửi kèm thư này" not in part


def test_a_long_title_is_shortened_in_the_subject_but_whole_in_the_body(cycle: Cycle) -> None:
    """A 109-character title ends with '…' in the subject; the letter gives it in full."""
    context = {**context_for(cycle, CASES["decision_recognized"]), "title": TITLE_LONG}
    rendered = render_notice("decision", context)
    shown = rendered.subject.removeprefix('Sáng kiến "').removesuffix('" được công nhận')
    assert shown.endswith("…")
    assert TITLE_LONG.startswith(shown.removesuffix("…"))
    assert len(shown) <= 80
    assert TITLE_LONG in rendered.text
    assert TITLE_LONG in visible(rendered.html)


def test_score_points_are_written_with_a_decimal_comma(cycle: Cycle) -> None:
    """0.5 of 1 reads '0,5/1 điểm' in Vietnamese, in both parts."""
    line = {
        "label": "Báo cáo kết quả",
        "points": Decimal("0.50"),
        "max_points": Decimal("1.00"),
        "reason": "trễ",
    }
    rendered = render_notice(
        "score",
        {
            **base_context(cycle),
            "recipient_name": "UBND xã Vĩnh Ô",
            "lines": [line],
            "scorecards": "đánh giá mức độ hoàn thành nhiệm vụ năm 2024",
            "contest_deadline": None,
        },
    )
    assert "Báo cáo kết quả: 0,5/1 điểm. Lý do: trễ" in rendered.text
    assert "<td>0,5</td><td>1</td>" in rendered.html
