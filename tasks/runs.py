"""How a run tells its story in the Prefect UI: its name, its final message, and a user's mistake
told in one line.

A user's mistake (``InvalidInput``) is not a bug: the officer needs its Vietnamese reason, not
the two Python tracebacks Prefect logs by default (the task's "Task run failed" and the flow's
"Encountered exception", each ~40 lines, in the UI and in the terminal). ``QuietMistakes`` is a
logging filter on Prefect's run loggers: the first record of a mistake becomes one line with the
reason and no traceback; the later ones (the flow's, the engine's, the task's "Finished in state")
are dropped. ``told`` wraps a flow: a mistake ends the run Failed with the reason as the state's
message (never retried: the retry policy retries only transient faults), and a successful run's
message summarises what it did.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar, cast
from zoneinfo import ZoneInfo

from prefect.states import Completed, Failed

from models.errors import InvalidInput

P = ParamSpec("P")
R = TypeVar("R")
DEFAULT_ZONE = "Asia/Ho_Chi_Minh"  # a run's name is made before its cycle is read
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs", "prefect.engine", "prefect.flow_engine")
_TOLD = "_sangkien_told"
_TASK_FAILED = re.compile(r"Finished in state Failed\('Task run encountered an exception (\w+):")


def _mistake_names() -> set[str]:
    """``InvalidInput`` and its subclasses, by name (as the task's end line names them)."""
    names, todo = set(), [InvalidInput]
    while todo:
        kind = todo.pop()
        names.add(kind.__name__)
        todo.extend(kind.__subclasses__())
    return names


def _mistake(record: logging.LogRecord) -> InvalidInput | None:
    if not record.exc_info or record.exc_info[1] is None:
        return None
    exc: BaseException | None = record.exc_info[1]
    while exc is not None and not isinstance(exc, InvalidInput):
        exc = exc.__cause__ or exc.__context__
    return exc


class QuietMistakes(logging.Filter):
    """One line per user's mistake, without a traceback; Prefect's repeats of it dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite or drop the records of a mistake; let every other record through."""
        message = record.msg if isinstance(record.msg, str) else ""
        ended = _TASK_FAILED.match(message)
        if ended and ended.group(1) in _mistake_names():
            return False  # the task's end line repeats the reason the flow tells
        mistake = _mistake(record)
        if mistake is None:
            return True
        if getattr(mistake, _TOLD, False):
            return False
        setattr(mistake, _TOLD, True)
        record.msg, record.args, record.exc_info, record.exc_text = str(mistake), (), None, None
        return True


_FILTER = QuietMistakes()


def quiet_mistakes() -> None:
    """Install the filter on Prefect's run loggers (once per process)."""
    for name in RUN_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def told(summary: Callable[[Any], str] | None = None) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Wrap a flow's function (under ``@flow``): a mistake fails the run with its reason as the
    message; ``summary`` of the result is the message of a completed run."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            quiet_mistakes()
            try:
                result = function(*args, **kwargs)
            except InvalidInput as exc:
                if not getattr(exc, _TOLD, False):
                    from prefect.logging import get_run_logger

                    setattr(exc, _TOLD, True)
                    get_run_logger().error(str(exc))
                return cast(R, Failed(message=str(exc), data=exc))
            if summary is None:
                return result
            return cast(R, Completed(message=summary(result), data=result))

        # Prefect reads the parameters' types from the signature: give it the flow's own, resolved
        # in the flow's module (they are strings there, under postponed evaluation).
        run.__signature__ = inspect.signature(function, eval_str=True)  # type: ignore[attr-defined]
        return run

    return decorate


def run_name(prefix: str, *parameters: str) -> Callable[[], str]:
    """A ``flow_run_name`` made of ``prefix`` and the run's parameters (``as_of`` defaults to today):
    ``quet-han-2024-10-04``, ``cong-nhan-2024``."""

    def name() -> str:
        from prefect.runtime import flow_run

        given: Mapping[str, Any] = flow_run.parameters or {}
        parts = [prefix]
        for parameter in parameters:
            value = given.get(parameter)
            if parameter == "as_of" and value is None:
                value = datetime.now(ZoneInfo(DEFAULT_ZONE)).date()
            if isinstance(value, date):
                value = value.isoformat()
            if isinstance(value, Mapping):  # a form: its cycle
                value = value.get("cycle")
            if value not in (None, ""):
                parts.append(str(value))
        return "-".join(parts)

    return name


def counted(count: int, noun: str) -> str:
    """``12 đơn vị``, in Vietnamese figures (``10.000``)."""
    return f"{count:,}".replace(",", ".") + f" {noun}"


def first_then_count(codes: tuple[str, ...] | list[str], shown: int = 20) -> str:
    """The first ``shown`` codes, then how many more."""
    head = ", ".join(codes[:shown])
    more = len(codes) - shown
    return head + (f" và {counted(more, 'đơn vị')} khác" if more > 0 else "")
