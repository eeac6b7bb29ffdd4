"""Building the e-mail of a notice: headers encoded for every client, two parts, attachments.

Non-ASCII subjects and display names are written as RFC 2047 encoded words, which every common
mail client shows. The top-level headers are folded by the legacy (compat32) policy, ten times
faster than ``EmailMessage``'s, and ``email.header.Header`` keeps the spaces between encoded
words (the new API's folding drops them: "cải cách" arrived as "cảicách"). The MIME parts are
written here, byte for byte as the compat32 generator writes them, in a fraction of its time.
Header values pass through ``one_line`` first: a line break can never start a new header.
"""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.policy import compat32
from email.utils import encode_rfc2231, format_datetime, formataddr

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
    """A file to attach; its MIME type follows its extension (application/octet-stream if none)."""

    filename: str
    content: bytes

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


def _headers(notice: OutgoingNotice, sender: Sender, now: datetime) -> list[tuple[str, str | Header]]:
    headers: list[tuple[str, str | Header]] = [
        ("From", _address(sender.name, sender.address)),
        ("To", _address(notice.recipient_name, notice.recipient)),
    ]
    if sender.reply_to:
        headers.append(("Reply-To", _address(sender.name, sender.reply_to)))
    # compat32 takes a Header and folds it with the spaces inside the encoded words.
    headers += [
        ("Subject", Header(one_line(notice.subject), "utf-8")),
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
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


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
        content_type, body = _multipart("mixed", [inner, *(_attachment_part(a) for a in attachments)])
    else:
        content_type = alternative
    headers = [("Content-Type", content_type), ("MIME-Version", "1.0"), *_headers(notice, sender, now)]
    head = b"".join(_fold(name, value) for name, value in headers)
    recipient = one_line(notice.recipient)
    return Envelope(one_line(sender.address), (recipient,), head + b"\r\n" + body)


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
