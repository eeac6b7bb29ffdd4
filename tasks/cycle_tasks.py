"""Tasks of the cycle itself: open it, queue the call, compute compliance (with its artifact)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from models.cycle.config import CycleConfig, load_cycle_config
from models.cycle.cycles import find_cycle
from models.cycle.tables import Cycle
from models.imports import open_cycle_from_file
from models.reporting.exports import compliance_table, deadline_lines
from models.settings import load_settings
from models.tracking.compliance import compute_compliance
from models.tracking.sweep import key_days
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import call_for_proposals
from tasks.artifacts import table_artifact
from tasks.resources import retried, unit_of_work

ATTENTION = ("overdue", "late")  # states an officer acts on; their units head the artifact


class CycleRef(BaseModel):
    """A cycle, as flows pass it around."""

    model_config = ConfigDict(frozen=True)

    id: int
    year: int
    name: str
    timezone: str
    units: int = 0
    decision_timeout_seconds: int = 72 * 3600


class ComplianceSummary(BaseModel):
    """Counts per obligation and state at a date."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    units: int
    counts: dict[str, dict[str, int]]


def sender_domain() -> str:
    """The domain of the configured sender, for Message-IDs."""
    return load_settings().smtp.sender.rpartition("@")[2] or "sangkien.example"


def _ref(cycle: Cycle, units: int = 0) -> CycleRef:
    hours = CycleConfig.model_validate(cycle.config).review.decision_timeout_hours
    return CycleRef(
        id=cycle.id,
        year=cycle.year,
        name=cycle.name,
        timezone=cycle.timezone,
        units=units,
        decision_timeout_seconds=int(hours * 3600),
    )


@retried("open-cycle-from-config")
def open_cycle_task(config_path: str, actor: str) -> CycleRef:
    """Load the configuration and roster; upsert the authority, cycle and units."""
    with unit_of_work() as session:
        cycle, _created, result = open_cycle_from_file(session, Path(config_path), actor=actor)
        return _ref(cycle, result.stored + result.updated + result.unchanged)


@retried("find-cycle")
def find_cycle_task(year: int) -> CycleRef:
    """The cycle of a year."""
    with unit_of_work() as session:
        return _ref(find_cycle(session, year))


@retried("queue-call-for-proposals")
def queue_call_task(cycle_id: int) -> int:
    """Queue the call for proposals to every unit (once per unit, ever)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return queue_notices(session, call_for_proposals(session, cycle), sender_domain())


@retried("compute-compliance")
def compliance_task(cycle_id: int, as_of: date) -> ComplianceSummary:
    """Every unit's compliance at ``as_of``; the per-unit table goes to an artifact."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        rows = compute_compliance(session, cycle, as_of)
        header, body = compliance_table(rows)
        deadlines = "; ".join(deadline_lines(cycle))
    attention = [any(s.state in ATTENTION for s in r.obligations.values()) for r in rows]
    table = [dict(zip(header, line, strict=True)) for line in body]
    table_artifact(
        f"compliance-{cycle.year}",
        [line for line, flag in zip(table, attention, strict=True) if flag]
        + [line for line, flag in zip(table, attention, strict=True) if not flag],
        f"Tình trạng thực hiện chu kỳ {cycle.year} tại ngày {as_of:%d/%m/%Y}"
        + (" (đơn vị trễ hạn, quá hạn lên trước)" if any(attention) else "")
        + f". {deadlines}.",
        f"sangkien export compliance --cycle {cycle.year} --as-of {as_of} --out tinh-trang.xlsx",
    )
    codes = list(rows[0].obligations) if rows else []
    counts = {name: dict(Counter(r[name].state for r in rows)) for name in codes}
    return ComplianceSummary(as_of=as_of, units=len(rows), counts=counts)


class ReplayPlan(BaseModel):
    """What a replayed year visits, and where its submissions are."""

    model_config = ConfigDict(frozen=True)

    opens_on: date
    days: tuple[date, ...]
    folder: str
    review_on: date
    decided_on: date


@retried("plan-replay")
def replay_plan_task(config_path: str) -> ReplayPlan:
    """The days a replay of the configured year visits (from the configuration alone)."""
    config = load_cycle_config(Path(config_path))
    last = config.deadlines.last
    return ReplayPlan(
        opens_on=config.opens_on,
        days=tuple(key_days(config)),
        folder=str(config.roster.parent),
        review_on=last + timedelta(days=7),
        decided_on=last + timedelta(days=45),
    )
