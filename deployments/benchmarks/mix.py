"""Real-mix delivery benchmark: what a synthetic province's year really sends, to an SMTP sink in
another process, on SQLite and (with ``--postgres URL``) on PostgreSQL.

Three deliveries, each timed on its own: the call for proposals to every unit with its
workbooks; the receipts of the proposals; and the escalation day's sweep (escalations with the
official letter attached, and the day's other notices). The baseline, measured in the same run
on a smaller province, is the call for proposals sent the old way: each unit's workbooks rebuilt
with openpyxl for every message. Prints messages per second and ratios; the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from deployments.benchmarks.delivery import free_port, start_sink_process
from deployments.synthetic import SyntheticShape, generate
from models.cycle import effective_deadlines, load_cycle_config
from models.db import Base, Notice, make_engine, session_scope, upgrade
from models.settings import Settings, SmtpSettings
from models.tracking import replay_plan
from notifications.mail.delivery import deliver_notices
from notifications.notices.attachments import SendCache, WorkbookTemplate
from notifications.steps import StepContext, intake_file, open_step, sweep_step

Row = tuple[str, int, float]  # (what, messages, seconds)


class RebuiltPerMessage(SendCache):
    """The baseline: every message's workbooks built from scratch, as before the templates."""

    def ready(self, specs: Sequence[dict[str, Any]]) -> bool:
        """Never: each message goes back to the database and openpyxl."""
        return False

    def template(self, session: Session, kind: str, cycle_id: int, unit_kind: str = "") -> WorkbookTemplate:
        """A fresh build every time."""
        self.templates.clear()
        return super().template(session, kind, cycle_id, unit_kind)


def _deliver(engine: Engine, smtp: SmtpSettings, cache: SendCache | None = None) -> tuple[int, float]:
    started = time.perf_counter()
    report = asyncio.run(deliver_notices(engine, smtp, cache=cache))
    return report.sent, time.perf_counter() - started


def _fresh(url: str) -> Engine:
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        upgrade(engine)
    else:
        Base.metadata.create_all(engine)
    return engine


def _escalation_day(config: Path, days: Sequence[date]) -> date:
    """The first day the replay visits on which the call's deadline is escalated."""
    loaded = load_cycle_config(config)
    deadline = effective_deadlines(loaded)["propose"].effective
    return min(d for d in days if d >= deadline + timedelta(days=loaded.escalation.days_after_deadline))


def run_mix(url: str, config: Path, smtp: SmtpSettings, ctx: StepContext) -> list[Row]:
    """The three deliveries of the year of ``config`` on the database at ``url``."""
    engine = _fresh(url)
    plan = replay_plan(config)
    rows: list[Row] = []
    with session_scope(engine) as session:
        cycle = open_step(session, config, ctx).cycle
    rows.append(("call for proposals, workbooks attached", *_deliver(engine, smtp)))
    day = _escalation_day(config, plan.days)
    with session_scope(engine) as session:
        cycle = session.merge(cycle)
        for kind, path in plan.files:
            if kind == "initiatives":  # every proposal dated before the escalation day
                intake_file(session, cycle, Path(path), kind, day - timedelta(days=1), ctx, replay=True)
    rows.append(("receipts of the proposals", *_deliver(engine, smtp)))
    with session_scope(engine) as session:
        swept = sweep_step(session, session.merge(cycle), day, ctx)
        escalations = session.scalar(select(func.count(Notice.id)).where(Notice.kind == "escalation"))
    sent, seconds = _deliver(engine, smtp)
    lettered = "with the letter" if swept.letter else "no letter"
    rows.append((f"sweep of {day:%d/%m}: {escalations} escalations {lettered}", sent, seconds))
    engine.dispose()
    return rows


def run_baseline(url: str, config: Path, smtp: SmtpSettings, ctx: StepContext) -> Row:
    """The call for proposals of ``config`` with its workbooks rebuilt for every message."""
    engine = _fresh(url)
    with session_scope(engine) as session:
        open_step(session, config, ctx)
    sent, seconds = _deliver(engine, smtp, RebuiltPerMessage())
    engine.dispose()
    return ("call for proposals, workbooks rebuilt per message", sent, seconds)


def _table(title: str, rows: list[Row], baseline: Row) -> list[str]:
    base_rate = baseline[1] / baseline[2]
    lines = [title, f"{'delivery':<58}{'sent':>7}{'seconds':>9}{'msg/s':>8}{'vs baseline':>13}"]
    for what, sent, seconds in rows:
        rate = sent / seconds if seconds else 0.0
        lines.append(f"{what:<58}{sent:>7}{seconds:>9.1f}{rate:>8.1f}{rate / base_rate:>12.1f}x")
    return lines


def main() -> None:
    """Generate the provinces, run the mix on each database and the baseline, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5_000)
    parser.add_argument("--baseline-units", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("SANGKIEN_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    port = free_port()
    sink = start_sink_process(port)
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="noivu@mau.example.org", timeout=60)
    out: list[str] = [
        f"Real-mix delivery, {args.units:,} units, to an aiosmtpd sink in another process",
        (
            f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        ),
        f"started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}",
    ]
    try:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            ctx = StepContext("bench:mix", Settings(data_dir=root / "var"))
            small = generate(root / "small", SyntheticShape(units=args.baseline_units))
            baseline = run_baseline(f"sqlite:///{root / 'baseline.sqlite3'}", small, smtp, ctx)
            config = generate(root / "province", SyntheticShape(units=args.units))
            databases = [("SQLite", f"sqlite:///{root / 'mix.sqlite3'}")]
            if args.postgres:
                databases.append(("PostgreSQL", args.postgres))
            tables = [(name, run_mix(url, config, smtp, ctx)) for name, url in databases]
    finally:
        sink.terminate()
        sink.wait()
    sent, seconds = baseline[1], baseline[2]
    out.append(
        f"baseline ({args.baseline_units} units, SQLite): {sent} calls in {seconds:.1f} s, "
        f"{sent / seconds:.1f} msg/s"
    )
    for name, rows in tables:
        out += ["", *_table(name, rows, baseline)]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
