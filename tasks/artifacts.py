"""Table artifacts a person can read in the Prefect UI, at any scale.

A province has thousands of units and tens of thousands of initiatives. Nobody reads such a table
in a browser, and sending it on every sweep made the server store megabytes per run (its event
for the artifact was refused as too large). So a table artifact shows at most ``ARTIFACT_ROWS``
rows, the ones that need attention first, and says how to get the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from prefect.artifacts import create_table_artifact

ARTIFACT_ROWS = 500


def table_artifact(key: str, rows: Sequence[dict[str, Any]], description: str, whole: str) -> None:
    """Create the table artifact ``key`` of the first ``ARTIFACT_ROWS`` of ``rows``.

    ``whole`` is the command that exports the complete table, named when rows were left out.
    """
    shown = list(rows[:ARTIFACT_ROWS])
    if len(rows) > len(shown):
        counts = f"Hiển thị {_count(len(shown))} trên {_count(len(rows))} dòng"
        description += f"\n\n{counts}. Bảng đầy đủ: `{whole}`"
    create_table_artifact(key=key, table=shown, description=description)


def _count(number: int) -> str:
    """A count as Vietnamese writes it: 10.000."""
    return f"{number:,}".replace(",", ".")
