"""Building the e-mail of a notice: headers encoded for every client, two parts, attachments.

Non-ASCII subjects and display names are written as RFC 2047 encoded words (Python's SMTP policy),
which every common client shows; servers that speak SMTPUTF8 (RFC 6532) get the same message.
Header values pass through ``one_line`` first: a line break can never start a new header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from notifications.outbox import OutgoingNotice

# Python folds long encoded-word headers at 78 columns and, at a fold between two encoded words,
# drops the space between them ("cải cách hành" arrives as "cải cáchhành"). Headers here stay
# well under the 998-octet limit of RFC 5322, so they are written unfolded.
POLICY = SMTP.clone(max_line_length=998)
_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f\u2028\u2029]+")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to attach."""

    filename: str
    content: bytes
    maintype: str = XLSX[0]
    subtype: str = XLSX[1]


@dataclass(frozen=True, slots=True)
class Sender:
    """Who the notices come from."""

    address: str
    name: str
    reply_to: str | None = None


def one_line(value: str) -> str:
    """Control characters and line breaks become single spaces."""
    return _BREAKS.sub(" ", value).strip()


def _address(name: str, address: str) -> Address:
    username, _, domain = one_line(address).partition("@")
    return Address(display_name=one_line(name), username=username, domain=domain)


def build_message(
    notice: OutgoingNotice, sender: Sender, attachments: list[Attachment], now: datetime
) -> EmailMessage:
    """The message for one claimed notice."""
    message = EmailMessage(policy=POLICY)
    message["From"] = _address(sender.name, sender.address)
    message["To"] = _address(notice.recipient_name, notice.recipient)
    if sender.reply_to:
        message["Reply-To"] = _address(sender.name, sender.reply_to)
    message["Subject"] = one_line(notice.subject)
    message["Message-ID"] = one_line(notice.message_id)
    message["Date"] = format_datetime(now)
    message["Content-Language"] = "vi"
    message.set_content(notice.text, charset="utf-8")
    message.add_alternative(notice.html, subtype="html", charset="utf-8")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=one_line(item.filename)
        )
    return message
