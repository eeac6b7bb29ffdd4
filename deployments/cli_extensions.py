"""``sangkien extension`` (request, decide, list, import): requests for more time from the terminal.

Each command queues the unit's mail (the receipt of a request, the decision) in the outbox;
``sangkien notices deliver`` sends it. A wrong value prints one line naming its option and the
fix, and exits 2; nothing is stored then.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from deployments.cli_common import Authority, OutputFormat, Year, actor, database, fail, on_cycle
from deployments.cli_output import echo_lines
from models.cycle import ExtensionRequest, find_cycle
from models.errors import ImportRejected
from models.intake import OBLIGATIONS
from models.tracking import DecisionIn, ExtensionIn, list_requests, parse_one, read_requests
from notifications.steps import Extended, StepContext, decide_step, request_step

extension_app = typer.Typer(help="Đơn xin gia hạn của các đơn vị.", no_args_is_help=True)
Today = Annotated[str | None, typer.Option("--today", help="Ngày nhận hoặc quyết định (mặc định: hôm nay).")]
STATUS_LABELS = {"pending": "chờ quyết định", "approved": "đồng ý", "refused": "không đồng ý"}
# The option an officer typed, for each field a message names.
OPTIONS = {
    "unit_code": "--unit",
    "obligation": "--obligation",
    "requested_until": "--until",
    "decided_until": "--until",
    "reason": "--reason",
    "requested_on": "--today",
    "request_id": "--id",
    "approve": "--approve/--refuse",
}


@contextmanager
def _options_named() -> Iterator[None]:
    """Refusals of one command-line request name the option, not a file row."""
    try:
        yield
    except ImportRejected as exc:
        lines = [f"{OPTIONS.get(e.column, e.column)}: {e.message}" for e in exc.errors]
        raise fail("\n".join(lines)) from None


def _received(made: Extended) -> list[str]:
    lines = [f"Đã nhận đơn xin gia hạn số {request_id}." for request_id in made.new]
    lines += [f"Đơn xin gia hạn số {request_id} đã có, giữ nguyên." for request_id in made.again]
    return [*lines, f"Thư gửi đơn vị: {made.notices} thư mới vào hàng đợi."]


@extension_app.command("request")
def request_command(
    year: Year,
    unit: Annotated[str, typer.Option("--unit", help="Mã đơn vị.")],
    obligation: Annotated[str, typer.Option("--obligation", help="propose, report hoặc replication.")],
    until: Annotated[str, typer.Option("--until", help="Xin gia hạn đến ngày (YYYY-MM-DD hoặc DD/MM/YYYY).")],
    reason: Annotated[str, typer.Option("--reason", help="Lý do xin gia hạn.")],
    authority: Authority = None,
    today: Today = None,
) -> None:
    """Nhận một đơn xin gia hạn và xếp thư xác nhận vào hàng đợi."""
    fields = {"unit_code": unit, "obligation": obligation, "requested_until": until, "reason": reason}
    with on_cycle(year, authority, today, "--today") as (session, cycle, day), _options_named():
        item = parse_one(ExtensionIn, fields, "--")
        told = _received(
            request_step(session, cycle, [(1, item)], "--", day, StepContext(actor("extension request")))
        )
    echo_lines(told)


@extension_app.command("decide")
def decide_command(
    year: Year,
    request_id: Annotated[int, typer.Option("--id", help="Số đơn (xem: sangkien extension list).")],
    approve: Annotated[bool, typer.Option("--approve/--refuse", help="Đồng ý hoặc không đồng ý.")],
    until: Annotated[str, typer.Option("--until", help="Gia hạn đến ngày (mặc định: ngày đơn xin).")] = "",
    reason: Annotated[str, typer.Option("--reason", help="Lý do (bắt buộc khi không đồng ý).")] = "",
    authority: Authority = None,
    today: Today = None,
) -> None:
    """Quyết định một đơn xin gia hạn và xếp thư báo quyết định vào hàng đợi."""
    fields = {
        "request_id": str(request_id),
        "approve": str(approve),
        "decided_until": until,
        "reason": reason,
    }
    with on_cycle(year, authority, today, "--today") as (session, cycle, day), _options_named():
        ctx = StepContext(actor("extension decide"))
        made = decide_step(session, cycle, parse_one(DecisionIn, fields, "--"), day, ctx)
        decided = session.get_one(ExtensionRequest, made.again[0])
        word = STATUS_LABELS[decided.status]
        until_text = f" đến ngày {decided.decided_until:%d/%m/%Y}" if decided.decided_until else ""
        told = [
            f"Đơn số {decided.id}: {word}{until_text}{'' if made.changed else ' (đã quyết định trước đó)'}.",
            f"Thư gửi đơn vị: {made.notices} thư mới vào hàng đợi.",
        ]
    echo_lines(told)


@extension_app.command("import")
def import_command(
    year: Year,
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx, .csv (UTF-8) hoặc .json các đơn xin gia hạn.")],
    authority: Authority = None,
    today: Today = None,
) -> None:
    """Nhập một tệp đơn xin gia hạn: tất cả hợp lệ thì lưu hết, có một dòng sai thì không lưu gì."""
    with on_cycle(year, authority, today, "--today") as (session, cycle, day):
        ctx = StepContext(actor(f"extension import {file.name}"))
        told = _received(request_step(session, cycle, read_requests(file), file.name, day, ctx))
    echo_lines(told)


@extension_app.command("list")
def list_command(
    year: Year,
    authority: Authority = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Danh sách đơn xin gia hạn và quyết định."""
    with database() as session:
        records = list_requests(session, find_cycle(session, year, authority))
    if output is OutputFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Đơn xin gia hạn chu kỳ {year}")
    for column in ("Số", "Đơn vị", "Nội dung", "Xin đến", "Lý do", "Quyết định", "Đến ngày"):
        table.add_column(column)
    for r in records:
        table.add_row(
            str(r["id"]),
            f"{r['unit_code']} {r['unit_name']}",
            OBLIGATIONS[str(r["obligation"])].labels.table,
            str(r["requested_until"]),
            str(r["reason"]),
            STATUS_LABELS[str(r["status"])],
            str(r["decided_until"] or ""),
        )
    Console(width=150).print(table)
