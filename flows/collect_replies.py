"""Flow ``collect-replies``: the authority's mailbox read on a schedule (working hours) or on
demand; units' replies taken in and answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from prefect import flow
from pydantic import Field

from models.forms import AuthorityCode, Year
from tasks.cycle_tasks import find_cycle_task
from tasks.inbox_tasks import CollectSummary, collect_task
from tasks.notice_tasks import deliver_task
from tasks.resources import run_actor, today
from tasks.runs import run_name, told


@flow(
    name="collect-replies",
    description="Đọc hộp thư của cơ quan: tiếp nhận tệp hồ sơ các đơn vị gửi lại và trả lời từng thư.",
    flow_run_name=run_name("doc-hop-thu", "cycle", "as_of"),
)
@told(lambda r: r.message)
def collect_replies(
    cycle: Year,
    as_of: Annotated[date | None, Field(title="Nhận thư đến ngày", description="Để trống: hôm nay")] = None,
    authority: AuthorityCode = None,
) -> CollectSummary:
    """Take in every new message once, queue its answers and deliver them; the run's messages are
    its artifact."""
    ref = find_cycle_task(cycle, authority)
    collected = collect_task(ref.id, ref.year, as_of or today(ref.timezone), run_actor("collect-replies"))
    if collected.notices:
        deliver_task(ref.id)
    return collected
