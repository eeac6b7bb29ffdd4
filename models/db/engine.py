"""The engine and the session scope (one session per unit of work).

Data functions take a ``Session`` and never commit; ``session_scope`` commits once at the end of
the unit of work, or rolls back on any error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker


def settle_heap() -> None:
    """Collect garbage once, then leave what is alive now out of every later collection.

    Bulk intake makes millions of short-lived objects, so Python's collector runs full passes
    hundreds of times; each pass walked every object of the loaded libraries too (Prefect alone
    holds some 230,000), which took a tenth of a 1,000-unit cycle. Call it once per process,
    after the libraries are loaded; garbage made later is collected as usual.
    """
    gc.collect()
    gc.freeze()


def make_engine(url: str) -> Engine:
    """An engine; SQLite gets foreign keys on and a busy timeout (one file, several writers)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives the
            # process being killed (what the outbox's per-message marks guard against) and the
            # file is never corrupted; only a power cut may undo the last commits. FULL made each
            # delivery mark wait ~3 ms for the disk.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits once if the block succeeds and rolls back otherwise."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def is_unique_violation(exc: BaseException) -> bool:
    """A concurrent writer stored the same key first (PostgreSQL 23505, SQLite's UNIQUE): running
    the unit of work again finds the row and stores nothing twice."""
    if not isinstance(exc, IntegrityError):
        return False
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(exc.orig)
