"""Flow ``import-submissions``: an operator imports a whole file (all or nothing)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import INITIATIVES_SHOWN, AuthorityCode, ImportKindName, Year
from tasks.cycle_tasks import compliance_task, find_cycle_task
from tasks.intake_tasks import IntakeSummary, import_file_task, import_upload_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="import-submissions",
    description="Nhập cả tệp hồ sơ (xlsx, csv, json): đúng hết thì lưu, sai một dòng thì không lưu.",
    flow_run_name=run_name("nhap-tep", "cycle", "as_of"),
)
@told(lambda r: r.message)
def import_submissions(
    cycle: Year,
    path: Annotated[
        str,
        Field(
            title="Đường dẫn tệp",
            description="Tệp có sẵn trong thư mục nhận tệp của máy chủ (tệp trên máy mình: Nhập tệp hồ sơ)",
        ),
    ] = "",
    kind: Annotated[
        ImportKindName, Field(title="Loại dữ liệu", description="Tệp chứa loại hồ sơ nào")
    ] = INITIATIVES_SHOWN,
    as_of: Annotated[date | None, Field(title="Ngày nhận", description="Để trống: hôm nay")] = None,
    replay: Annotated[
        bool, Field(title="Chạy lại theo ngày", description="Chỉ nhận dòng gửi đến ngày nhận")
    ] = False,
    authority: AuthorityCode = None,
    upload_id: Annotated[
        int | None,
        Field(title="Số tệp tải lên", description="Trang Nhập tệp hồ sơ tự điền"),
    ] = None,
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
