"""Reading a unit's message as it arrived: who sent it, what it answers, what it carries.

Nothing in a message is trusted. Headers are parsed one by one, and a header the standard
library cannot parse counts as absent; a Message-ID is kept only when it has the shape of one
(it goes back out in In-Reply-To), otherwise the message is named by the digest of its bytes.
Attachment names come decoded from RFC 2231 parameters and RFC 2047 words, in NFC, without any
folder part. An automatic message (an out-of-office reply, a bounce) is recognised so that it is
never answered (RFC 3834).
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.policy import default
from pathlib import PurePosixPath
from typing import Any

from models.text import nfc

_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]{1,240}@[\x21-\x3b\x3d\x3f-\x7e]{1,240}>")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_REFERENCES = 10
MAX_ATTACHMENTS = 20
AUTOMATIC_SENDERS = ("mailer-daemon@", "postmaster@")


@dataclass(frozen=True, slots=True)
class Attachment:
    """One attached file: its cleaned name, declared type and decoded bytes."""

    filename: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        """The digest an auditor compares with the stored original."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """A message of the mailbox, read."""

    message_id: str
    threadable: bool  # the Message-ID is the sender's own, fit to answer to
    sender: str | None  # the one From address, lower case; None when absent or several
    subject: str
    references: tuple[str, ...] = ()
    automatic: str | None = None  # why it is an automatic message, if it is one
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    skipped: int = 0  # attachments beyond MAX_ATTACHMENTS

    @property
    def thread_references(self) -> str:
        """References for an answer: the chain that led here, then this message (RFC 5322)."""
        chain = [*self.references, self.message_id] if self.threadable else list(self.references)
        return " ".join(chain[-MAX_REFERENCES:])


def one_line(value: str, limit: int = 500) -> str:
    """NFC, control characters and line breaks as single spaces, at most ``limit`` characters."""
    return _CONTROLS.sub(" ", nfc(value)).strip()[:limit]


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - the header parser raises assorted errors on hostile input
        return ""
    return "" if value is None else str(value)


def _sender(message: EmailMessage) -> str | None:
    try:
        header = message["From"]
        addresses: tuple[Any, ...] = tuple(getattr(header, "addresses", ())) if header is not None else ()
    except Exception:  # noqa: BLE001 - as in _header
        return None
    if len(addresses) != 1 or not addresses[0].username or not addresses[0].domain:
        return None
    return one_line(addresses[0].addr_spec, 254).lower()


def _automatic(message: Message, sender: str | None) -> str | None:
    auto = _header(message, "Auto-Submitted").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(message, "Precedence").strip()
    if precedence.lower() in ("bulk", "junk", "list"):
        return f"Precedence: {precedence}"
    if message.get_content_type() == "multipart/report":
        return "báo lỗi chuyển thư (multipart/report)"
    if sender is None or sender.startswith(AUTOMATIC_SENDERS):
        return None if sender is None else f"thư tự động từ {sender}"
    return None


def clean_filename(name: str | None, position: int) -> str:
    """A safe name for a file: NFC, no folder part, no control characters, at most 200 characters."""
    text = one_line(name or "", 1000).replace("\\", "/")
    base = PurePosixPath(text).name.strip(" .") if text else ""
    return base[-200:] if base else f"tep-dinh-kem-{position}"


def _attachments(message: EmailMessage) -> tuple[list[Attachment], int]:
    found: list[Attachment] = []
    skipped = 0
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            name = part.get_filename()
            disposition = part.get_content_disposition()
        except Exception:  # noqa: BLE001 - as in _header
            name, disposition = None, "attachment"
        if name is None and disposition != "attachment":
            continue  # the body (text or HTML) of the message
        if len(found) >= MAX_ATTACHMENTS:
            skipped += 1
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        found.append(Attachment(clean_filename(name, len(found) + 1), part.get_content_type()[:100], data))
    return found, skipped


def read_message(raw: bytes) -> IncomingMessage:
    """Everything the collector needs from a message's bytes."""
    message = email.message_from_bytes(raw, policy=default)
    return _read(message, raw, with_attachments=True)


def read_headers(raw_headers: bytes) -> IncomingMessage:
    """The same from the header block alone (a message too large to download)."""
    message = email.message_from_bytes(raw_headers, policy=default)
    return _read(message, raw_headers, with_attachments=False)


def _read(message: EmailMessage, raw: bytes, *, with_attachments: bool) -> IncomingMessage:
    found = _MESSAGE_ID.search(_header(message, "Message-ID"))
    message_id = found.group() if found else f"<{hashlib.sha256(raw).hexdigest()[:40]}@sangkien.invalid>"
    chain = _MESSAGE_ID.findall(_header(message, "References") + " " + _header(message, "In-Reply-To"))
    sender = _sender(message)
    attachments, skipped = _attachments(message) if with_attachments else ([], 0)
    return IncomingMessage(
        message_id=message_id,
        threadable=found is not None,
        sender=sender,
        subject=one_line(_header(message, "Subject")),
        references=tuple(dict.fromkeys(chain))[-MAX_REFERENCES:],
        automatic=_automatic(message, sender),
        attachments=tuple(attachments),
        skipped=skipped,
    )
