"""``status --format json`` and ``export compliance --format json`` keep their shape and content.

The snapshots under ``snapshots/`` were taken from the CLI before obligations became a registry
(issue 10): the bundled 2024 year with every file imported and one approved extension, at dates
across the year. Both commands must give byte for byte the same JSON (one key per obligation code
at the top level of each unit). Issue 12 corrected four commune codes of the bundled roster to
the national list; the snapshots were retaken then, with the same records under the new codes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import VINH_LINH_DATA
from tests.deployments.conftest import invoke

SNAPSHOTS = Path(__file__).parent / "snapshots"
DAYS = sorted(p.stem.removeprefix("compliance-") for p in SNAPSHOTS.glob("compliance-*.json"))


@pytest.fixture(scope="module")
def year_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled year as an officer would enter it with the CLI."""
    data = tmp_path_factory.mktemp("snapshot-year")
    steps = [
        ["cycle", "open", "--config", str(VINH_LINH_DATA.parent / "vinh-linh-2024.toml")],
        *(
            ["import", kind, str(VINH_LINH_DATA / f"{kind}.csv"), "--cycle", "2024", "--today", "2024-12-31"]
            for kind in ("initiatives", "reports", "replication")
        ),
        [
            *("extension", "request", "--cycle", "2024", "--unit", "19423", "--obligation", "report"),
            *(
                "--until",
                "2024-11-05",
                "--reason",
                "Cán bộ phụ trách nghỉ ốm dài ngày",
                "--today",
                "2024-10-15",
            ),
        ],
        ["extension", "decide", "--cycle", "2024", "--id", "1", "--approve", "--today", "2024-10-16"],
    ]
    for step in steps:
        code, _out, err = invoke(data, *step)
        assert code == 0, err
    return data


def test_the_snapshots_cover_the_year() -> None:
    """Eight days from before the first deadline to the year's end."""
    assert len(DAYS) == 8
    assert DAYS[0] == "2024-06-01"
    assert DAYS[-1] == "2024-12-31"


@pytest.mark.parametrize("day", DAYS)
def test_status_json_is_byte_identical(year_in: Path, day: str) -> None:
    """``status --format json`` prints exactly the snapshot."""
    code, out, err = invoke(year_in, "status", "--cycle", "2024", "--as-of", day, "--format", "json")
    assert code == 0, err
    assert out == (SNAPSHOTS / f"compliance-{day}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("day", DAYS)
def test_export_compliance_json_is_byte_identical(year_in: Path, day: str, tmp_path: Path) -> None:
    """``export compliance --format json`` writes exactly the snapshot."""
    out = tmp_path / "compliance.json"
    args = ["export", "compliance", "--cycle", "2024", "--as-of", day, "--format", "json", "--out", str(out)]
    code, _out, err = invoke(year_in, *args)
    assert code == 0, err
    assert out.read_bytes() == (SNAPSHOTS / f"compliance-{day}.json").read_bytes()
