"""``WireSMTP.send_wire`` writes to the socket exactly what aiosmtplib's ``sendmail`` writes.

Two clients talk to the same recording aiosmtpd server on 127.0.0.1; every write of each client
to its transport is recorded. One sends through aiosmtplib's ``sendmail`` (its line-ending
normalization and dot-stuffing regular expressions), the other through ``send_wire``. The bytes
on the wire and the messages the server received must be the same, for a real call for proposals
with attachments, for lines that start with a dot, and for a message not in wire form (which
``send_wire`` hands to ``sendmail``).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from notifications.mail.messages import Attachment, Sender, build_message
from notifications.mail.outbox import OutgoingNotice
from notifications.mail.sender import WireSMTP, dot_stuffed, in_wire_form
from tests.notifications.smtp_servers import Recorder, smtp_server

SENDER = Sender("noreply@sangkien.example", "Ủy ban nhân dân huyện Vĩnh Linh")
RECIPIENT = "xavinho@vinhlinh.example.org"


def _call_for_proposals() -> bytes:
    notice = OutgoingNotice(
        id=1,
        cycle_id=1,
        recipient=RECIPIENT,
        recipient_name="UBND xã Vĩnh Ô",
        subject="Thông báo đăng ký sáng kiến cải cách hành chính năm 2024",
        text="Kính gửi: UBND xã Vĩnh Ô\n.\n..dòng bắt đầu bằng dấu chấm\n",
        html="<p>Kính gửi: UBND xã Vĩnh Ô</p>",
        message_id="<a1@sangkien.example>",
        attachments=[],
    )
    files = [
        Attachment("de-xuat-sang-kien-2024-XVO.xlsx", bytes(range(256)) * 40),
        Attachment("đề cương.docx", b"PK\x03\x04" + b"\x00.\r\n." * 500),
    ]
    return build_message(notice, SENDER, files, datetime(2024, 9, 10, 8, 30, tzinfo=UTC)).data


MESSAGES = {
    "call for proposals with attachments": _call_for_proposals(),
    "lines starting with a dot": b"Subject: dots\r\n\r\n.\r\n..two\r\n.three\r\nend.\r\n",
    "a first line that is a dot": b".\r\nSubject: x\r\n\r\nbody\r\n",
    "bare line feeds (not wire form)": b"Subject: lf\n\n.line\nnext\r\nlone\rcr",
}


async def _writes(port: int, message: bytes, *, wire: bool) -> list[bytes]:
    client = WireSMTP(hostname="127.0.0.1", port=port, timeout=10, local_hostname="client.example")
    await client.connect()
    assert client.protocol is not None
    written: list[bytes] = []
    transport_write = client.protocol.write

    def record(data: bytes) -> None:
        written.append(data)
        transport_write(data)

    client.protocol.write = record  # type: ignore[method-assign] # recording, not changing
    if wire:
        await client.send_wire(SENDER.address, [RECIPIENT], message, timeout=10)
    else:
        await client.sendmail(SENDER.address, [RECIPIENT], message, timeout=10)
    await client.quit()
    return written


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_send_wire_writes_what_sendmail_writes(message: bytes) -> None:
    """Same commands, same SIZE, same DATA bytes; the server received the same message twice."""
    recorder = Recorder()
    with smtp_server(recorder) as port:
        theirs = asyncio.run(_writes(port, message, wire=False))
        ours = asyncio.run(_writes(port, message, wire=True))
    assert ours == theirs
    assert any(b"size=" in line for line in ours)  # aiosmtpd offers SIZE: the option is compared
    assert len(recorder.messages) == 2
    assert recorder.messages[0].as_bytes() == recorder.messages[1].as_bytes()


def test_wire_form_is_every_line_ending_in_crlf() -> None:
    """Only CRLF line endings, the last line included, count as wire form."""
    assert in_wire_form(b"a\r\nb\r\n")
    assert not in_wire_form(b"a\r\nb")
    assert not in_wire_form(b"a\nb\r\n")
    assert not in_wire_form(b"a\rb\r\n")
    assert not in_wire_form(b"a\r\r\nb\r\n")


def test_dot_stuffing_doubles_each_leading_dot_and_ends_the_data() -> None:
    """A line starting with "." gets another; the end-of-data line follows."""
    assert dot_stuffed(b".a\r\n.\r\nb.\r\n") == b"..a\r\n..\r\nb.\r\n.\r\n"
