"""Hostile and odd mail against the collector and a real Dovecot: each refused cleanly, with a
Vietnamese reason, without stopping the rest of the batch. SQLite only: none of this is about
the database."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from email.header import Header
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, func, select

from models.db import session_scope
from models.intake import Initiative
from models.settings import ImapSettings
from tests.mail_replies import AUTHORITY, JUNE, append, folders, reply
from tests.notifications.inbox_world import VINH_O, VINH_THUY, collect, ledger, opened, outbox, proposal

assert opened
pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def bomb() -> bytes:
    """An .xlsx whose sheet unpacks from ~100 KB to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(200):
                sheet.write(b" " * 1_048_576)
    return buffer.getvalue()


def laughs() -> bytes:
    """An .xlsx whose shared strings define entities that expand without end."""
    entities = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?>{entities}<sst>&lol2;</sst>')
    return buffer.getvalue()


def macro(workbook: bytes) -> bytes:
    """The workbook with a VBA project inside (an .xlsm renamed .xlsx)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(buffer, "w") as book:
        for item in source.infolist():
            book.writestr(item, source.read(item))
        book.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Attribute VB_Name")
    return buffer.getvalue()


def stored(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count(Initiative.id))) or 0


@pytest.mark.parametrize(
    ("filename", "content", "reason"),
    [
        (
            "de-xuat.xlsm",
            b"PK\x03\x04 macro",
            "tệp .xlsm (có thể chứa macro hoặc là định dạng cũ) không được mở",
        ),
        ("de-xuat.xlsx.exe", b"MZ\x90\x00", "tệp chương trình không được mở"),
        ("de-xuat.xlsx", b"MZ\x90\x00 a program named .xlsx", "tệp chương trình không được mở"),
        ("ho-so.zip", b"PK\x03\x04", "tệp nén không được mở"),
        ("bom.xlsx", None, "tệp giải nén ra 200 MB (tối đa 100 MB)"),
        ("laughs.xlsx", None, "phần xl/sharedStrings.xml khai báo thực thể XML"),
        ("macro.xlsx", None, "tệp có macro (VBA) nên không được mở"),
        ("cu.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old excel", "không phải tệp .xlsx"),
    ],
)
def test_a_hostile_file_is_never_opened_and_the_next_message_is_taken_in(
    engine: Engine, opened: int, mailbox: ImapSettings, filename: str, content: bytes | None, reason: str
) -> None:
    """The hostile reply is refused with the reason; the unit is told; the next reply is stored."""
    made = {"bom.xlsx": bomb, "laughs.xlsx": laughs}
    data = content if content is not None else made.get(filename, lambda: b"")()
    if filename == "macro.xlsx":
        data = macro(proposal(engine, opened, VINH_O[0]))
    hostile, _ = reply(VINH_O[1], [(filename, data)])
    good, _ = reply(VINH_THUY[1], [("a.xlsx", proposal(engine, opened, VINH_THUY[0]))])
    append(mailbox, [hostile, good], JUNE)
    run = collect(engine, opened, mailbox)
    assert run.outcomes == {"refused": 1, "stored": 1}
    assert stored(engine) == 1
    answers = {n.kind: n for n in outbox(engine)}
    assert f"{filename}: {reason}" in answers["mail_refused"].text.replace("\n  ", " ")
    assert answers["receipt"].recipient == VINH_THUY[1]
    assert ledger(engine)[0].files[0].outcome in ("not_opened", "refused")


def test_an_oversized_attachment_is_not_opened(engine: Engine, opened: int, mailbox: ImapSettings) -> None:
    """Above the attachment limit the file is refused with both sizes."""
    small = mailbox.model_copy(update={"max_attachment_bytes": 2048})
    raw, _ = reply(VINH_O[1], [("de-xuat.xlsx", proposal(engine, opened, VINH_O[0]))])
    append(small, [raw], JUNE)
    assert collect(engine, opened, small).outcomes == {"refused": 1}
    [answer] = outbox(engine)
    assert "de-xuat.xlsx: tệp quá lớn (" in answer.text
    assert "tối đa 0,0 MB" in answer.text


def test_a_message_above_the_size_limit_is_not_downloaded(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Only its headers are read: it is refused, the unit told why, the original not kept."""
    small = mailbox.model_copy(update={"max_message_bytes": 4096})
    raw, message_id = reply(VINH_O[1], [("de-xuat.xlsx", proposal(engine, opened, VINH_O[0]))])
    append(small, [raw], JUNE)
    assert collect(engine, opened, small).outcomes == {"too_large": 1}
    [answer] = outbox(engine)
    assert (answer.kind, answer.in_reply_to) == ("mail_refused", message_id)
    assert "thư quá lớn (" in answer.text
    [row] = ledger(engine)
    assert (row.raw, row.sha256, row.folder) == (None, None, small.rejected_folder)


NAME = "đề-xuất-vĩnh-thủy.xlsx"


def _encoded(filename_header: str, data: bytes) -> bytes:
    """A reply whose attachment's name is written as some mail clients write it."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = (
        VINH_THUY[1],
        AUTHORITY,
        "=?utf-8?q?H=E1=BB=93_s=C6=A1?=",
    )
    message["Message-ID"] = make_msgid(domain="vinhlinh.example.org")
    message.set_content("Gửi kèm hồ sơ.")
    message.add_attachment(data, maintype="application", subtype="octet-stream", filename="x.xlsx")
    part = next(iter(message.iter_attachments()))
    del part["Content-Disposition"]
    part["Content-Disposition"] = filename_header
    return message.as_bytes()


@pytest.mark.parametrize(
    "header",
    [
        "attachment; filename*=utf-8''%C4%91%E1%BB%81-xu%E1%BA%A5t-v%C4%A9nh-th%E1%BB%A7y.xlsx",  # RFC 2231
        f'attachment; filename="{Header(NAME, "utf-8").encode()}"',  # RFC 2047 inside quotes (Outlook)
        f"attachment; filename*=utf-8''{quote(unicodedata.normalize('NFD', NAME))}",  # macOS: NFD in RFC 2231
    ],
)
def test_encoded_and_decomposed_filenames_are_read_in_nfc(
    engine: Engine, opened: int, mailbox: ImapSettings, header: str
) -> None:
    """RFC 2231, RFC 2047 and a macOS NFD name all become the NFC name."""
    raw = _encoded(header, proposal(engine, opened, VINH_THUY[0]))
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"stored": 1}
    [row] = ledger(engine)
    assert row.subject == "Hồ sơ"
    assert row.files[0].filename == NAME
    assert unicodedata.is_normalized("NFC", row.files[0].filename)


def test_a_forged_from_for_a_unit_never_gets_an_answer(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Two From addresses, or none: no unit can be trusted, nothing stored, nobody answered but the
    unit whose workbook it carries (at its registered address)."""
    raw, _ = reply(f"{VINH_THUY[1]}, x@evil.example", [("a.xlsx", proposal(engine, opened, VINH_THUY[0]))])
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"wrong_sender": 1}
    assert [(n.kind, n.recipient) for n in outbox(engine)] == [("mail_wrong_sender", VINH_THUY[1])]
    assert folders(mailbox)["INBOX"] == 0
