"""The e-mail of a notice, read back as a mail client reads it.

Each test builds the message of an ``OutgoingNotice`` with ``build_message`` and parses the bytes
that go on the wire with ``email.message_from_bytes(raw, policy=email.policy.default)``: what
the recipient's client shows as subject, sender, recipient, body and attachments.
"""

from __future__ import annotations

import email
import email.policy
import io
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from models.imports import import_kind
from notifications.mail.messages import Attachment, Envelope, Sender, build_message
from notifications.mail.outbox import OutgoingNotice
from notifications.notices.rendering import render_notice
from tests.builders import CatalogueItem, initiative_workbook, replication_workbook

NOW = datetime(2024, 9, 10, 8, 30, tzinfo=UTC)
AUTHORITY = "Ủy ban nhân dân huyện Vĩnh Linh"
SENDER = Sender("noreply@sangkien.example", AUTHORITY, "noivu@vinhlinh.example.org")
COMMUNE = "UBND xã Vĩnh Ô"
COMMUNE_EMAIL = "xavinho@vinhlinh.example.org"
MESSAGE_ID = "<3f2a9c0d5e7b41a8b6c4d2e0f1a3b5c7@sangkien.example>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VIETNAMESE_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE_LETTERS = VIETNAMESE_LOWER + VIETNAMESE_LOWER.upper()
CATALOGUE = [
    CatalogueItem("NR01", "Tra cứu thủ tục hành chính và nhận thông báo qua Zalo OA của UBND"),
    CatalogueItem("NR02", "Trả kết quả giải quyết thủ tục hành chính tại nhà qua dịch vụ bưu chính công ích"),
]


def _context(**extra: Any) -> dict[str, Any]:
    """A receipt's facts, as the notices module gives them for the bundled cycle."""
    return {
        "authority_name": AUTHORITY,
        "home_affairs": "Phòng Nội vụ",
        "authority_email": "noivu@vinhlinh.example.org",
        "year": 2024,
        "office": {
            "name": "Phòng Nội vụ",
            "phone": "0233 3999 999",
            "email": "noivu@vinhlinh.example.org",
            "contact": "",
        },
        "recipient_name": COMMUNE,
        "what": "đề xuất sáng kiến",
        "items": [
            "Hướng dẫn thủ tục hành chính bằng tiếng Vân Kiều qua người có uy tín và loa truyền thanh bản"
        ],
        "submitted_on": date(2024, 9, 9),
        "deadline_text": "31/08/2024 "
        "(do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)",
        "days_late": 5,
        "warnings": [],
        **extra,
    }


def notice(**changes: Any) -> OutgoingNotice:
    """A rendered receipt to the commune of Vĩnh Ô, as claimed from the outbox."""
    rendered = render_notice("receipt", _context())
    fields: dict[str, Any] = {
        "id": 1,
        "cycle_id": 1,
        "recipient": COMMUNE_EMAIL,
        "recipient_name": COMMUNE,
        "subject": rendered.subject,
        "text": rendered.text,
        "html": rendered.html,
        "message_id": MESSAGE_ID,
        "attachments": [],
    }
    return OutgoingNotice(**{**fields, **changes})


def parse(envelope: Envelope) -> EmailMessage:
    """The message as a mail client reads it."""
    message = email.message_from_bytes(envelope.data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def crlf_to_lf(text: str) -> str:
    """Mail carries text with CRLF line ends; clients show LF."""
    return text.replace("\r\n", "\n")


def test_subject_from_and_to_decode_to_the_exact_vietnamese() -> None:
    """The inbox shows the subject, the authority's name and the commune's name with every mark."""
    item = notice()
    message = parse(build_message(item, SENDER, [], NOW))
    assert message["Subject"] == "Xác nhận đã nhận đề xuất sáng kiến của UBND xã Vĩnh Ô"
    sender = message["From"].addresses
    assert [(a.display_name, a.addr_spec) for a in sender] == [(AUTHORITY, "noreply@sangkien.example")]
    recipient = message["To"].addresses
    assert [(a.display_name, a.addr_spec) for a in recipient] == [(COMMUNE, COMMUNE_EMAIL)]
    assert message["Content-Language"] == "vi"
    assert parsedate_to_datetime(message["Date"]) == NOW


def test_a_long_subject_keeps_every_space_between_words() -> None:
    """The call for proposals' subject (over 78 columns, so folded) arrives word for word."""
    subject = "Ủy ban nhân dân huyện Vĩnh Linh: đề nghị đề xuất sáng kiến cải cách hành chính năm 2024"
    message = parse(build_message(notice(subject=subject), SENDER, [], NOW))
    assert message["Subject"] == subject
    assert "cải cách hành chính" in message["Subject"]


words = st.text(alphabet=VIETNAMESE_LETTERS, min_size=1, max_size=9) | st.sampled_from(
    ["2024", "31/08/2024", "05", ":", "-", "(hạn", "22/10/2024)", '"Nhóm', 'Zalo"', "…", "UBND", "CCHC"]
)
subjects = st.lists(words, min_size=1, max_size=60).map(" ".join).filter(lambda s: len(s) <= 200)


@settings(max_examples=300, deadline=None)
@given(subject=subjects)
def test_any_vietnamese_subject_decodes_to_itself(subject: str) -> None:
    """Property: whatever the words and wherever the header folds, the client shows the subject."""
    envelope = build_message(notice(subject=subject), SENDER, [], NOW)
    message = parse(envelope)
    assert message["Subject"] == subject
    assert len(message.get_all("Subject") or []) == 1
    assert all(len(line) <= 998 for line in envelope.data.split(b"\r\n"))


def test_text_and_html_are_alternatives_with_the_notice_content() -> None:
    """multipart/alternative: a plain text part and an HTML part, each decoding to the notice's."""
    item = notice()
    message = parse(build_message(item, SENDER, [], NOW))
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    plain, page = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None
    assert page is not None
    assert plain.get_content_charset() == "utf-8"
    assert crlf_to_lf(plain.get_content()) == item.text
    assert crlf_to_lf(page.get_content()) == item.html
    assert "Hồ sơ được gửi chậm 05 ngày so với thời hạn (ngày 31/08/2024 (do trùng" in plain.get_content()
    assert "<strong>chậm 05 ngày so với thời hạn</strong>" in page.get_content()


def test_message_id_and_reply_to_are_set() -> None:
    """Message-ID is the outbox's (same on a resend); replies go to the Home Affairs office."""
    message = parse(build_message(notice(), SENDER, [], NOW))
    assert message["Message-ID"] == MESSAGE_ID
    assert len(message.get_all("Message-ID") or []) == 1
    reply_to = message["Reply-To"].addresses
    assert [(a.display_name, a.addr_spec) for a in reply_to] == [(AUTHORITY, "noivu@vinhlinh.example.org")]


def test_no_reply_to_header_without_a_reply_address() -> None:
    """A sender without a reply address adds no Reply-To: replies go to From."""
    message = parse(build_message(notice(), Sender("noreply@sangkien.example", AUTHORITY), [], NOW))
    assert message["Reply-To"] is None


def test_the_envelope_goes_to_the_recipient_only() -> None:
    """SMTP envelope: from the configured sender, to the one address of the notice."""
    envelope = build_message(notice(), SENDER, [], NOW)
    assert envelope.sender == "noreply@sangkien.example"
    assert envelope.recipients == (COMMUNE_EMAIL,)


def test_attachments_open_in_a_spreadsheet_with_their_names() -> None:
    """Both workbooks arrive as .xlsx attachments, named as sent, that openpyxl opens."""
    files = [
        Attachment("de-xuat-sang-kien-2024-19426.xlsx", initiative_workbook("19426")),
        Attachment("Báo cáo nhân rộng 2024 - Vĩnh Ô.xlsx", replication_workbook("19426", CATALOGUE)),
    ]
    item = notice()
    message = parse(build_message(item, SENDER, files, NOW))
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(("plain",))
    assert body is not None
    assert crlf_to_lf(body.get_content()) == item.text
    attached = list(message.iter_attachments())
    assert [a.get_filename() for a in attached] == [f.filename for f in files]
    assert [a.get_content_type() for a in attached] == [XLSX, XLSX]
    assert [a.get_content_disposition() for a in attached] == ["attachment", "attachment"]
    first = load_workbook(io.BytesIO(attached[0].get_content())).worksheets[0]
    assert [c.value for c in first[1]] == list(import_kind("initiatives").columns.values())
    assert first["A2"].value == "19426"
    second = load_workbook(io.BytesIO(attached[1].get_content())).worksheets[0]
    assert [(r[0], r[1]) for r in second.iter_rows(min_row=2, max_col=2, values_only=True)] == [
        ("19426", "NR01"),
        ("19426", "NR02"),
    ]


@pytest.mark.parametrize("line_break", ["\r\n", "\n"])
def test_a_line_break_in_subject_or_name_injects_no_header(line_break: str) -> None:
    """'…\\r\\nBcc: x@evil.example' gives one Subject and one To header, and no Bcc at all."""
    item = notice(
        subject=f"Đề nghị bổ sung thông tin{line_break}Bcc: x@evil.example",
        recipient_name=f"{COMMUNE}{line_break}Bcc: x@evil.example",
    )
    envelope = build_message(item, SENDER, [], NOW)
    message = parse(envelope)
    assert len(message.get_all("Subject") or []) == 1
    assert len(message.get_all("To") or []) == 1
    assert message.get_all("Bcc") is None
    assert message["Subject"] == "Đề nghị bổ sung thông tin Bcc: x@evil.example"
    assert [a.addr_spec for a in message["To"].addresses] == [COMMUNE_EMAIL]
    assert message["To"].addresses[0].display_name == f"{COMMUNE} Bcc: x@evil.example"
    assert envelope.recipients == (COMMUNE_EMAIL,)
    header = envelope.data.split(b"\r\n\r\n", 1)[0]
    assert not any(line.lower().startswith(b"bcc") for line in header.split(b"\r\n"))


def test_every_line_is_at_most_998_octets() -> None:
    """RFC 5322: no line over 998 octets, even with a 10,000-letter paragraph and attachments."""
    paragraph = " ".join(["Chưa có số liệu chứng minh hiệu quả của sáng kiến tại các xã."] * 160)
    rendered = render_notice(
        "decision",
        {
            **_context(),
            "recognized": False,
            "left_out": False,
            "ineligible": False,
            "title": "Lãnh đạo UBND xã ký số hồ sơ thủ tục hành chính theo khung giờ cố định trong ngày",
            "authors": "Nguyễn Văn Lợi",
            "reasons": [paragraph],
        },
    )
    assert max(len(line.encode()) for line in rendered.text.splitlines()) > 998
    subject = " ".join(["Đôn đốc báo cáo kết quả áp dụng sáng kiến nhân rộng"] * 4)
    item = notice(subject=subject, text=rendered.text, html=rendered.html)
    files = [Attachment("de-xuat-sang-kien-2024-19426.xlsx", initiative_workbook("19426"))]
    envelope = build_message(item, SENDER, files, NOW)
    assert max(len(line) for line in envelope.data.split(b"\r\n")) <= 998
    message = parse(envelope)
    assert message["Subject"] == subject
    body = message.get_body(("plain",))
    assert body is not None
    assert crlf_to_lf(body.get_content()) == rendered.text


def test_an_answer_is_threaded_to_the_units_message_and_marked_automatic() -> None:
    """In-Reply-To and References name the unit's message; Auto-Submitted keeps an out-of-office
    reply from answering the answer (RFC 3834); a plain notice has none of these."""
    from notifications.mail.outbox import Thread

    chain = " ".join(f"<{n}.{'x' * 40}@xavinho.vinhlinh.example.org>" for n in range(8))
    theirs = "<reply-1@vinhlinh.example.org>"
    message = parse(build_message(notice(thread=Thread(theirs, f"{chain} {theirs}")), SENDER, [], NOW))
    assert message["In-Reply-To"] == theirs
    assert message["References"].split() == [*chain.split(), theirs]
    assert message["Auto-Submitted"] == "auto-replied"
    plain = parse(build_message(notice(), SENDER, [], NOW))
    assert (plain["In-Reply-To"], plain["References"], plain["Auto-Submitted"]) == (None, None, None)


def test_a_line_break_in_a_thread_header_never_adds_a_header() -> None:
    """Whatever reaches the outbox, a header value stays on its own line."""
    from notifications.mail.outbox import Thread

    forged = Thread("<a@b>\r\nBcc: x@evil.example", "<a@b>\nBcc: y@evil.example")
    message = parse(build_message(notice(thread=forged), SENDER, [], NOW))
    assert message["Bcc"] is None
    assert "Bcc: x@evil.example" in message["In-Reply-To"]
