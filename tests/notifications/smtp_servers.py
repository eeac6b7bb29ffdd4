"""Real SMTP servers for the tests (aiosmtpd on 127.0.0.1) that record and misbehave on request.

As aiosmtplib's own tests do: a recording handler; here it can also answer 421 to the first
messages, drop the connection in the middle of DATA, refuse one recipient with 550, or be slow.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Recorder:
    """Keeps every accepted message; the fields say how to misbehave."""

    temporary_failures: int = 0
    drops_during_data: int = 0
    refused_recipients: set[str] = field(default_factory=set)
    delay: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refused_recipients:
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.attempts += 1
            if self.drops_during_data > 0:
                self.drops_during_data -= 1
                server.transport.close()
                return "250 never seen"
            if self.temporary_failures > 0:
                self.temporary_failures -= 1
                return "421 4.3.2 Service not available, try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 2.0.0 Ok: queued"

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        with self.lock:
            return Counter(str(m["Message-ID"]) for m in self.messages)


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(handler: Recorder, port: int | None = None) -> Iterator[int]:
    """Run ``handler`` on 127.0.0.1 for the block; yields the port."""
    chosen = port or free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=chosen, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield chosen
    finally:
        controller.stop()
