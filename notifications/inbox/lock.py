"""One collector per mailbox at a time, whatever started it (the schedule, an operator's run,
``sangkien inbox collect``), and a dead collector never blocks the next one.

On PostgreSQL a session advisory lock, held by a connection of its own: the server drops it when
that connection goes, so a collector killed with SIGKILL leaves no lock behind. On SQLite (one
machine) an exclusive ``flock`` on a file beside the database, which the kernel drops with the
process.
"""

from __future__ import annotations

import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


def _key(mailbox: str) -> int:
    """A signed 64-bit key for ``pg_try_advisory_lock``."""
    return int.from_bytes(
        hashlib.sha256(f"sangkien-inbox:{mailbox}".encode()).digest()[:8], "big", signed=True
    )


@contextmanager
def collector_lock(engine: Engine, mailbox: str) -> Iterator[bool]:
    """Yields whether this process holds the mailbox (False: another collector is running)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _key(mailbox)}))
            connection.commit()
            try:
                yield held
            finally:
                if held:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _key(mailbox)})
                    connection.commit()
        return
    database = Path(engine.url.database or "sangkien.sqlite3")
    digest = hashlib.sha256(mailbox.encode()).hexdigest()[:12]
    path = database.with_name(f"{database.name}.inbox-{digest}.lock")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
