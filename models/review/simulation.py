"""A simulated council for a replayed year: score sheets every member would return.

Only the replay (``annual-cycle``, the demo, the benchmark) uses it; a real council's sheets come
from its members.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle
from models.intake.formats import MAX_ROWS
from models.review.sheets import REVIEW_COLUMNS
from models.review.tally import assignments


def council_sheets(session: Session, cycle: Cycle, path: Path, seed: int = 7) -> list[Path]:
    """A plausible set of score sheets from every member for every initiative they may score, as
    the members return them: a file per member (``path`` with the member's number), cut where a
    file would pass the import's row limit (a 10,000-unit council scores some 150,000 sheets).

    Most initiatives are liked by most members; a few are not (novelty 0 or a low total), so a
    replayed year has both outcomes. The same seed writes the same files.
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    members = {
        m.id: m.name for m in session.scalars(select(CouncilMember).where(CouncilMember.cycle_id == cycle.id))
    }
    rows: dict[int, list[list[object]]] = {member_id: [] for member_id in sorted(members)}
    for initiative_id, member_ids in sorted(assignments(session, cycle).items()):
        strong = rng.random() < 0.75
        for member_id in member_ids:
            if strong:
                scores = (rng.randint(15, 30), rng.randint(20, 35), rng.randint(20, 35))
            else:
                scores = (rng.choice((0, 5, 10)), rng.randint(5, 20), rng.randint(5, 20))
            approve = sum(scores) >= 50 and scores[0] > 0 and rng.random() < 0.95
            comment = "" if approve else "Tính mới chưa rõ, hiệu quả chưa có số liệu chứng minh."
            row: list[object] = [
                initiative_id,
                members[member_id],
                *scores,
                "có" if approve else "không",
                comment,
            ]
            rows[member_id].append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for number, member_rows in enumerate(rows.values(), start=1):
        for start in range(0, len(member_rows), MAX_ROWS):
            part = len(files) + 1
            target = path.with_name(f"{path.stem}-{number:02d}-{part:02d}{path.suffix}")
            with target.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(list(REVIEW_COLUMNS))
                writer.writerows(member_rows[start : start + MAX_ROWS])
            files.append(target)
    return files
