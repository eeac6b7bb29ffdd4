"""Builders for the mailbox tests: a real Dovecot per session, a fresh mailbox per test, units'
replies as a mail client writes them, filled workbooks, and what the folders hold.

Messages go in with IMAP APPEND, as a mail server delivers them; INTERNALDATE is the day the unit
sent its reply.
"""

from __future__ import annotations

import io
import itertools
import os
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from imapclient import IMAPClient
from openpyxl import load_workbook
from pydantic import SecretStr

from deployments.mailserver import ImapServer, available, dovecot
from models.settings import ImapSettings

AUTHORITY = "noivu@vinhlinh.example.org"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_USERS = itertools.count(1)
SPARES = 400
PASSWORD = "mat-khau-hop-thu"  # noqa: S105 - a test mailbox's
INITIATIVE = {
    "title": "Tra cứu hồ sơ hộ tịch bằng mã QR tại Bộ phận Một cửa",
    "solution_type": "tác nghiệp",
    "field": "thủ tục hành chính",
    "authors": "Nguyễn Thị Hoa | Công chức Tư pháp - Hộ tịch | 100",
    "solution": "Dán mã QR lên phiếu hẹn để người dân tự tra cứu tình trạng hồ sơ.",
    "effects": "Giảm 40% số lượt người dân hỏi trực tiếp về tình trạng hồ sơ.",
    "replicable": "có",
}


@pytest.fixture(scope="session")
def imap_server() -> Iterator[ImapServer]:
    """Dovecot for the whole session; skipped where it cannot run (failed in CI)."""
    reason = available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with dovecot(password=PASSWORD, spares=SPARES) as server:
        yield server


@pytest.fixture
def mailbox(imap_server: ImapServer) -> ImapSettings:
    """Settings for a new, empty mailbox of the session's Dovecot."""
    user = imap_server.spare(next(_USERS))
    return ImapSettings(
        host="127.0.0.1",
        port=imap_server.port,
        username=user,
        password=SecretStr(PASSWORD),
        ssl=False,
        timeout=15,
    )


def client(settings: ImapSettings) -> IMAPClient:
    """A logged-in IMAP session on ``settings``' mailbox."""
    made = IMAPClient(str(settings.host), port=settings.resolved_port, ssl=False, timeout=15)
    made.login(str(settings.username), settings.password.get_secret_value() if settings.password else "")
    return made


def append(settings: ImapSettings, messages: Sequence[bytes], when: datetime) -> None:
    """Deliver ``messages`` to the INBOX, received at ``when``."""
    session = client(settings)
    try:
        for raw in messages:
            session.append("INBOX", raw, msg_time=when)
    finally:
        session.logout()


def folders(settings: ImapSettings) -> dict[str, int]:
    """How many messages each folder holds."""
    session = client(settings)
    try:
        return {
            name: int(session.folder_status(name, ["MESSAGES"])[b"MESSAGES"])
            for flags, _delimiter, name in session.list_folders()
            if b"\\Noselect" not in flags and b"\\NonExistent" not in flags
        }
    finally:
        session.logout()


def reply(
    sender: str,
    attachments: Sequence[tuple[str, bytes]] = (),
    *,
    subject: str = "Re: đề xuất sáng kiến cải cách hành chính năm 2024",
    in_reply_to: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[bytes, str]:
    """A unit's reply as its mail client writes it; returns its bytes and Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = AUTHORITY
    message["Subject"] = subject
    message_id = make_msgid(domain=sender.rpartition("@")[2] or "donvi.example.org")
    message["Message-ID"] = message_id
    message["Date"] = "Mon, 10 Jun 2024 09:00:00 +0700"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content("Kính gửi Phòng Nội vụ,\n\nĐơn vị gửi hồ sơ kèm theo.\n")
    for filename, data in attachments:
        maintype, _, subtype = (XLSX if filename.endswith(".xlsx") else "application/octet-stream").partition(
            "/"
        )
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes(), message_id


def filled(workbook: bytes, rows: Sequence[dict[str, Any]], start: int = 2) -> bytes:
    """The workbook as a unit fills it in Excel: rows written under the header, saved again (its
    document properties kept)."""
    book = load_workbook(io.BytesIO(workbook))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    for offset, row in enumerate(rows):
        for column, label in enumerate(header, start=1):
            for name, value in row.items():
                if label == name or label == _label(name):
                    sheet.cell(row=start + offset, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _label(column: str) -> str:
    from models.intake import INITIATIVES, REPLICATION

    return {**INITIATIVES.columns, **REPLICATION.columns}.get(column, column)


JUNE = datetime(2024, 6, 10, 2, 0, tzinfo=UTC)  # 09:00 in Vĩnh Linh
