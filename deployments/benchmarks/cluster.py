"""Cluster benchmark: a synthetic year's deployed runs through two ``sangkien worker`` processes
against the same runs as flow calls in one process, both on PostgreSQL (the project's data and
the Prefect server's), delivering to an SMTP sink in another process.

The year is run in waves, each queued at once and waited for: the opening; the initiatives; the
reports and replication reports; then the sweeps of every third day from a month before the call's
deadline to three weeks after the last one. Prints wall time, the peak resident memory of the
largest process (the single process; under each worker, the worker or one of its flow
processes), and delivery throughput (messages marked sent per second between the first and the
last). ``python -m deployments.benchmarks.cluster --postgres URL [--units N]``; the machine is
shared, so run it when nothing else does (10,000 units takes a long time on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from sqlalchemy import func, select

from deployments.benchmarks.cluster_run import SANGKIEN, asyncpg_url, throwaway_database
from deployments.benchmarks.delivery import free_port, start_sink_process
from deployments.stack import LocalStack
from deployments.synthetic import SyntheticShape, generate
from models.cycle import effective_deadlines, load_cycle_config
from models.db import Notice, make_engine, session_scope
from models.forms import shown
from models.imports import import_kind_label
from models.settings import Settings, SmtpSettings

Plan = list[list[dict[str, Any]]]
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def year_plan(config: Path, intake: Path) -> Plan:
    """The waves of runs of the year of ``config``; its files copied into ``intake``."""
    loaded = load_cycle_config(config)
    deadlines = effective_deadlines(loaded)
    last = max(d.effective for d in deadlines.values())
    year, received = loaded.year, (last + timedelta(days=45)).isoformat()
    for kind in ("initiatives", "reports", "replication"):
        shutil.copy(config.parent / f"{kind}.csv", intake / f"{kind}.csv")

    def imported(kind: str) -> dict[str, Any]:
        parameters = {
            "cycle": year,
            "path": str(intake / f"{kind}.csv"),
            "kind": shown(import_kind_label(kind)),
            "as_of": received,
        }
        return {"deployment": "import-submissions/file", "parameters": parameters}

    first = deadlines["propose"].effective - timedelta(days=30)
    days = [first + timedelta(days=d) for d in range(0, (last - first).days + 22, 3)]
    return [
        [{"deployment": "open-cycle/yearly", "parameters": {"as_of": loaded.opens_on.isoformat()}}],
        [imported("initiatives")],
        [imported("reports"), imported("replication")],
        [
            {"deployment": "deadline-sweep/daily", "parameters": {"cycle": year, "as_of": str(d)}}
            for d in days
        ],
    ]


def _wait(runs: list[UUID]) -> list[str]:
    from prefect.client.orchestration import get_client

    while True:
        with get_client(sync_client=True) as client:
            states = [client.read_flow_run(run).state for run in runs]
        names = [s.type.value if s else "NONE" for s in states]
        if set(names) <= FINAL:
            return names
        time.sleep(2)


def _throughput(url: str) -> tuple[int, float]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        count, first, last = session.execute(
            select(func.count(), func.min(Notice.sent_at), func.max(Notice.sent_at)).where(
                Notice.state == "sent"
            )
        ).one()
    engine.dispose()
    span = (last - first).total_seconds() if count > 1 else 0.0
    return int(count), count / span if span else 0.0


def _json(output: str) -> dict[str, float]:
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def run_cluster(env: dict[str, str], config: Path, plan: Plan, workers: int) -> dict[str, Any]:
    """Deploy, start the workers, queue each wave and wait; wall time and each worker's peak."""
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL, temporary_settings

    for command in (["db", "upgrade"], ["deploy", "--config", str(config)]):
        subprocess.run([SANGKIEN, *command], env=env, check=True, capture_output=True)  # noqa: S603
    module = [sys.executable, "-m", "deployments.benchmarks.cluster_run", "worker"]
    started = [
        subprocess.Popen([*module, f"may-{i}", "2"], env=env, stdout=subprocess.PIPE, text=True)  # noqa: S603
        for i in range(1, workers + 1)
    ]
    states: list[str] = []
    began = time.perf_counter()
    try:
        with temporary_settings({PREFECT_API_URL: env["PREFECT_API_URL"]}):
            for wave in plan:
                runs = [run_deployment(r["deployment"], parameters=r["parameters"], timeout=0) for r in wave]
                states += _wait([run.id for run in runs if isinstance(run, FlowRun)])
        seconds = time.perf_counter() - began
    finally:
        for worker in started:
            worker.send_signal(signal.SIGINT)
    peaks = [_json(worker.communicate(timeout=120)[0])["peak_mib"] for worker in started]
    return {"seconds": seconds, "peaks": peaks, "states": states}


def run_single(env: dict[str, str], config: Path, plan: Plan, folder: Path) -> dict[str, Any]:
    """The same waves as flow calls in one process; its wall time and peak."""
    subprocess.run([SANGKIEN, "db", "upgrade"], env=env, check=True, capture_output=True)  # noqa: S603
    (folder / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    command = [sys.executable, "-m", "deployments.benchmarks.cluster_run", "single", str(config)]
    command.append(str(folder / "plan.json"))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"the single process failed:\n{done.stderr[-4000:]}")
    return _json(done.stdout)


def _row(way: str, wall: str, peak: str, sent: str, rate: str) -> str:
    return f"{way:<14}{wall:>8}   {peak:<16}{sent:>8}{rate:>9}"


def _rate(sent: tuple[int, float]) -> tuple[str, str]:
    return str(sent[0]), f"{sent[1]:.1f}"


def main() -> None:
    """Run both ways on throwaway databases and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("SANGKIEN_BENCH_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        raise SystemExit("--postgres URL (or SANGKIEN_BENCH_POSTGRES_URL) is needed")
    machine = f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores"
    out = [
        f"Cluster benchmark, {args.units:,} units, {args.workers} workers vs one process, PostgreSQL",
        f"machine: {machine}, Python {platform.python_version()}",
        f"started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.2f}",
    ]
    port = free_port()
    sink = start_sink_process(port)
    root = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    try:
        with (
            throwaway_database(args.postgres, "bench_prefect") as prefect_db,
            throwaway_database(args.postgres, "bench_cluster") as cluster_db,
            throwaway_database(args.postgres, "bench_single") as single_db,
        ):
            os.environ["PREFECT_API_DATABASE_CONNECTION_URL"] = asyncpg_url(prefect_db)
            config = generate(root / "cycle", SyntheticShape(units=args.units))
            (root / "intake").mkdir()
            plan = year_plan(config, root / "intake")
            smtp = SmtpSettings(host="127.0.0.1", port=port)
            with LocalStack(Settings(data_dir=root / "var", smtp=smtp), port=free_port()) as stack:
                env = os.environ | {
                    "PREFECT_API_URL": stack.api_url,
                    "PREFECT_LOGGING_LEVEL": "WARNING",
                    "SANGKIEN_DATA_DIR": str(root / "var"),
                    "SANGKIEN_INTAKE_DIR": str(root / "intake"),
                    "SANGKIEN_SMTP__HOST": "127.0.0.1",
                    "SANGKIEN_SMTP__PORT": str(port),
                }
                cluster = run_cluster(env | {"SANGKIEN_DATABASE_URL": cluster_db}, config, plan, args.workers)
                single = run_single(env | {"SANGKIEN_DATABASE_URL": single_db}, config, plan, root)
                sent = [_throughput(cluster_db), _throughput(single_db)]
    finally:
        sink.terminate()
        sink.wait()
        shutil.rmtree(root, ignore_errors=True)
    states = cluster["states"]
    counts = ", ".join(f"{s} {states.count(s)}" for s in sorted(set(states)))
    peaks = ", ".join(f"{p:.0f}" for p in cluster["peaks"])
    out += [
        f"runs through the workers: {len(states)} ({counts})",
        _row("way", "wall s", "peak MiB", "sent", "msg/s"),
        _row(f"{args.workers} workers", f"{cluster['seconds']:.1f}", peaks, *_rate(sent[0])),
        _row("one process", f"{single['seconds']:.1f}", f"{single['peak_mib']:.0f}", *_rate(sent[1])),
    ]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
