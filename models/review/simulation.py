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
from models.review.sheets import REVIEW_COLUMNS
from models.review.tally import assignments


def council_sheets(session: Session, cycle: Cycle, path: Path, seed: int = 7) -> Path:
    """A plausible set of score sheets from every member for every initiative they may score.

    Most initiatives are liked by most members; a few are not (novelty 0 or a low total), so a
    replayed year has both outcomes. The same seed writes the same file.
    """
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    members = {
        m.id: m.name for m in session.scalars(select(CouncilMember).where(CouncilMember.cycle_id == cycle.id))
    }
    rows: list[list[object]] = []
    for initiative_id, member_ids in sorted(assignments(session, cycle).items()):
        strong = rng.random() < 0.75
        for member_id in member_ids:
            if strong:
                scores = (rng.randint(15, 30), rng.randint(20, 35), rng.randint(20, 35))
            else:
                scores = (rng.choice((0, 5, 10)), rng.randint(5, 20), rng.randint(5, 20))
            approve = sum(scores) >= 50 and scores[0] > 0 and rng.random() < 0.95
            comment = "" if approve else "Tính mới chưa rõ, hiệu quả chưa có số liệu chứng minh."
            rows.append([initiative_id, members[member_id], *scores, "có" if approve else "không", comment])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(REVIEW_COLUMNS))
        writer.writerows(rows)
    return path
