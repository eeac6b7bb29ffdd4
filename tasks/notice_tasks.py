"""Tasks of the outbox: the day's sweep (with its compliance artifact), and delivery with a
progress artifact."""

from __future__ import annotations

import asyncio
from datetime import date

from prefect.artifacts import acreate_progress_artifact, aupdate_progress_artifact
from prefect.logging import get_run_logger
from pydantic import BaseModel, ConfigDict

from models.cycle import Cycle
from models.errors import TransientFault
from models.reporting import deadline_lines
from models.settings import load_settings
from notifications.mail.delivery import deliver_notices
from notifications.notices.kinds import NOTICES
from notifications.steps import sweep_step
from tasks.artifacts import compliance_artifact, document_artifacts
from tasks.resources import ComplianceSummary, engine, retried, step_context, unit_of_work
from tasks.runs import counted, first_then_count


class SweepSummary(BaseModel):
    """What a sweep planned and newly queued, per notice kind, and who it escalated."""

    model_config = ConfigDict(frozen=True)

    as_of: date
    planned: dict[str, int]
    queued: int
    escalated: tuple[str, ...] = ()  # units escalated for the first time this day (codes)
    letter: str | None = None  # the escalation letter sent with the day's escalations
    compliance: ComplianceSummary  # the day's compliance the sweep acted on
    escalated_names: tuple[str, ...] = ()  # "19363 Hồ Xá", in the order of ``escalated``

    @property
    def message(self) -> str:
        """What the sweep did, as an officer reads it in the run's logs and final state."""
        kinds = "; ".join(
            f"{NOTICES.spec(kind).label.lower()}: {count}" for kind, count in sorted(self.planned.items())
        )
        told = f"Quét hạn ngày {self.as_of:%d/%m/%Y} ({counted(self.compliance.units, 'đơn vị')}): "
        told += f"cần gửi {kinds}" if kinds else "không có thư nào cần gửi"
        told += f"; {counted(self.queued, 'thư')} mới vào hàng gửi"
        if self.escalated:
            told += f"; đôn đốc lần đầu {counted(len(self.escalated), 'đơn vị')}: "
            told += first_then_count(list(self.escalated_names or self.escalated))
        return told + "."


class DeliverySummary(BaseModel):
    """What a delivery run did."""

    model_config = ConfigDict(frozen=True)

    sent: int
    failed: int
    released: int
    stopped_early: bool

    @property
    def message(self) -> str:
        """What the delivery did, in the run's logs."""
        told = f"Đã gửi {counted(self.sent, 'thư')}"
        if self.failed:
            told += f"; {counted(self.failed, 'thư')} bị máy chủ thư từ chối (xem sangkien notices list)"
        return told + "."


@retried("sweep-deadlines")
def sweep_task(cycle_id: int, as_of: date, actor: str) -> SweepSummary:
    """The day's sweep: compliance once, its notices queued once (the escalation letter with the
    day's new escalations); the compliance table goes to an artifact."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        swept = sweep_step(session, cycle, as_of, step_context(actor))
        compliance_artifact(cycle.year, as_of, swept.compliance, deadline_lines(cycle))
        year = cycle.year
        names = {row.unit_code: row.unit_name for row in swept.compliance}
    if swept.letter is not None:
        # In "blank" numbering mode the records clerk gives the letter its number at signing.
        named = swept.letter.label or f"ngày {as_of:%d/%m/%Y} (số do văn thư ghi khi ký ban hành)"
        description = f"Công văn đôn đốc {named}, gửi kèm thư đôn đốc"
        document_artifacts(f"escalation-{year}", swept.letter.files, description, cycle_id, "escalation")
    summary = SweepSummary(
        as_of=as_of,
        planned=swept.planned,
        queued=swept.queued,
        escalated=swept.escalated,
        letter=str(swept.letter.files.docx) if swept.letter else None,
        compliance=ComplianceSummary.of(as_of, swept.compliance),
        escalated_names=tuple(f"{code} {names.get(code, '')}".strip() for code in swept.escalated),
    )
    get_run_logger().info(summary.message)
    return summary


@retried("deliver-notices")
def deliver_task(cycle_id: int | None = None) -> DeliverySummary:
    """Send everything queued through the configured server; progress shows in the UI."""
    if not load_settings().deliver_notices:
        get_run_logger().info("Không gửi thư trong lần chạy này (SANGKIEN_DELIVER_NOTICES=false).")
        return DeliverySummary(sent=0, failed=0, released=0, stopped_early=False)
    delivered = asyncio.run(_deliver_with_progress(cycle_id))
    get_run_logger().info(delivered.message)
    return delivered


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
