"""Reading benchmark: peak memory of importing files at the documented limits, accepted or refused.

Each file is imported by ``sangkien import`` in its own process on a fresh SQLite database (the
cycle opened before, not counted); the figure is the process's peak resident memory. The
baseline is the same command on a file of one row, in the same run. The goal: every file within
the limits (20 MB, 30,000 rows) stays under 300 MB, accepted or refused, whatever its format.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

from deployments.synthetic import SyntheticShape, generate
from models.intake.formats import MAX_ROWS

CORPUS = Path(__file__).resolve().parent.parent.parent / "tests" / "hostile"
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its parent's.
PROBE = (
    "import re, sys; from pathlib import Path; from deployments.cli import app\n"
    "try:\n    app()\nexcept SystemExit as exit:\n    code = exit.code\n"
    "peak = int(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()).group(1)) // 1024\n"
    "print('PEAK', peak, 'EXIT', code, file=sys.stderr)"
)


def _peak(data: Path, *args: str) -> tuple[int, int]:
    """Peak MiB and exit code of ``sangkien ARGS`` on the data dir."""
    env = os.environ | {"SANGKIEN_DATA_DIR": str(data / "var"), "SANGKIEN_DATABASE_URL": ""}
    done = subprocess.run(  # noqa: S603 - our own interpreter and CLI
        [sys.executable, "-c", PROBE, *args], env=env, capture_output=True, text=True, check=False
    )
    line = next(text for text in done.stderr.splitlines() if text.startswith("PEAK"))
    _peak_word, mib, _exit_word, code = line.split()
    return int(mib), int(code) if code != "None" else 0


def _rows(source: Path) -> tuple[list[str], list[list[str]]]:
    with source.open(encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    return table[0], table[1:]


def _files(folder: Path) -> dict[str, tuple[str, Path]]:
    """The files to measure: initiatives at the row limit in each format, and the hostile ones."""
    # A district-sized roster with many initiatives each: the file, not the cycle, is measured.
    config = generate(
        folder / "year", SyntheticShape(units=400, initiatives_per_unit=MAX_ROWS // 400 + 1, year=2025)
    )
    header, rows = _rows(config.parent / "initiatives.csv")
    rows = rows[:MAX_ROWS]
    csv_path = folder / "sang-kien.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(folder / "sang-kien.xlsx")
    (folder / "sang-kien.json").write_text(
        json.dumps([dict(zip(header, row, strict=True)) for row in rows], ensure_ascii=False),
        encoding="utf-8",
    )
    with csv_path.open(encoding="utf-8") as handle:
        (folder / "mot-dong.csv").write_text(handle.readline() + handle.readline(), encoding="utf-8")
    wrong = folder / "sang-kien-sai.csv"  # the same file refused for its very last row
    wrong.write_text(csv_path.read_text(encoding="utf-8").rstrip("\n") + ",thừa một ô\n", encoding="utf-8")
    files = {
        "one row (baseline)": ("initiatives", folder / "mot-dong.csv"),
        f"{len(rows):,} rows, csv": ("initiatives", csv_path),
        f"{len(rows):,} rows, xlsx": ("initiatives", folder / "sang-kien.xlsx"),
        f"{len(rows):,} rows, json": ("initiatives", folder / "sang-kien.json"),
        f"{len(rows):,} rows, csv, last row wrong": ("initiatives", wrong),
    }
    for name in ("03_padded_dimension.xlsx", "03_whitespace_bomb.xlsx", "07_deep.json", "07_long_cell.csv"):
        kind = "units" if name.startswith(("03", "07_deep")) else "initiatives"
        files[f"hostile {name}"] = (kind, CORPUS / name)
    return {name: (kind, path) for name, (kind, path) in files.items()} | {"config": ("", config)}


def main() -> None:
    """Measure each file and print the table."""
    folder = Path(tempfile.mkdtemp(prefix="bench-reading-"))
    try:
        files = _files(folder)
        config = files.pop("config")[1]
        lines = [
            (
                f"Peak memory of `sangkien import` (machine: {platform.node()}, {os.cpu_count()} cores, "
                f"Python {platform.python_version()})"
            ),
            f"{'file':<44}{'size MB':>9}{'exit':>6}{'peak MiB':>10}{'vs baseline':>13}",
        ]
        baseline = 0
        for name, (kind, path) in files.items():
            data = folder / name.replace(" ", "-").replace(",", "")
            opened = _peak(data, "cycle", "open", "--config", str(config))
            assert opened[1] == 0, f"could not open the cycle for {name}"  # noqa: S101 - bench setup
            peak, code = _peak(data, "import", kind, str(path), "--cycle", "2025", "--today", "2025-12-31")
            baseline = baseline or peak
            size = path.stat().st_size / 1_048_576
            lines.append(f"{name:<44}{size:>9.1f}{code:>6}{peak:>10}{peak / baseline:>12.2f}x")
            shutil.rmtree(data, ignore_errors=True)
        sys.stdout.write("\n".join(lines) + "\n")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
