"""``sangkien inbox``: the authority's mailbox from the terminal (collect, list, original).

``collect`` does what the ``collect-replies`` flow does, without Prefect: it queues the answers,
which ``sangkien notices deliver`` then sends (as after ``sangkien import``). A mail server that
does not answer exits 1; a refused login or a missing setting exits 2 with what to fix.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from deployments.cli_common import Authority, OutputFormat, Year, actor, as_date, database, engine_for_command
from models.cycle import find_cycle, latest_cycle
from models.errors import PermanentFault, TransientFault
from models.inbox import OUTCOME_LABELS, InboxMessage
from models.settings import load_settings
from notifications.steps import StepContext, collect_step

inbox_app = typer.Typer(help="Hộp thư của cơ quan: tiếp nhận hồ sơ các đơn vị gửi qua thư điện tử.")


@inbox_app.command("collect")
def collect(
    year: Annotated[
        int | None, typer.Option("--cycle", help="Năm của chu kỳ (mặc định: chu kỳ mới nhất).")
    ] = None,
    authority: Authority = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Nhận các thư đến hết ngày này.")] = None,
) -> None:
    """Đọc hộp thư: tiếp nhận tệp hồ sơ đơn vị gửi lại, xếp thư trả lời vào hàng đợi."""
    settings = load_settings()
    with database() as session:
        cycle = find_cycle(session, year, authority) if year else latest_cycle(session, authority)
        cycle_id, cycle_year, day = cycle.id, cycle.year, as_date(as_of, "--as-of", cycle.timezone)
    with engine_for_command() as engine:
        try:
            collected = collect_step(engine, cycle_id, day, StepContext(actor("inbox collect"), settings))
        except TransientFault as fault:
            typer.echo(f"{fault}; hãy chạy lại sau", err=True)
            raise typer.Exit(1) from None
        except PermanentFault as fault:
            typer.echo(str(fault), err=True)
            raise typer.Exit(2) from None
    if collected.busy:
        typer.echo("Một lượt đọc hộp thư khác đang chạy; lượt này không làm gì.")
        return
    for line in collected.lines:
        label = OUTCOME_LABELS.get(line.outcome, line.outcome)
        note = f" — {line.note}" if line.note and line.outcome not in ("stored",) else ""
        typer.echo(f"[{line.ledger_id}] {line.received} {line.sender} {line.unit}: {label}{note}")
    counts = ", ".join(
        f"{OUTCOME_LABELS.get(k, k).lower()} {n}" for k, n in sorted(collected.outcomes.items())
    )
    typer.echo(
        f"Hộp thư chu kỳ {cycle_year}: {len(collected.lines)} thư mới"
        + (f" ({counts})" if counts else "")
        + f"; {collected.stored} dòng hồ sơ đã lưu; {collected.notices} thư trả lời vào hàng đợi"
        + f"; {collected.moved} thư đã chuyển thư mục"
        + (f"; {collected.later} thư nhận sau ngày {day:%d/%m/%Y} để lượt sau." if collected.later else ".")
    )
    if collected.notices:
        typer.echo("Gửi thư trả lời bằng: sangkien notices deliver")


@inbox_app.command("list")
def list_messages(
    year: Year,
    authority: Authority = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Các thư đã nhận qua hộp thư: từ ai, lúc nào, kết quả, tệp kèm theo và mã SHA-256."""
    with database() as session:
        cycle = find_cycle(session, year, authority)
        rows = session.scalars(
            select(InboxMessage).where(InboxMessage.cycle_id == cycle.id).order_by(InboxMessage.id)
        ).all()
        records: list[dict[str, Any]] = [
            {
                "id": m.id,
                "received_at": m.received_at.isoformat(),
                "sender": m.sender,
                "subject": m.subject,
                "message_id": m.message_id,
                "outcome": m.outcome,
                "state": m.state,
                "folder": m.folder,
                "notices": m.notices,
                "sha256": m.sha256,
                "note": m.note,
                "files": [
                    {"filename": f.filename, "kind": f.kind, "unit_code": f.unit_code, "outcome": f.outcome}
                    | {"sha256": f.sha256, "stored_ids": f.stored_ids, "errors": f.errors}
                    for f in m.files
                ],
            }
            for m in rows
        ]
    if output is OutputFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Thư nhận qua hộp thư, chu kỳ {year}")
    for column in ("Số", "Nhận lúc", "Người gửi", "Kết quả", "Tệp"):
        table.add_column(column)
    for r in records:
        files = ", ".join(f"{f['filename']} ({f['outcome']})" for f in r["files"])
        outcome = OUTCOME_LABELS.get(str(r["outcome"]), str(r["outcome"]))
        table.add_row(str(r["id"]), str(r["received_at"])[:16], str(r["sender"] or ""), outcome, files)
    Console(width=max(160, Console().width)).print(table)


@inbox_app.command("original")
def original(
    message: Annotated[int, typer.Argument(help="Số của thư (cột Số của sangkien inbox list).")],
    out: Annotated[Path, typer.Option("--out", help="Tệp .eml để ghi thư gốc.")],
) -> None:
    """Ghi thư gốc đúng như đã nhận (tệp .eml) để đối chiếu; in mã SHA-256 của thư."""
    with database() as session:
        row = session.get(InboxMessage, message)
        if row is None:
            typer.echo(f"không có thư số {message}; xem danh sách bằng sangkien inbox list", err=True)
            raise typer.Exit(2)
        raw, digest = row.raw, row.sha256
    if raw is None:
        typer.echo(f"thư số {message} quá lớn nên chỉ lưu phần tiêu đề, không lưu thư gốc", err=True)
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(raw)
    typer.echo(f"Đã ghi thư số {message} vào {out} (SHA-256 {digest})")
