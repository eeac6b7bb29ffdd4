"""One benchmark run in its own process: MODE UNITS FOLDER; prints seconds and peak memory."""

from __future__ import annotations

import contextvars
import json
import resource
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from deployments.synthetic import SyntheticShape, generate
from models.cycle.config import load_cycle_config
from models.db.engine import make_engine, session_scope, settle_heap
from models.db.schema import ensure_schema
from models.imports import import_file, open_cycle_from_file
from models.reporting.scoring import compute_lines, store_lines
from models.review.recognition import Approval, record_decision
from models.review.simulation import council_sheets
from models.review.tally import assignments, by_member, tally
from models.settings import load_settings
from models.tracking.compliance import compute_compliance
from models.tracking.sweep import key_days, plan_sweep
from notifications.documents.render import render_decision, render_district_report
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import call_for_proposals, receipts
from notifications.notices.outcome import decision_notices, review_requests, score_notices
from notifications.notices.sweep import sweep_drafts


def _floor(config: Path) -> None:
    """The annual cycle's domain work as plain calls, step for step."""
    settings = load_settings()
    settle_heap()  # as the first task of a flow run does
    engine = make_engine(settings.resolved_database_url)
    ensure_schema(engine)
    conf = load_cycle_config(config)
    out = settings.data_dir / "out"
    last = conf.deadlines.last
    with session_scope(engine) as s:
        cycle, _, _ = open_cycle_from_file(s, config, actor="bench")
        queue_notices(s, call_for_proposals(s, cycle), "bench")
        compute_compliance(s, cycle, conf.opens_on)
    for day in key_days(conf):
        with session_scope(engine) as s:
            cycle = s.merge(cycle)
            for kind in ("initiatives", "reports", "replication"):
                result = import_file(
                    s, cycle, config.parent / f"{kind}.csv", kind, today=day, actor="bench", replay=True
                )
                queue_notices(s, receipts(s, cycle, kind, list(result.stored_ids)), "bench")
            plan = plan_sweep(compute_compliance(s, cycle, day), conf, day)
            queue_notices(s, sweep_drafts(s, cycle, plan, day), "bench")
            compute_compliance(s, cycle, day)
    review_on, decided_on = last + timedelta(days=7), last + timedelta(days=45)
    with session_scope(engine) as s:
        cycle = s.merge(cycle)
        queue_notices(s, review_requests(s, cycle, by_member(assignments(s, cycle)), review_on), "bench")
        sheets = council_sheets(s, cycle, out / "sheets.csv")
        import_file(s, cycle, sheets, "reviews", today=review_on, actor="bench")
        tally(s, cycle)
        for day in (review_on, decided_on):
            if day == decided_on:
                results = tally(s, cycle)
                signer = conf.signers["decision"]
                decision, _ = record_decision(
                    s, cycle, results, Approval("01/QĐ-UBND", decided_on, signer.name, signer.title), "bench"
                )
                queue_notices(s, decision_notices(s, cycle, results, decision), "bench")
                render_decision(s, cycle, decision, out)
            lines = compute_lines(s, cycle, day)
            store_lines(s, cycle, lines, "bench")
            queue_notices(s, score_notices(s, cycle, lines), "bench")
        render_district_report(s, cycle, decided_on, out)


def _through_prefect(config: Path, naive: bool) -> float:
    from prefect.testing.utilities import prefect_test_harness

    from deployments.approvals import approve_when_paused
    from models.forms import DecisionApproval

    with prefect_test_harness(server_startup_timeout=180):
        approval = DecisionApproval(number="01/QĐ-UBND", issued_on=date(2025, 12, 6), signer_name="Người Ký")
        context = contextvars.copy_context()
        threading.Thread(target=context.run, args=(approve_when_paused, approval, 3600), daemon=True).start()
        started = time.perf_counter()
        if naive:
            from deployments.benchmarks.naive import naive_cycle

            naive_cycle(str(config))
        else:
            from flows.annual_cycle import annual_cycle

            annual_cycle(str(config))
        return time.perf_counter() - started


def main() -> None:
    """Generate the year, run it one way, print the figures as JSON."""
    mode, units, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    config = generate(folder / "cycle", SyntheticShape(units=units, year=2025))
    if mode == "floor":
        started = time.perf_counter()
        _floor(config)
        seconds = time.perf_counter() - started
    else:
        seconds = _through_prefect(config, naive=mode == "naive")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {"mode": mode, "units": units, "seconds": seconds, "peak_mib": peak}
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
