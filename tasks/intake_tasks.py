"""Tasks of intake: one form, or a whole file, stored with the receipts for what it stored."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from prefect.logging import get_run_logger
from pydantic import BaseModel, ConfigDict

from models.cycle import Cycle
from models.db import UPLOAD, StoredDocument
from models.errors import InvalidInput
from models.forms import SubmissionForm
from models.imports import confined, import_kind_label
from notifications.steps import Intake, intake_file, intake_rows
from tasks.resources import retried, step_context, unit_of_work


class IntakeSummary(BaseModel):
    """What an intake stored (ids of the new rows) and how many receipts it queued."""

    model_config = ConfigDict(frozen=True)

    kind: str
    stored: int
    updated: int
    unchanged: int
    late: int
    stored_ids: tuple[int, ...]
    receipts: int = 0

    @classmethod
    def of(cls, intake: Intake) -> IntakeSummary:
        """The summary of a step's outcome."""
        result = intake.result
        return cls(
            kind=result.kind,
            stored=result.stored,
            updated=result.updated,
            unchanged=result.unchanged,
            late=result.late,
            stored_ids=result.stored_ids,
            receipts=intake.receipts,
        )

    @property
    def message(self) -> str:
        """What was stored, in the run's logs: 'Hồ sơ đề xuất sáng kiến: 3 dòng mới, ...'."""
        told = (
            f"{import_kind_label(self.kind)}: {self.stored} dòng mới, {self.updated} dòng cập nhật, "
            f"{self.unchanged} dòng không đổi"
        )
        if self.late:
            told += f" ({self.late} dòng gửi sau hạn)"
        return told + f"; {self.receipts} thư xác nhận."

    def told(self) -> IntakeSummary:
        """Log the message at INFO; the summary itself."""
        get_run_logger().info(self.message)
        return self


@retried("store-form")
def store_form_task(cycle_id: int, form: SubmissionForm, today: date, actor: str) -> IntakeSummary:
    """Check and store one submission from a form (the same rules as a file of one row)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        items: list[tuple[int, BaseModel]] = [(1, form.submission())]
        return IntakeSummary.of(
            intake_rows(session, cycle, form.kind, items, "form", today, step_context(actor))
        ).told()


@retried("import-upload")
def import_upload_task(cycle_id: int, upload_id: int, kind: str, today: date, actor: str) -> IntakeSummary:
    """Check and store a file uploaded through the documents service (kept in the database, so any
    worker reads it), named in messages as the officer named it."""
    with unit_of_work() as session:
        upload = session.get(StoredDocument, upload_id)
        if upload is None or upload.kind != UPLOAD or upload.cycle_id != cycle_id:
            raise InvalidInput(f"không có tệp tải lên số {upload_id} của chu kỳ này", field="upload_id")
        cycle = session.get_one(Cycle, cycle_id)
        with tempfile.TemporaryDirectory(prefix="sangkien-upload-") as folder:
            source = Path(folder) / Path(upload.file_name).name
            source.write_bytes(upload.content)
            return IntakeSummary.of(
                intake_file(session, cycle, source, kind, today, step_context(actor))
            ).told()


@retried("import-file")
def import_file_task(
    cycle_id: int,
    path: str,
    kind: str,
    today: date,
    actor: str,
    replay: bool = False,
    confine: bool = False,
    after: date | None = None,
) -> IntakeSummary:
    """Check and store a whole file, all or nothing, and acknowledge what it stored; ``confine``:
    the file must be in the intake folder (a path given through the API)."""
    if not path.strip():
        raise InvalidInput(
            "chưa ghi đường dẫn tệp",
            field="path",
            fix="hãy ghi {field}, hoặc tải tệp lên ở trang Nhập tệp hồ sơ của dịch vụ văn bản",
        )
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        ctx = step_context(actor)
        source = confined(Path(path), ctx.settings.intake_folder) if confine else Path(path)
        return IntakeSummary.of(
            intake_file(session, cycle, source, kind, today, ctx, replay=replay, after=after)
        ).told()
