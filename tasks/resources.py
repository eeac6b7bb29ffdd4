"""What every task shares: the engine (one per process), the retry policy, today's date, the
cycle as flows pass it around, and the words a user's mistake is told in.

Retries are for transient faults only (a busy or dropped database, an SMTP fault that outlasted
the pool's own retries); a user's mistake or a bug fails at once, with its message, worded for
someone running a flow (it names the flow's parameters, where the CLI names its options).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from prefect import Task, task
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.db import ensure_schema, is_unique_violation, make_engine, session_scope, settle_heap
from models.errors import InvalidInput, TransientFault
from models.intake import OBLIGATIONS
from models.reporting import STATE_LABELS
from models.settings import load_settings
from models.tracking import UnitCompliance
from notifications.steps import StepContext

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
    if isinstance(exc, OperationalError) or is_unique_violation(exc):
        return True  # a unique violation: a concurrent run stored it first; again stores nothing
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def retry_transient(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect's retry condition: retry only transient faults."""
    try:
        state.result()
    except Exception as exc:  # noqa: BLE001 - the failed state re-raises whatever the task raised
        return is_transient(exc)
    return False


# How a domain error's fix names things to someone running a flow (``InvalidInput.worded``).
FLOW_WORDS = {
    "authority": "tham số authority (mã cơ quan)",
    "cycle": "tham số cycle (năm của chu kỳ)",
    "unit": "tham số unit (mã đơn vị)",
    "kind": "tham số kind",
    "path": "tham số path",
    "open": "luồng open-cycle",
    "requests": "danh sách đơn xin gia hạn (sangkien extension list)",
}


def retried(name: str) -> Callable[[Callable[P, R]], Task[P, R]]:
    """``@task`` with the project's retry policy: three retries, transient faults only; a user's
    mistake is reworded for a flow's reader."""

    def decorate(function: Callable[P, R]) -> Task[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except InvalidInput as exc:
                worded = exc.worded(FLOW_WORDS)
                if worded == str(exc):
                    raise
                raise InvalidInput(worded) from exc

        made: Task[P, R] = task(
            name=name,
            retries=len(RETRY_DELAYS),
            retry_delay_seconds=[float(d) for d in RETRY_DELAYS],
            retry_condition_fn=retry_transient,
        )(run)
        return made

    return decorate


def today(timezone: str) -> date:
    """Today in the cycle's timezone (the default of every flow's ``as_of``)."""
    return datetime.now(ZoneInfo(timezone)).date()


def step_context(actor: str) -> StepContext:
    """What a step is given inside a task: the flow run as the actor, the process's settings."""
    return StepContext(actor, load_settings())


class CycleRef(BaseModel):
    """A cycle, as flows pass it around."""

    model_config = ConfigDict(frozen=True)

    id: int
    year: int
    name: str
    timezone: str
    authority: str | None = None  # the authority's code
    units: int = 0
    decision_timeout_seconds: int = 72 * 3600

    @classmethod
    def of(cls, cycle: Cycle, units: int = 0) -> CycleRef:
        """The reference of a loaded cycle."""
        hours = cycle.configuration.review.decision_timeout_hours
        return cls(
            id=cycle.id,
            year=cycle.year,
            name=cycle.name,
            authority=cycle.authority.code,
            timezone=cycle.timezone,
            units=units,
            decision_timeout_seconds=int(hours * 3600),
        )


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


class ComplianceSummary(BaseModel):
    """Counts per obligation and state at a date."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    units: int
    counts: dict[str, dict[str, int]]

    @classmethod
    def of(cls, as_of: date, rows: list[UnitCompliance]) -> ComplianceSummary:
        """The counts of ``rows``."""
        codes = list(rows[0].obligations) if rows else []
        counts = {name: dict(Counter(r[name].state for r in rows)) for name in codes}
        return cls(as_of=as_of, units=len(rows), counts=counts)

    @property
    def message(self) -> str:
        """The counts as an officer reads them: 'Đề xuất sáng kiến: đúng hạn 20, quá hạn 14'."""
        parts = []
        for code, states in self.counts.items():
            shown = OBLIGATIONS[code].labels.table if code in OBLIGATIONS else code
            tally = ", ".join(f"{STATE_LABELS.get(s, s)} {n}" for s, n in sorted(states.items()))
            parts.append(f"{shown}: {tally}")
        return f"Tình trạng ngày {self.as_of:%d/%m/%Y} của {self.units} đơn vị. " + "; ".join(parts) + "."
