"""Cycle benchmark: a synthetic year of 100, 1,000 and 10,000 units, three ways, notice delivery
left out (``SANGKIEN_DELIVER_NOTICES=false``; the delivery benchmark measures it).

- ``prefect``: the ``annual-cycle`` flow through Prefect's test harness (its start not counted);
- ``floor``: the same domain work as plain function calls, no Prefect;
- ``naive``: ``annual-cycle`` with each day's sweep done as one task run per unit.

Each run is its own process (fresh database, its own peak memory). Prints seconds, the ratio to
the floor, and peak resident memory of the process that ran the cycle (the harness's API server
is a separate process and is not counted).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = (100, 1_000, 10_000)


def _run(mode: str, units: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{mode}-{units}-"))
    env = os.environ | {
        "SANGKIEN_DATA_DIR": str(folder / "var"),
        "SANGKIEN_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SANGKIEN_DELIVER_NOTICES": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "deployments.benchmarks.cycle_run", mode, str(units), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(folder, ignore_errors=True)  # a 10,000-unit year leaves 700 MB behind
    if done.returncode != 0:
        raise SystemExit(f"{mode} at {units} units failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    """Run every size and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--naive-at", type=int, default=1_000)
    args = parser.parse_args()
    header = "units  floor s  prefect s   ratio   naive s  naive/prefect  peak MiB (floor, prefect)"
    sys.stdout.write(header + "\n")
    for units in args.sizes:
        floor = _run("floor", units)
        through = _run("prefect", units)
        naive = _run("naive", units) if units == args.naive_at else None
        ratio = through["seconds"] / floor["seconds"]
        naive_cells = (
            f"{naive['seconds']:>10.1f}{naive['seconds'] / through['seconds']:>14.1f}x" if naive else " " * 25
        )
        peaks = f"{floor['peak_mib']:>10.0f}, {through['peak_mib']:.0f}"
        times = f"{floor['seconds']:>9.1f}{through['seconds']:>11.1f}{ratio:>7.2f}x"
        row = f"{units:>5}{times}{naive_cells}{peaks}"
        sys.stdout.write(row + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
