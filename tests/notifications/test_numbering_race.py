"""Document numbers under concurrency: transactions that take numbers at once, and sweeps of
different days queued at once, on the real databases (each worker a thread with its own
connection; the transactions are held open so that they overlap).

Before the series counter was locked, the second of two overlapping transactions read the same
``max(sequence)`` and failed on the unique sequence (the issue's 08/10 and 21/10 sweeps).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from models.cycle import Cycle, DocumentNumber, document_number, load_cycle_config, open_cycle
from models.db import Notice, session_scope
from models.imports import import_file
from models.settings import Settings
from notifications.steps import sweep_step
from notifications.steps.context import StepContext
from tests.conftest import VINH_LINH
from tests.notifications.test_documents import keeping_the_register


def _at_once(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` in ``count`` threads released together; the errors they raised."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            work(i)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def _opened(engine: Engine, roster: bool = False) -> int:
    config = load_cycle_config(VINH_LINH)
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, config, "test")
        if roster:
            import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")
        keeping_the_register(cycle)  # numbers are taken only when the system keeps the register
        return cycle.id


def _numbers(engine: Engine) -> list[tuple[str, int, str]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(DocumentNumber.issuer, DocumentNumber.sequence, DocumentNumber.document_key)
        )
        return sorted(rows.tuples())


def test_eight_transactions_taking_numbers_at_once_get_eight_numbers(engine: Engine) -> None:
    """Eight letters numbered at once, each transaction held open after taking its number: all
    commit, with 01 to 08 and no gap."""
    cycle_id = _opened(engine)

    def take(i: int) -> None:
        with session_scope(engine) as session:
            cycle = session.get_one(Cycle, cycle_id)
            document_number(session, cycle, f"letter-{i}", "UBND-NV", date(2024, 10, 8) + timedelta(days=i))
            time.sleep(0.2)  # the others are waiting on the counter now

    assert _at_once(8, take) == []
    numbers = _numbers(engine)
    assert sorted(seq for _, seq, _ in numbers) == list(range(1, 9))
    assert {key for _, _, key in numbers} == {f"letter-{i}" for i in range(8)}


def test_the_same_document_numbered_at_once_keeps_one_number(engine: Engine) -> None:
    """Six transactions ask for the number of the same letter at once: one number, all agree."""
    cycle_id = _opened(engine)
    got: list[str] = []

    def take(_: int) -> None:
        with session_scope(engine) as session:
            cycle = session.get_one(Cycle, cycle_id)
            got.append(
                document_number(session, cycle, "escalation-2024-10-08", "UBND-NV", date(2024, 10, 8)).number
            )
            time.sleep(0.2)

    assert _at_once(6, take) == []
    assert got == ["01/UBND-NV"] * 6
    assert _numbers(engine) == [("UBND-NV", 1, "escalation-2024-10-08")]


def test_eight_sweeps_of_different_days_at_once_issue_one_letter(engine: Engine, tmp_path: Path) -> None:
    """No unit proposed anything; the sweeps of 08/10 to 15/10 run at once. Each would escalate
    every unit, but the escalation is due once: every sweep completes, one letter with one number
    is issued, and each unit's escalation carries it."""
    cycle_id = _opened(engine, roster=True)
    ctx = StepContext("test", Settings(data_dir=tmp_path / "var"))

    def sweep(i: int) -> None:
        with session_scope(engine) as session:
            sweep_step(session, session.get_one(Cycle, cycle_id), date(2024, 10, 8) + timedelta(days=i), ctx)

    assert _at_once(8, sweep) == []
    ((issuer, sequence, key),) = _numbers(engine)
    assert (issuer, sequence) == ("UBND-NV", 1)
    with session_scope(engine) as session:
        escalations = session.scalars(select(Notice).where(Notice.kind == "escalation")).all()
        units = {n.unit_id for n in escalations}
        attached = [a for n in escalations for a in n.attachments]
        letters = {(a["filename"], a["document_id"]) for a in attached if a["kind"] == "stored"}
    assert len(escalations) == len(units) == 34
    assert len(letters) == 1, letters
    assert key.startswith("escalation-2024-10-")
