"""Delivery benchmark: 10,000 queued notices to an SMTP sink in another process on 127.0.0.1.

The project's sender (a pool of reused connections) against a baseline that opens a connection
per message, with everything else equal (same outbox, batches, concurrency). Prints messages per
second for each and their ratio. Machines here are shared and noisy: read the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib

from models.cycle import load_cycle_config, open_cycle
from models.db import Base, make_engine, session_scope
from models.settings import SmtpSettings
from notifications.mail.delivery import deliver_notices
from notifications.mail.messages import Envelope
from notifications.mail.outbox import NoticeDraft, queue_notices
from notifications.mail.sender import SmtpPool

CONFIG = Path(__file__).resolve().parent.parent / "cycles" / "vinh-linh-2024.toml"


class ConnectionPerMessage(SmtpPool):
    """The baseline: connect, send, quit for every message (same concurrency as the pool)."""

    async def send(self, envelope: Envelope) -> None:
        """One connection per message."""
        client = await self._idle.get()
        try:
            connection = await self._connect()
            try:
                await connection.send_wire(
                    envelope.sender, envelope.recipients, envelope.data, timeout=self.settings.timeout
                )
            finally:
                await connection.quit(timeout=self.settings.timeout)
        finally:
            self._idle.put_nowait(client)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_sink_process(port: int) -> subprocess.Popen[bytes]:
    """An aiosmtpd sink that discards what it accepts, in its own process on 127.0.0.1."""
    code = (
        "import time, pathlib; from notifications.mail.sink import start_sink; "
        f"start_sink(pathlib.Path('.'), port={port}, discard=True); time.sleep(86400)"
    )
    sink = subprocess.Popen([sys.executable, "-c", code])  # noqa: S603 - our own interpreter
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return sink
        except OSError:
            time.sleep(0.05)
    sink.kill()
    raise SystemExit("the SMTP sink did not start")


def _prepare(folder: Path, count: int) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, load_cycle_config(CONFIG), "bench")
        drafts = [
            NoticeDraft(
                cycle.id,
                "receipt",
                f"bench-{n}",
                f"donvi{n}@vinhlinh.example.org",
                f"UBND xã Thử Nghiệm {n}",
                f"Xác nhận đã nhận đề xuất sáng kiến số {n}",
                f"Kính gửi: UBND xã Thử Nghiệm {n}\n\nĐã nhận đề xuất sáng kiến.\n" * 5,
                f"<p>Kính gửi: UBND xã Thử Nghiệm {n}</p><p>Đã nhận đề xuất sáng kiến.</p>" * 5,
            )
            for n in range(count)
        ]
        queue_notices(session, drafts, "bench.sangkien.example")
    engine.dispose()
    return url


def _run(url: str, smtp: SmtpSettings, pool_class: type[SmtpPool]) -> tuple[int, float]:
    engine = make_engine(url)

    async def run() -> int:
        async with pool_class(smtp) as pool:
            report = await deliver_notices(engine, smtp, pool=pool, batch_size=200)
        return report.sent

    started = time.perf_counter()
    sent = asyncio.run(run())
    elapsed = time.perf_counter() - started
    engine.dispose()
    return sent, elapsed


def main() -> None:
    """Measure both senders and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    port = free_port()
    sink = start_sink_process(port)
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="noivu@vinhlinh.example.org", timeout=30)
    try:
        with tempfile.TemporaryDirectory() as pooled_dir, tempfile.TemporaryDirectory() as base_dir:
            pooled_url = _prepare(Path(pooled_dir), args.messages)
            baseline_url = _prepare(Path(base_dir), args.messages)
            pooled = _run(pooled_url, smtp, SmtpPool)
            baseline = _run(baseline_url, smtp, ConnectionPerMessage)
    finally:
        sink.terminate()
        sink.wait()
    rate = {name: sent / seconds for name, (sent, seconds) in (("pool", pooled), ("baseline", baseline))}
    lines = [
        f"Delivery of {args.messages} notices to an aiosmtpd sink in another process",
        (
            f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, aiosmtplib {aiosmtplib.__version__}"
        ),
        f"{'sender':<34}{'sent':>8}{'seconds':>10}{'msg/s':>10}",
        f"{'pool of 4 reused connections':<34}{pooled[0]:>8}{pooled[1]:>10.1f}{rate['pool']:>10.0f}",
        f"{'connection per message':<34}{baseline[0]:>8}{baseline[1]:>10.1f}{rate['baseline']:>10.0f}",
        f"ratio pool / connection per message: {rate['pool'] / rate['baseline']:.2f}x",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
