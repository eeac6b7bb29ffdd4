"""The SMTP sink of the embedded default: a real SMTP server on 127.0.0.1 that keeps each message.

Every message received is written as an ``.eml`` file (written to a temporary name, then renamed,
so a reader never sees half a message). ``discard=True`` only counts, for benchmarks.
"""

from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_counter = itertools.count(1)


class EmlWriter:
    """aiosmtpd handler: one ``.eml`` file per message, or just a count."""

    def __init__(self, folder: Path, *, discard: bool = False) -> None:
        self.folder = folder
        self.discard = discard
        self.received = 0
        if not discard:
            folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.received += 1
        if not self.discard:
            content: bytes = envelope.original_content or envelope.content
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{os.getpid()}-{next(_counter):06d}.eml"
            partial = self.folder / f".{name}.part"
            partial.write_bytes(content)
            partial.rename(self.folder / name)
        return "250 Message accepted for delivery"


def start_sink(
    folder: Path, host: str = "127.0.0.1", port: int = 1025, *, discard: bool = False
) -> Controller:
    """Start the sink in a background thread; call ``.stop()`` on the result to end it."""
    controller = Controller(
        EmlWriter(folder, discard=discard),
        hostname=host,
        port=port,
        enable_SMTPUTF8=True,
        data_size_limit=50 * 1024 * 1024,
    )
    controller.start()
    return controller
