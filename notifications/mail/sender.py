"""The one place that talks SMTP: a bounded pool of reused aiosmtplib connections.

Every call has a timeout. Transient faults (refused, reset or dropped connection, timeout, a 4xx
reply) close that connection and retry with exponential backoff and jitter; a permanent refusal
(5xx) raises ``PermanentFault`` with the server's reply at once. After the last attempt a
transient fault raises ``TransientFault``; the caller decides what that means for the notice.
"""

from __future__ import annotations

import asyncio
import random
from types import TracebackType

import aiosmtplib

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
        self._idle: asyncio.Queue[aiosmtplib.SMTP | None] = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(None)

    async def __aenter__(self) -> SmtpPool:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
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
                await client.sendmail(
                    envelope.sender, list(envelope.recipients), envelope.data, timeout=self.settings.timeout
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
