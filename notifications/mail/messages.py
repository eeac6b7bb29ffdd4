"""Building the e-mail of a notice: headers encoded for every client, two parts, attachments.

Non-ASCII subjects and display names are written as RFC 2047 encoded words, which every common
mail client shows. The top-level headers are folded by the legacy (compat32) policy, ten times
faster than ``EmailMessage``'s, and ``email.header.Header`` keeps the spaces between encoded
words (the new API's folding drops them: "cải cách" arrived as "cảicách"). The MIME parts are
written here, byte for byte as the compat32 generator writes them, in a fraction of its time.
Header values pass through ``one_line`` first: a line break can never start a new header.

What many messages share is written once per process: a file attached to every message of a
run (the escalation letter, the report outline) is base64-encoded once, and the sender's and the
subject's folded headers are kept (a call for proposals has one subject for 5,000 units).
"""

from __future__ import annotations

import binascii
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.policy import compat32
from email.utils import encode_rfc2231, format_datetime, formataddr
from functools import lru_cache

from notifications.mail.outbox import OutgoingNotice

_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f\u2028\u2029]+")
WIRE = compat32.clone(linesep="\r\n")
MAX_LINE = 78  # compat32 folds lines longer than this
XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "vnd.openxmlformats-officedocument.wordprocessingml.document"
# application/<subtype> by the file's extension: a mail client opens each in the right program.
SUBTYPES = {".xlsx": XLSX, ".docx": DOCX, ".csv": "csv", ".json": "json", ".pdf": "pdf"}


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to attach; its MIME type follows its extension (application/octet-stream if none).
    ``shared``: the same bytes go with many messages, so their MIME part is written once."""

    filename: str
    content: bytes
    shared: bool = False

    @property
    def subtype(self) -> str:
        """The subtype of ``application/…`` for the file's extension."""
        suffix = "." + self.filename.rpartition(".")[2].lower() if "." in self.filename else ""
        return SUBTYPES.get(suffix, "octet-stream")


@dataclass(frozen=True, slots=True)
class Sender:
    """Who the notices come from."""

    address: str
    name: str
    reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class Envelope:
    """A message ready for SMTP: envelope sender, recipients and the bytes of the message."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes


def one_line(value: str) -> str:
    """Control characters and line breaks become single spaces."""
    return _BREAKS.sub(" ", value).strip()


def _address(name: str, address: str) -> str:
    return formataddr((one_line(name), one_line(address)), charset="utf-8")


@lru_cache(maxsize=256)
def _folded(name: str, value: str, sender: Sender | None = None) -> bytes:
    """A header many messages share, folded once: From and Reply-To (by ``sender``), Subject."""
    if sender is not None:
        address = sender.address if name == "From" else sender.reply_to
        return _fold(name, _address(sender.name, address)) if address else b""
    # compat32 takes a Header and folds it with the spaces inside the encoded words.
    return _fold(name, Header(one_line(value), "utf-8"))


def _head(notice: OutgoingNotice, sender: Sender, content_type: str, now: datetime) -> bytes:
    """The top-level headers, in the order the compat32 generator writes them."""
    head = _fold("Content-Type", content_type) + b"MIME-Version: 1.0\r\n" + _folded("From", "", sender)
    head += _fold("To", _address(notice.recipient_name, notice.recipient))
    head += _folded("Reply-To", "", sender) + _folded("Subject", notice.subject)
    return head + b"".join(_fold(name, value) for name, value in _headers(notice, now))


def _headers(notice: OutgoingNotice, now: datetime) -> list[tuple[str, str]]:
    headers = [
        ("Message-ID", one_line(notice.message_id)),
        ("Date", format_datetime(now)),
        ("Content-Language", "vi"),
    ]
    if notice.thread is not None:
        # Threaded to the unit's message; an automatic answer says so (RFC 3834), so that an
        # out-of-office reply to it is not answered in turn.
        headers.append(("In-Reply-To", one_line(notice.thread.in_reply_to)))
        if notice.thread.references:
            headers.append(("References", one_line(notice.thread.references)))
        headers.append(("Auto-Submitted", "auto-replied"))
    return headers


def _fold(name: str, value: str | Header) -> bytes:
    """The header as the compat32 policy writes it; a short ASCII value needs no folding, which
    is the policy's own result without its cost (a ``Header`` built and encoded per value)."""
    if isinstance(value, str) and value.isascii() and len(name) + len(value) + 2 <= MAX_LINE:
        return f"{name}: {value}\r\n".encode("ascii")
    return WIRE.fold_binary(name, value)  # type: ignore[arg-type] # compat32 folds a Header too


def _base64(data: bytes) -> bytes:
    """``base64.encodebytes`` with CRLF: 76 characters a line, the last line shorter (encoded in
    one call and cut, where ``encodebytes`` encodes 57 bytes at a time in Python)."""
    encoded = binascii.b2a_base64(data, newline=False)
    lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    return b"\r\n".join(lines) + b"\r\n" if lines else b""


def _text_part(text: str, subtype: str) -> bytes:
    """What ``MIMEText(text, subtype, "utf-8")`` flattens to."""
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode("ascii") + _base64(text.encode("utf-8"))


def _multipart(subtype: str, parts: list[bytes]) -> tuple[str, bytes]:
    """The Content-Type of a multipart and its body; base64 lines never start with "--", so a
    random boundary cannot occur in the parts."""
    boundary = f"==============={secrets.randbelow(10**19):019d}=="
    delimiter = f"--{boundary}\r\n".encode("ascii")
    body = b"".join(delimiter + part for part in parts) + f"--{boundary}--\r\n".encode("ascii")
    return f'multipart/{subtype}; boundary="{boundary}"', body


def build_message(
    notice: OutgoingNotice, sender: Sender, attachments: list[Attachment], now: datetime
) -> Envelope:
    """The message for one claimed notice, flattened for the wire.

    The parts are written here, as the email package's generator writes them: it walked every
    base64 line and folded every part's headers in Python, which cost more than the rest of a
    delivery. Only the top-level headers go through the policy's folding.
    """
    alternative, body = _multipart(
        "alternative", [_text_part(notice.text, "plain"), _text_part(notice.html, "html")]
    )
    if attachments:
        inner = f"Content-Type: {alternative}\r\nMIME-Version: 1.0\r\n\r\n".encode("ascii") + body
        content_type, body = _multipart("mixed", [inner, *(_part(a) for a in attachments)])
    else:
        content_type = alternative
    head = _head(notice, sender, content_type, now)
    recipient = one_line(notice.recipient)
    return Envelope(one_line(sender.address), (recipient,), head + b"\r\n" + body)


def _part(item: Attachment) -> bytes:
    return _shared_part(item.filename, item.content) if item.shared else _attachment_part(item)


@lru_cache(maxsize=32)
def _shared_part(filename: str, content: bytes) -> bytes:
    """The part of a file many messages carry, written once (a bytes object keeps its hash, so
    looking the same object up again costs nothing)."""
    return _attachment_part(Attachment(filename, content))


def _attachment_part(item: Attachment) -> bytes:
    """One attachment as a MIME part, with the headers ``MIMEApplication`` writes."""
    name = one_line(item.filename)
    if name.isascii():
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        disposition = f'attachment; filename="{quoted}"'
    else:
        disposition = f"attachment; filename*={encode_rfc2231(name, 'utf-8')}"
    head = (
        f"Content-Type: application/{item.subtype}\r\nMIME-Version: 1.0\r\n"
        f"Content-Transfer-Encoding: base64\r\nContent-Disposition: {disposition}\r\n\r\n"
    )
    return head.encode("ascii") + _base64(item.content)
