"""The one place that talks IMAP: the authority's mailbox through IMAPClient.

IMAPClient hands back what the server sends as it is: the message's bytes (so their SHA-256 is
that of what arrived), RFC822.SIZE before the body is downloaded, INTERNALDATE (when the
authority's server received the message: the day a unit sent it, which the unit cannot forge),
and the folder's UIDVALIDITY. Every call has a timeout. Bodies are fetched with BODY.PEEK, so a
message an officer has not read still shows as unread. Folders named with "/" use the server's
own hierarchy delimiter and personal namespace; missing ones are created.

Faults are sorted as delivery sorts SMTP faults: a refused login or a missing folder is
permanent (an officer must fix a setting); a dropped or refused connection, a timeout or an
aborted session is transient (the flow retries).
"""

from __future__ import annotations

import imaplib
import socket
import ssl
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, LoginError

from models.errors import PermanentFault, TransientFault
from models.settings import ImapSettings

_FETCH_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the server says of a message before it is downloaded."""

    uid: int
    size: int
    received_at: datetime  # INTERNALDATE, in UTC


class Mailbox:
    """A logged-in IMAP session on one folder (use ``open_mailbox``)."""

    def __init__(self, client: Any, settings: ImapSettings) -> None:
        self._client = client
        self._settings = settings
        self._made: set[str] = set()
        prefix, delimiter = "", "/"
        namespaces = client.namespace() if client.has_capability("NAMESPACE") else None
        if namespaces and namespaces.personal:
            prefix, delimiter = namespaces.personal[0]
        self._prefix, self._delimiter = prefix or "", delimiter or "/"

    def folder(self, name: str) -> str:
        """The server's name of a configured folder ("Sáng kiến/Đã xử lý" → "Sáng kiến.Đã xử lý")."""
        if name.upper() == "INBOX":
            return "INBOX"
        named = name.replace("/", self._delimiter)
        if self._prefix and not named.upper().startswith(self._prefix.upper()):
            named = self._prefix + named
        return named

    def select(self, name: str) -> int:
        """Select a folder for reading and moving; its UIDVALIDITY."""
        answer = self._client.select_folder(self.folder(name))
        return int(answer[b"UIDVALIDITY"])

    def uids(self) -> list[int]:
        """Every message of the selected folder not marked deleted, oldest first."""
        return sorted(int(uid) for uid in self._client.search(["UNDELETED"]))

    def envelopes(self, uids: Sequence[int]) -> dict[int, Envelope]:
        """Size and arrival time of each message, without downloading it."""
        found: dict[int, Envelope] = {}
        for start in range(0, len(uids), _FETCH_CHUNK):
            answer = self._client.fetch(
                list(uids[start : start + _FETCH_CHUNK]), ["RFC822.SIZE", "INTERNALDATE"]
            )
            for uid, data in answer.items():
                when: datetime = data[b"INTERNALDATE"]
                when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
                found[int(uid)] = Envelope(int(uid), int(data[b"RFC822.SIZE"]), when)
        return found

    def bodies(self, uids: Sequence[int]) -> dict[int, bytes]:
        """The whole messages, as the server holds them."""
        answer = self._client.fetch(list(uids), ["BODY.PEEK[]"]) if uids else {}
        return {int(uid): bytes(data[b"BODY[]"]) for uid, data in answer.items() if b"BODY[]" in data}

    def headers(self, uids: Sequence[int]) -> dict[int, bytes]:
        """Only the header blocks (messages too large to download)."""
        answer = self._client.fetch(list(uids), ["BODY.PEEK[HEADER]"]) if uids else {}
        return {int(u): bytes(d[b"BODY[HEADER]"]) for u, d in answer.items() if b"BODY[HEADER]" in d}

    def move(self, uids: Iterable[int], name: str) -> None:
        """Move messages of the selected folder to ``name`` (created when missing)."""
        chosen = sorted(set(uids))
        if not chosen:
            return
        target = self.folder(name)
        if target not in self._made:
            if not self._client.folder_exists(target):
                self._client.create_folder(target)
                self._client.subscribe_folder(target)
            self._made.add(target)
        if self._client.has_capability("MOVE"):
            self._client.move(chosen, target)
            return
        self._client.copy(chosen, target)
        self._client.add_flags(chosen, [b"\\Deleted"])
        if self._client.has_capability("UIDPLUS"):
            self._client.uid_expunge(chosen)  # only these: never another client's deletions
        else:
            self._client.expunge()


def _fault(settings: ImapSettings, exc: BaseException) -> Exception:
    where = f"{settings.host}:{settings.resolved_port}"
    if isinstance(exc, LoginError):
        return PermanentFault(
            f"máy chủ thư {where} từ chối đăng nhập của {settings.username}; "
            "hãy kiểm tra SANGKIEN_IMAP__USERNAME và SANGKIEN_IMAP__PASSWORD"
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return PermanentFault(f"chứng chỉ TLS của máy chủ thư {where} không hợp lệ ({exc.verify_message})")
    if isinstance(exc, IMAPClientAbortError | OSError | socket.timeout | EOFError):
        return TransientFault(f"máy chủ thư {where} không trả lời ({type(exc).__name__}: {exc})")
    return PermanentFault(f"máy chủ thư {where} từ chối yêu cầu: {exc}")


@contextmanager
def open_mailbox(settings: ImapSettings) -> Iterator[Mailbox]:
    """A logged-in session; IMAP faults come out as ``TransientFault`` or ``PermanentFault``."""
    if not settings.host:
        raise PermanentFault("chưa cấu hình hộp thư; hãy đặt SANGKIEN_IMAP__HOST (và cổng, tài khoản)")
    password = settings.password.get_secret_value() if settings.password else ""
    client: Any = None
    try:
        client = IMAPClient(
            settings.host,
            port=settings.resolved_port,
            ssl=settings.ssl,
            ssl_context=ssl.create_default_context() if settings.ssl else None,
            timeout=settings.timeout,
        )
        client.normalise_times = False  # keep INTERNALDATE's zone
        client.login(settings.username or "", password)
        yield Mailbox(client, settings)
    except (imaplib.IMAP4.error, OSError, EOFError) as exc:
        raise _fault(settings, exc) from None
    finally:
        if client is not None:
            with suppress(imaplib.IMAP4.error, OSError, EOFError):  # the session is gone already
                client.logout()
