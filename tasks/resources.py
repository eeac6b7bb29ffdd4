"""What every task shares: the engine (one per process), the retry policy, today's date.

Retries are for transient faults only (a busy or dropped database, an SMTP fault that outlasted
the pool's own retries); a user's mistake or a bug fails at once, with its message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from prefect import Task, task
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from models.db.engine import make_engine, session_scope, settle_heap
from models.db.schema import ensure_schema
from models.errors import TransientFault
from models.settings import load_settings

RETRY_DELAYS = [1, 5, 15]
P = ParamSpec("P")
R = TypeVar("R")


@cache
def _engine(url: str) -> Engine:
    settle_heap()  # the first task of the process: Prefect and the models are loaded by now
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


def engine() -> Engine:
    """The process's engine for the configured database, migrated on first use."""
    return _engine(load_settings().resolved_database_url)


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """One session, committed once at the end of the task's work."""
    with session_scope(engine()) as session:
        yield session


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: database connection trouble, or a transient mail fault."""
    if isinstance(exc, TransientFault):
        return True
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def retry_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect's retry condition: retry only transient faults."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - the failed state re-raises whatever the task raised
        return is_transient(exc)
    return False


def retried(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """``@task`` with the project's retry policy: three retries, transient faults only."""
    return task(
        name=name,
        retries=len(RETRY_DELAYS),
        retry_delay_seconds=[float(d) for d in RETRY_DELAYS],
        retry_condition_fn=retry_transient,
    )


def today(timezone: str = "Asia/Ho_Chi_Minh") -> date:
    """Today in the cycle's timezone (the default of every flow's ``as_of``)."""
    return datetime.now(ZoneInfo(timezone)).date()


@contextmanager
def subflows_share_heartbeat() -> Iterator[None]:
    """Subflows called in the body send no heartbeats of their own.

    They run in their parent's process, whose heartbeat already tells the server it is alive;
    each subflow's own heartbeat thread only added up to a second of waiting when it ended.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield


def run_actor(flow_name: str) -> str:
    """Who made a change, for the audit log: the flow and its run."""
    from prefect.runtime import flow_run

    return f"flow:{flow_name}/{flow_run.name or 'local'}"
