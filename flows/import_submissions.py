"""Flow ``import-submissions``: an operator imports a whole file (all or nothing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import ImportKindName
from tasks.cycle_tasks import compliance_task, find_cycle_task
from tasks.intake_tasks import IntakeSummary, import_file_task, import_upload_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="import-submissions",
    description="Nhập cả tệp hồ sơ (xlsx, csv, json): đúng hết thì lưu, sai một dòng thì không lưu.",
    flow_run_name=run_name("nhap-tep", "cycle", "kind"),
)
@told(lambda r: r.message)
def import_submissions(
    cycle: Annotated[int, Field(ge=2000, le=2100, description="Năm của chu kỳ")],
    path: Annotated[str, Field(description="Đường dẫn tệp trong thư mục nhận tệp")] = "",
    kind: Annotated[ImportKindName, Field(description="Loại dữ liệu")] = "initiatives",
    as_of: Annotated[date | None, Field(description="Ngày nhận (mặc định: hôm nay)")] = None,
    replay: Annotated[bool, Field(description="Chỉ nhận các dòng có ngày gửi đến ngày nhận")] = False,
    authority: Annotated[str | None, Field(description="Mã cơ quan (khi một CSDL có nhiều cơ quan)")] = None,
    upload_id: Annotated[int | None, Field(description="Số tệp tải lên qua trang nhập tệp")] = None,
) -> IntakeSummary:
    """Import the file with one receipt per unit, deliver; show compliance after it."""
    ref = find_cycle_task(cycle, authority)
    day = as_of or today(ref.timezone)
    actor = run_actor("import-submissions")
    if upload_id is not None:
        result = import_upload_task(ref.id, upload_id, kind, day, actor)
    else:
        result = import_file_task(ref.id, path, kind, day, actor, replay, confine=True)
    if result.receipts:
        deliver_task(ref.id)
    compliance_task(ref.id, day)
    return result
