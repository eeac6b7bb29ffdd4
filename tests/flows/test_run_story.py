"""Runs tell the officer what they did: a name that says which day and cycle, Vietnamese lines in
the logs, a final message; a user's mistake fails the run in one line, without a traceback or a
retry."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    LogFilter,
    LogFilterFlowRunId,
    TaskRunFilter,
    TaskRunFilterFlowRunId,
)
from prefect.client.schemas.objects import State
from prefect.logging.handlers import APILogHandler

from flows.deadline_sweep import deadline_sweep
from flows.import_submissions import import_submissions
from flows.open_cycle import open_cycle
from models.errors import InvalidInput
from tests.conftest import write_csv
from tests.flows.conftest import World


def _logs(flow_run_id: UUID) -> list[tuple[int, str]]:
    """The run's log lines (its tasks' included), as the UI's log tab shows them."""
    APILogHandler().flush()
    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    return [(log.level, log.message) for log in logs]


def _run_name(state: State[Any]) -> str:
    with get_client(sync_client=True) as client:
        run_id = state.state_details.flow_run_id
        assert run_id is not None
        return client.read_flow_run(run_id).name


def test_a_sweep_is_named_by_its_day_and_logs_what_it_sent(world: World) -> None:
    """The reminders of 28/08/2024: the run is quet-han-2024-08-28, its logs and final message
    say how many reminders of how many units."""
    open_cycle()
    state = deadline_sweep(2024, date(2024, 8, 28), return_state=True)
    assert state.is_completed()
    assert _run_name(state) == "quet-han-2024-08-28"
    assert state.message is not None
    assert state.message.startswith("Quét hạn ngày 28/08/2024 (34 đơn vị): cần gửi nhắc hạn: 34")
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    lines = [message for _, message in _logs(run_id)]
    assert state.message in lines
    assert any(line.startswith("Đã gửi 34 thư") for line in lines)
    assert any(line.startswith("Tình trạng ngày") for line in _logs_of_compliance(world))


def _logs_of_compliance(world: World) -> list[str]:
    """An import's compliance line (the compute-compliance task tells its counts)."""
    folder = world.data_dir / "intake"
    folder.mkdir(parents=True, exist_ok=True)
    empty = write_csv(folder / "trong.csv", "unit_code,results")
    state = import_submissions(2024, str(empty), "reports", date(2024, 9, 10), return_state=True)
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    return [message for _, message in _logs(run_id)]


def test_a_bad_row_fails_the_run_in_one_line_without_a_traceback_or_retry(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """An unknown unit in a file: the run fails with the row's reason as its message, one error
    line in its logs, no traceback there or in the terminal, and its task ran once."""
    open_cycle()
    folder = world.data_dir / "intake"
    folder.mkdir(parents=True, exist_ok=True)
    bad = write_csv(
        folder / "bao-cao.csv",
        "unit_code,results,submitted_on",
        "19363,Đã áp dụng,2024-10-01",
        "19999,Đã áp dụng,2024-10-01",
    )
    caplog.set_level(logging.INFO)
    state = import_submissions(2024, str(bad), "reports", date(2024, 10, 2), return_state=True)
    assert state.is_failed()
    assert state.message is not None
    assert "bao-cao.csv:3" in state.message
    assert "19999" in state.message
    assert "Traceback" not in state.message
    assert "InvalidInput" not in state.message
    run_id = state.state_details.flow_run_id
    assert run_id is not None
    logs = _logs(run_id)
    errors = [message for level, message in logs if level >= logging.ERROR]
    assert errors == [state.message]
    assert not any("Traceback" in message for _, message in logs)
    assert "Traceback" not in caplog.text
    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=[run_id]))
        )
    imports = [t for t in tasks if t.name.startswith("import-file")]
    assert [t.run_count for t in imports] == [1]
    with pytest.raises(InvalidInput):  # called as a function, the mistake is still the exception
        import_submissions(2024, str(bad), "reports", date(2024, 10, 2))
