"""The one place that talks SMTP: a bounded pool of reused aiosmtplib connections.

Every call has a timeout. Transient faults (refused, reset or dropped connection, timeout, a 4xx
reply) close that connection and retry with exponential backoff and jitter; a permanent refusal
(5xx) raises ``PermanentFault`` with the server's reply at once. After the last attempt a
transient fault raises ``TransientFault``; the caller decides what that means for the notice.

Our messages are built in wire form (CRLF line endings). aiosmtplib runs two regular expressions
over every message it sends to make it so (three with the SIZE extension): 2.6 ms of a 86 KB call
for proposals, more than building it. ``WireSMTP`` sends a message already in wire form with the
same bytes aiosmtplib would write, dot-stuffed by ``bytes.replace``; anything else goes through
aiosmtplib's own path. A test compares both paths byte for byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Sequence
from types import TracebackType

import aiosmtplib
from aiosmtplib.errors import SMTPDataError, SMTPServerDisconnected, SMTPTimeoutError
from aiosmtplib.status import SMTPStatus

from models.errors import MailSetupFault, PermanentFault, TransientFault
from models.settings import SmtpSettings
from notifications.mail.messages import Envelope

DEFAULT_HOST = "127.0.0.1"


def classify(exc: BaseException) -> PermanentFault | TransientFault:
    """Permanent for a 5xx reply, transient for everything a retry can cure; a session the
    server will never accept (authentication) is a ``MailSetupFault``."""
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return MailSetupFault(
            f"máy chủ thư không chấp nhận tên đăng nhập, mật khẩu ({exc.code} {exc.message})"
        )
    if isinstance(exc, aiosmtplib.SMTPException) and "AUTH" in str(exc) and "not supported" in str(exc):
        return MailSetupFault(
            "máy chủ thư không hỗ trợ đăng nhập (AUTH) mà SANGKIEN_SMTP__PASSWORD đã được đặt; "
            "hãy bỏ mật khẩu hoặc bật STARTTLS/AUTH trên máy chủ"
        )
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        first = exc.recipients[0]
        reason = f"{first.code} {first.message}"
        return PermanentFault(reason) if first.code >= 500 else TransientFault(reason)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        reason = f"{exc.code} {exc.message}"
        return PermanentFault(reason) if exc.code >= 500 else TransientFault(reason)
    return TransientFault(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)


def in_wire_form(message: bytes) -> bool:
    """Whether every line of ``message`` ends with CRLF (no bare CR or LF), the last one too:
    what aiosmtplib's normalization would leave unchanged."""
    crlf = message.count(b"\r\n")
    return message.endswith(b"\r\n") and message.count(b"\r") == crlf == message.count(b"\n")


def dot_stuffed(message: bytes) -> bytes:
    """A message in wire form with every line that starts with "." given a second one (RFC 5321
    4.5.2), then the end-of-data line."""
    stuffed = message.replace(b"\r\n.", b"\r\n..")
    return (b"." + stuffed if stuffed.startswith(b".") else stuffed) + b".\r\n"


class WireSMTP(aiosmtplib.SMTP):
    """aiosmtplib's client, with ``send_wire`` for messages already in wire form."""

    async def send_wire(
        self, sender: str, recipients: Sequence[str], message: bytes, *, timeout: float
    ) -> None:
        """What ``sendmail`` does (MAIL with SIZE, RCPT, DATA, RSET after a refusal), without the
        regular expressions; a message not in wire form goes through ``sendmail`` itself."""
        if not in_wire_form(message):
            await self.sendmail(sender, list(recipients), message, timeout=timeout)
            return
        await self._ehlo_or_helo_if_needed()
        # RFC 1870: the octets as transmitted, CRLFs included, before stuffing (as aiosmtplib).
        options = [f"size={len(message)}"] if self.supports_extension("size") else []
        try:
            await self.mail(sender, options=options, timeout=timeout)
            await self._send_recipients(recipients, [], timeout=timeout)
            await self._data_wire(dot_stuffed(message), timeout)
        except (aiosmtplib.SMTPResponseException, aiosmtplib.SMTPRecipientsRefused):
            # The refusal is what the caller needs to hear about, not a failed reset.
            with contextlib.suppress(ConnectionError, aiosmtplib.SMTPResponseException):
                await self.rset(timeout=timeout)
            raise

    async def _data_wire(self, stuffed: bytes, timeout: float) -> None:
        """aiosmtplib's ``execute_data_command`` after its normalization (pinned 5.x internals:
        the command lock and the flag that marks a reply as expected)."""
        protocol = self.protocol
        if protocol is None or protocol._command_lock is None:
            raise SMTPServerDisconnected("Connection lost")
        try:
            async with protocol._command_lock:
                protocol._response_pending = True
                protocol.write(b"DATA\r\n")
                start = await protocol.read_response(timeout=timeout)
                if start.code != SMTPStatus.start_input:
                    raise SMTPDataError(start.code, start.message)
                protocol._response_pending = True
                protocol.write(stuffed)
                response = await protocol.read_response(timeout=timeout)
                if response.code != SMTPStatus.completed:
                    raise SMTPDataError(response.code, response.message)
        except (SMTPServerDisconnected, SMTPTimeoutError):
            self.close()
            raise


class SmtpPool:
    """At most ``size`` open connections (default: the settings' ``connections``), each reused
    for many messages."""

    def __init__(
        self,
        settings: SmtpSettings,
        size: int | None = None,
        attempts: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        self.settings = settings
        self.host = settings.host or DEFAULT_HOST
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.size = size or settings.connections
        self._idle: asyncio.Queue[WireSMTP | None] = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(None)

    async def __aenter__(self) -> SmtpPool:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _connect(self) -> WireSMTP:
        s = self.settings
        client = WireSMTP(
            hostname=self.host,
            port=s.port,
            timeout=s.timeout,
            start_tls=s.starttls,
            username=s.username,
            password=s.password.get_secret_value() if s.password else None,
        )
        await client.connect()
        return client

    @staticmethod
    async def _discard(client: aiosmtplib.SMTP | None) -> None:
        if client is not None and client.is_connected:
            try:
                await client.quit(timeout=2)
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()

    async def send(self, envelope: Envelope) -> None:
        """Send one message on a pooled connection, retrying transient faults."""
        for attempt in range(1, self.attempts + 1):
            client = await self._idle.get()
            try:
                if client is None or not client.is_connected:
                    client = await self._connect()
                await client.send_wire(
                    envelope.sender, envelope.recipients, envelope.data, timeout=self.settings.timeout
                )
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                await self._discard(client)
                self._idle.put_nowait(None)
                fault = classify(exc)
                if isinstance(fault, PermanentFault) or attempt == self.attempts:
                    raise fault from exc
                delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
                await asyncio.sleep(delay * (0.5 + random.random()))  # noqa: S311 - jitter, not crypto
            except BaseException:
                await self._discard(client)
                self._idle.put_nowait(None)
                raise
            else:
                self._idle.put_nowait(client)
                return

    async def close(self) -> None:
        """Quit every open connection."""
        clients = []
        while not self._idle.empty():
            clients.append(self._idle.get_nowait())
        await asyncio.gather(*(self._discard(c) for c in clients))
        for _ in clients:
            self._idle.put_nowait(None)
