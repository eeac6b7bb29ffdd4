"""Property: set-based compliance agrees with a plain per-unit reading of the same submissions.

Hypothesis draws a roster and submission dates; the oracle walks each unit by hand. Runs on an
in-memory SQLite database built from the models (the migration tests prove they are the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from models.cycle import CycleConfig, effective_deadlines, load_cycle_config, open_cycle
from models.db import Base, make_engine
from models.intake import InitiativeIn, ReplicationIn, ReportIn, UnitIn, upsert_units
from models.tracking import compute_compliance
from tests.builders import store_initiatives, store_replication, store_reports
from tests.conftest import VINH_LINH

CONFIG: CycleConfig = load_cycle_config(VINH_LINH).model_copy(
    update={"review": load_cycle_config(VINH_LINH).review.model_copy(update={"council": ()})}
)
OPENS = CONFIG.opens_on
# The last day on time of each obligation (31/08/2024 fell in the National Day break: 04/09).
EFFECTIVE = {name: d.effective for name, d in effective_deadlines(CONFIG).items()}
CATALOGUE = [r.code for r in CONFIG.replicated]
# Dates cluster around the deadlines so that ties (sent on the deadline, seen on the day sent) happen.
days = st.sampled_from([CONFIG.deadlines["propose"], CONFIG.deadlines["report"]]).flatmap(
    lambda deadline: st.integers(min_value=-3, max_value=3).map(lambda n: deadline + timedelta(days=n))
)


@dataclass(frozen=True)
class Plan:
    """What one unit sends during the year."""

    kind: str
    proposals: list[date]
    report: date | None
    replicated: dict[str, date]


unit_plan = st.builds(
    Plan,
    kind=st.sampled_from(["agency", "public_service_unit", "commune", "office"]),
    proposals=st.lists(days, max_size=3),
    report=st.none() | days,
    replicated=st.dictionaries(st.sampled_from(CATALOGUE), days, max_size=len(CATALOGUE)),
)


def _oracle(done: date | None, deadline: date, as_of: date) -> tuple[str, int]:
    if done is not None:
        return ("late", (done - deadline).days) if done > deadline else ("on_time", 0)
    return ("overdue", (as_of - deadline).days) if as_of > deadline else ("pending", 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans=st.lists(unit_plan, min_size=1, max_size=6), as_of=days)
def test_compliance_matches_a_per_unit_oracle(plans: list[Plan], as_of: date) -> None:
    """Every unit, every obligation: the same state and days as reading its submissions by hand."""
    engine = make_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        cycle, _ = open_cycle(session, CONFIG, "test")
        units = [(n, UnitIn(code=f"U{n}", name=f"Đơn vị {n}", kind=p.kind)) for n, p in enumerate(plans)]
        upsert_units(session, cycle, units, "units", "test")
        today = OPENS + timedelta(days=400)
        for n, plan in enumerate(plans):
            titles = [f"Sáng kiến {i}" for i in range(len(plan.proposals))]
            store_initiatives(
                session,
                cycle,
                [
                    (
                        i,
                        InitiativeIn(
                            unit_code=f"U{n}",
                            title=t,
                            solution_type="operational",
                            field="procedures",
                            authors="A | CV | 100",
                            solution="x",
                            effects="y",
                            replicable=True,
                            submitted_on=d,
                        ),
                    )
                    for i, (t, d) in enumerate(zip(titles, plan.proposals, strict=True))
                ],
                "f",
                today,
                "test",
            )
            store_reports(
                session,
                cycle,
                [
                    (i, ReportIn(unit_code=f"U{n}", initiative_title="", results=f"r{i}", submitted_on=d))
                    for i, d in enumerate([plan.report] if plan.report else [])
                ],
                "f",
                today,
                "test",
            )
            if plan.kind in ("commune", "office"):
                store_replication(
                    session,
                    cycle,
                    [
                        (
                            i,
                            ReplicationIn(
                                unit_code=f"U{n}",
                                replicated_code=code,
                                how_applied="x",
                                results="y",
                                submitted_on=d,
                            ),
                        )
                        for i, (code, d) in enumerate(plan.replicated.items())
                    ],
                    "f",
                    today,
                    "test",
                )
        rows = {r.unit_code: r for r in compute_compliance(session, cycle, as_of)}
    engine.dispose()
    for n, plan in enumerate(plans):
        row = rows[f"U{n}"]
        proposals = [d for d in plan.proposals if d <= as_of]
        assert (row["propose"].state, row["propose"].days_late) == _oracle(
            min(proposals, default=None), EFFECTIVE["propose"], as_of
        )
        report = plan.report if plan.report and plan.report <= as_of else None
        assert (row["report"].state, row["report"].days_late) == _oracle(report, EFFECTIVE["report"], as_of)
        if plan.kind not in ("commune", "office"):
            assert row["replication"].state == "not_required"
            continue
        sent = [d for d in plan.replicated.values() if d <= as_of]
        done = max(sent) if len(sent) == len(CATALOGUE) else None
        assert (row["replication"].state, row["replication"].days_late) == _oracle(
            done, EFFECTIVE["replication"], as_of
        )
