"""Progress of long work, per phase: a progress artifact in the Prefect UI and, when someone
watches a terminal, a bar per phase there.

A flow names its phases up front (``PhasedProgress``), opens each with its number of steps and
advances it. The UI gets one progress artifact for the whole run (the share of steps done). A
terminal bar is drawn only inside ``terminal_progress()`` (the demo opens it), so flows served
to a worker write nothing to a console.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol
from uuid import UUID

from prefect.artifacts import create_progress_artifact, update_progress_artifact
from prefect.context import FlowRunContext
from rich.progress import TaskID


class ProgressView(Protocol):
    """Where progress is drawn besides the UI."""

    def open_phase(self, title: str, total: int) -> None: ...

    def advance(self, steps: int) -> None: ...


_VIEW: ContextVar[ProgressView | None] = ContextVar("sangkien_progress_view", default=None)


class PhasedProgress:
    """Progress through named phases of known sizes, shown in the UI and on a watching terminal."""

    def __init__(self, phases: dict[str, int], description: str) -> None:
        self.phases = phases
        self.total = max(sum(phases.values()), 1)
        self.done = 0
        self.view = _VIEW.get()
        self.artifact: UUID | None = None
        if FlowRunContext.get() is not None:
            created = create_progress_artifact(0.0, description=description)
            self.artifact = created if isinstance(created, UUID) else None

    def phase(self, title: str) -> None:
        """Start the phase ``title`` (one of those named up front)."""
        if self.view is not None:
            self.view.open_phase(title, self.phases[title])

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current phase are done."""
        self.done = min(self.done + steps, self.total)
        if self.view is not None:
            self.view.advance(steps)
        if self.artifact is not None:
            update_progress_artifact(self.artifact, round(100.0 * self.done / self.total, 1))


class _RichBars:
    """One rich bar per phase; finished phases stay on screen."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description:<32}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        )
        self.current: TaskID | None = None

    def open_phase(self, title: str, total: int) -> None:
        self.current = self.progress.add_task(title, total=total)

    def advance(self, steps: int) -> None:
        if self.current is not None:
            self.progress.advance(self.current, steps)


@contextmanager
def terminal_progress(enabled: bool) -> Iterator[None]:
    """Draw a bar per phase on this terminal while the body runs (if ``enabled``).

    Prefect's console log lines would tear the bars, so the console handlers show warnings only
    meanwhile; every log line still reaches the run's logs in the UI.
    """
    if not enabled:
        yield
        return
    from prefect.logging.handlers import PrefectConsoleHandler

    consoles = [
        handler
        for name in ("", "prefect", "prefect.flow_runs", "prefect.task_runs")
        for handler in logging.getLogger(name).handlers
        if isinstance(handler, PrefectConsoleHandler)
    ]
    levels = [handler.level for handler in consoles]
    bars = _RichBars()
    token = _VIEW.set(bars)
    for handler in consoles:
        handler.setLevel(logging.WARNING)
    try:
        with bars.progress:
            yield
    finally:
        _VIEW.reset(token)
        for handler, level in zip(consoles, levels, strict=True):
            handler.setLevel(level)
