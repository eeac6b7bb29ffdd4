"""Task of the mailbox: one collector run, with a table artifact of every message it met."""

from __future__ import annotations

from datetime import date
from typing import Any

from prefect.logging import get_run_logger
from pydantic import BaseModel, ConfigDict

from models.inbox import OUTCOME_LABELS
from notifications.inbox import Collected
from notifications.inbox import Line as InboxLine
from notifications.steps import collect_step
from tasks.artifacts import table_artifact
from tasks.resources import engine, retried, step_context

ATTENTION = ("wrong_sender", "failed", "refused", "too_large", "partial")


class CollectSummary(BaseModel):
    """What a collector run did (counts; the messages are in the artifact and the ledger)."""

    model_config = ConfigDict(frozen=True)

    busy: bool
    in_folder: int
    later: int
    outcomes: dict[str, int]
    stored: int
    notices: int
    moved: int

    @classmethod
    def of(cls, collected: Collected) -> CollectSummary:
        """The counts of a run."""
        return cls(
            busy=collected.busy,
            in_folder=collected.in_folder,
            later=collected.later,
            outcomes=collected.outcomes,
            stored=collected.stored,
            notices=collected.notices,
            moved=collected.moved,
        )

    @property
    def message(self) -> str:
        """The run in the logs: how many messages, stored rows and answers."""
        if self.busy:
            return "Một lần đọc hộp thư khác đang chạy; lần này không đọc."
        counts = ", ".join(f"{OUTCOME_LABELS.get(k, k)}: {n}" for k, n in sorted(self.outcomes.items()))
        return (
            f"Hộp thư: {self.in_folder} thư ({counts or 'không có thư mới'}); "
            f"{self.stored} dòng đã lưu, {self.notices} thư trả lời."
        )


def _inbox_artifact(year: int, collected: Collected) -> None:
    """Every message of the run, those an officer must look at first."""
    lines = sorted(collected.lines, key=lambda line: (line.outcome not in ATTENTION, line.ledger_id))

    def row(line: InboxLine) -> dict[str, Any]:
        return {
            "Số": line.ledger_id,
            "Nhận lúc": line.received,
            "Người gửi": line.sender,
            "Đơn vị": line.unit,
            "Tiêu đề": line.subject,
            "Kết quả": OUTCOME_LABELS.get(line.outcome, line.outcome),
            "Dòng đã lưu": line.stored,
            "Thư trả lời": line.notices,
            "Ghi chú": line.note,
        }

    counts = ", ".join(f"{OUTCOME_LABELS.get(k, k)}: {n}" for k, n in sorted(collected.outcomes.items()))
    description = f"Thư nhận qua hộp thư, chu kỳ {year}: {len(lines)} thư ({counts or 'không có thư mới'})."
    table_artifact(f"inbox-{year}", lines, row, description, f"sangkien inbox list --cycle {year}")


@retried("collect-replies")
def collect_task(cycle_id: int, year: int, as_of: date, actor: str) -> CollectSummary:
    """Read the mailbox once: take in and answer each new message; the run's messages as an artifact."""
    collected = collect_step(engine(), cycle_id, as_of, step_context(actor))
    if not collected.busy:
        _inbox_artifact(year, collected)
    summary = CollectSummary.of(collected)
    get_run_logger().info(summary.message)
    return summary
