"""Tasks of the outbox: the deadline sweep's notices, and delivery with a progress artifact."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date

from prefect.artifacts import acreate_progress_artifact, aupdate_progress_artifact
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from models.cycle.config import CycleConfig
from models.cycle.cycles import cycle_units
from models.cycle.tables import Cycle
from models.errors import TransientFault
from models.settings import load_settings
from models.tracking.compliance import compute_compliance
from models.tracking.sweep import SweepNotice, plan_sweep
from notifications.documents.render import Enclosure, escalation_enclosure
from notifications.mail.delivery import deliver_notices
from notifications.mail.outbox import NoticeDraft, queue_notices, unqueued
from notifications.notices.sweep import sweep_drafts
from tasks.cycle_tasks import sender_domain
from tasks.outcome_tasks import document_artifacts, out_folder
from tasks.resources import engine, retried, unit_of_work


class SweepSummary(BaseModel):
    """What a sweep planned and newly queued, per notice kind."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    planned: dict[str, int]
    queued: int
    letter: str | None = None  # the escalation letter sent with the day's escalations


class DeliverySummary(BaseModel):
    """What a delivery run did."""

    model_config = ConfigDict(frozen=True)

    sent: int
    failed: int
    released: int
    stopped_early: bool


@retried("queue-sweep-notices")
def sweep_task(cycle_id: int, as_of: date) -> SweepSummary:
    """Compliance at ``as_of``, the sweep's plan, and its notices queued (none twice); a day with
    escalations also writes the escalation letter, which goes with them."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        plan = plan_sweep(
            compute_compliance(session, cycle, as_of), CycleConfig.model_validate(cycle.config), as_of
        )
        drafts = sweep_drafts(session, cycle, plan, as_of)
        letter = _letter_for_new_escalations(session, cycle, plan, drafts, as_of)
        if letter is not None:
            drafts = sweep_drafts(session, cycle, plan, as_of, letter)
        queued = queue_notices(session, drafts, sender_domain())
    if letter is not None:
        document_artifacts(
            f"escalation-{cycle.year}", letter.files, f"Công văn đôn đốc {letter.label} (gửi kèm thư đôn đốc)"
        )
    return SweepSummary(
        as_of=as_of,
        planned=dict(Counter(p.kind for p in plan)),
        queued=queued,
        letter=str(letter.files.docx) if letter else None,
    )


def _letter_for_new_escalations(
    session: Session, cycle: Cycle, plan: list[SweepNotice], drafts: list[NoticeDraft], as_of: date
) -> Enclosure | None:
    """The escalation letter to the units escalated for the first time today, if any: a later
    sweep (or the same one again) neither writes another letter nor takes another number."""
    fresh = {d.unit_id for d in unqueued(session, [d for d in drafts if d.kind == "escalation"])}
    if not fresh:
        return None
    ids = {code: unit.id for code, unit in cycle_units(session, cycle.id).items()}
    codes = {p.unit_code for p in plan if p.kind == "escalation" and ids.get(p.unit_code) in fresh}
    return escalation_enclosure(session, cycle, as_of, out_folder(cycle.year), codes)


@retried("deliver-notices")
def deliver_task(cycle_id: int | None = None) -> DeliverySummary:
    """Send everything queued through the configured server; progress shows in the UI."""
    if not load_settings().deliver_notices:
        return DeliverySummary(sent=0, failed=0, released=0, stopped_early=False)
    return asyncio.run(_deliver_with_progress(cycle_id))


async def _deliver_with_progress(cycle_id: int | None) -> DeliverySummary:
    artifact = await acreate_progress_artifact(0.0, description="Gửi thư thông báo")
    updates: list[asyncio.Task[object]] = []

    def progress(done: int, total: int) -> None:
        updates.append(
            asyncio.ensure_future(aupdate_progress_artifact(artifact, 100.0 * done / max(total, 1)))
        )

    smtp = load_settings().smtp
    report = await deliver_notices(engine(), smtp, cycle_id=cycle_id, progress=progress)
    await asyncio.gather(*updates)
    await aupdate_progress_artifact(artifact, 100.0)
    if report.stopped_early:  # the server is down: let Prefect retry the task later
        raise TransientFault(f"mail server {smtp.host or '127.0.0.1'}:{smtp.port} did not accept notices")
    return DeliverySummary(
        sent=report.sent, failed=report.failed, released=report.released, stopped_early=report.stopped_early
    )
