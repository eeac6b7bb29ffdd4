"""The README's scale-out, followed literally on one machine: a Prefect server on PostgreSQL,
``sangkien deploy``, two ``sangkien worker`` processes, the project's data on PostgreSQL.

A burst (an import and eight sweeps of different days, queued at once after the opening) runs on
both workers, every run completes, no Message-ID reaches the SMTP server twice and each
escalation day has one letter with one number. Then a worker and its flow process are killed
with SIGKILL in the middle of a sweep's delivery (a machine that died): the heartbeat watch marks
the run CRASHED, the retry automation schedules it again, the surviving worker completes it,
and still nothing is received twice (one SMTP connection: a killed deliverer leaves at most the
message in flight, which the server had not accepted).

Skipped without ``SANGKIEN_TEST_POSTGRES_URL`` (``.ci/run`` sets it). The watch is set short
here (heartbeats every 30 s, Prefect's minimum; CRASHED after 45 s of silence).
"""

from __future__ import annotations

import os
import shutil
import signal
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import select

from deployments.benchmarks.cluster_run import asyncpg_url, throwaway_database
from deployments.cluster import SILENT_MESSAGE
from deployments.stack import LocalStack
from deployments.synthetic import SyntheticShape, generate
from models.cycle import DocumentNumber
from models.db import Notice, make_engine, session_scope
from models.forms import shown
from models.imports import import_kind_label
from models.settings import Settings, SmtpSettings
from tests.conftest import POSTGRES_URL, _skip_or_fail_postgres
from tests.deployments.cluster_world import Worker, environment, parent_of, sangkien, start_worker, wait_for
from tests.notifications.smtp_servers import Recorder, free_port, smtp_server

HEARTBEAT, CRASH_AFTER = 30, 45
SWEEP_DAYS = [date(2025, 9, day) for day in (4, 6, 8, 10, 12, 14, 17, 20)]
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@pytest.fixture
def postgres() -> str:
    if not POSTGRES_URL:
        _skip_or_fail_postgres()
    return str(POSTGRES_URL)


def _queue(name: str, **parameters: Any) -> UUID:
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment

    run = run_deployment(name, parameters=parameters, timeout=0)
    assert isinstance(run, FlowRun)
    return run.id


def _state(run_id: UUID) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    return state.type.value if state else "NONE"


def _all_final(runs: list[UUID]) -> dict[UUID, str] | None:
    states = {run: _state(run) for run in runs}
    return states if set(states.values()) <= FINAL else None


def _silent_crash(run_id: UUID) -> bool:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        states = client.read_flow_run_states(run_id)
    return any(s.type.value == "CRASHED" and s.message == SILENT_MESSAGE for s in states)


def _one_letter_per_escalation_day(database_url: str) -> list[str]:
    """The escalation days; each with one number and one letter file on its notices."""
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        numbers = session.execute(select(DocumentNumber.document_key, DocumentNumber.sequence)).tuples().all()
        escalations = session.scalars(select(Notice).where(Notice.kind == "escalation")).all()
        letters: dict[str, set[str]] = {}
        for notice in escalations:
            for spec in notice.attachments:
                if spec["kind"] == "document":
                    letters.setdefault(notice.milestone, set()).add(spec["filename"])
        states = Counter(n.state for n in session.scalars(select(Notice)))
    engine.dispose()
    keys = [key for key, _ in numbers]
    assert len(keys) == len(set(keys)), numbers
    assert len({s for _, s in numbers}) == len(numbers), numbers
    assert all(len(files) == 1 for files in letters.values()), letters
    assert set(states) == {"sent"}, states
    return sorted(k for k in keys if k.startswith("escalation-"))


def test_two_workers_share_a_burst_and_a_dead_machine_is_crashed_and_rerun(
    tmp_path: Path, postgres: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open, then an import and eight sweeps at once; then kill -9 a machine mid-run."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    config = generate(tmp_path / "cycle", SyntheticShape(units=40, initiatives_per_unit=1, year=2025))
    toml = config.read_text(encoding="utf-8").replace("[numbering]\n", '[numbering]\nmode = "register"\n')
    config.write_text(toml, encoding="utf-8")
    intake = tmp_path / "intake"
    intake.mkdir()
    shutil.copy(config.parent / "initiatives.csv", intake / "initiatives.csv")
    recorder = Recorder()
    workers: list[Worker] = []
    with (
        throwaway_database(postgres, "sangkien_cluster_prefect") as prefect_db,
        throwaway_database(postgres, "sangkien_cluster_data") as data_db,
        smtp_server(recorder) as smtp_port,
    ):
        monkeypatch.delenv("PREFECT_API_URL", raising=False)
        monkeypatch.setenv("PREFECT_API_DATABASE_CONNECTION_URL", asyncpg_url(prefect_db))
        settings = Settings(data_dir=tmp_path / "var", smtp=SmtpSettings(host="127.0.0.1", port=smtp_port))
        stack = LocalStack(settings, port=free_port())
        with stack, temporary_settings({PREFECT_API_URL: stack.api_url}):
            machine = environment(
                PREFECT_API_URL=stack.api_url,
                SANGKIEN_DATABASE_URL=data_db,
                SANGKIEN_DATA_DIR=str(tmp_path / "var"),
                SANGKIEN_INTAKE_DIR=str(intake),
                SANGKIEN_SMTP__HOST="127.0.0.1",
                SANGKIEN_SMTP__PORT=str(smtp_port),
                SANGKIEN_SMTP__CONNECTIONS="1",
                SANGKIEN_SMTP__LEASE_SECONDS="30",
            )
            # The README's scale-out section, command by command.
            upgraded = sangkien(machine, "db", "upgrade")
            assert upgraded.returncode == 0, upgraded.stderr
            deployed = sangkien(
                machine, "deploy", "--config", str(config), "--heartbeat", str(HEARTBEAT),
                "--crash-after", str(CRASH_AFTER),
            )  # fmt: skip
            assert deployed.returncode == 0, deployed.stderr
            assert "Đã triển khai 17 luồng" in deployed.stdout
            try:
                workers += [start_worker(f"may-{i}", machine, tmp_path / "workers") for i in (1, 2)]
                opening = _queue("open-cycle/yearly", as_of="2025-01-15")
                wait_for(lambda: _all_final([opening]), 300, "the opening")
                assert _state(opening) == "COMPLETED"

                imports = {
                    "path": str(intake / "initiatives.csv"),
                    "kind": shown(import_kind_label("initiatives")),
                    "replay": True,
                }
                burst = [_queue("import-submissions/file", as_of="2025-09-05", **imports)]
                burst += [_queue("deadline-sweep/daily", as_of=day.isoformat()) for day in SWEEP_DAYS]
                states = wait_for(lambda: _all_final(burst), 600, "the burst")
                assert set(states.values()) == {"COMPLETED"}, states
                ran = [worker.ran() for worker in workers]
                assert all(ran), ran  # both workers ran runs
                assert set(burst) | {opening} == {UUID(i) for i in ran[0] | ran[1]}
                assert max(recorder.message_ids().values()) == 1
                assert _one_letter_per_escalation_day(data_db), "no escalation day in the burst"

                # A machine dies in the middle of a sweep's delivery: 7 days before the report
                # deadline, every unit gets its reminders, one message a second.
                before = len(recorder.messages)
                recorder.delay = 1.0
                doomed = _queue("deadline-sweep/daily", as_of="2025-10-15")
                wait_for(lambda: len(recorder.messages) >= before + 10, 300, "the doomed run's messages")
                wait_for(lambda: recorder.attempts > len(recorder.messages), 30, "a message in flight", 0.05)
                from prefect.client.orchestration import get_client

                with get_client(sync_client=True) as client:
                    flow_pid = int(str(client.read_flow_run(doomed).infrastructure_pid).rsplit(":", 1)[-1])
                (victim,) = [w for w in workers if w.process.pid == parent_of(flow_pid)]
                os.kill(flow_pid, signal.SIGKILL)
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait()
                recorder.delay = 0.0
                wait_for(lambda: _silent_crash(doomed), CRASH_AFTER + HEARTBEAT + 60, "CRASHED by the watch")
                wait_for(lambda: _all_final([doomed]), 300, "the rerun")
                assert _state(doomed) == "COMPLETED"
                (survivor,) = [w for w in workers if w is not victim]
                assert str(doomed) in survivor.ran()
                assert len(recorder.messages) > before + 10
                assert max(recorder.message_ids().values()) == 1, "a message was received twice"
                _one_letter_per_escalation_day(data_db)
            finally:
                for worker in workers:
                    worker.stop()
