"""``sangkien notices`` (deliver, list) and ``sangkien smtp-sink``: the outbox from the terminal."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from deployments.cli_common import Authority, OutputFormat, Year, database, engine_for_command, fail
from models.cycle import find_cycle
from models.errors import MailSetupFault
from models.settings import SmtpSettings, load_settings
from notifications.mail.delivery import DeliveryReport, deliver_notices
from notifications.mail.sink import start_sink
from notifications.notices.reports import STATE_LABELS, notice_records, notice_table, state_counts

notices_app = typer.Typer(help="Thư thông báo gửi các đơn vị (hàng đợi gửi thư).", no_args_is_help=True)


def _deliver(smtp: SmtpSettings, cycle_id: int | None) -> DeliveryReport:
    try:
        return _deliver_now(smtp, cycle_id)
    except MailSetupFault as fault:
        raise fail(f"Không gửi được thư: {fault}. Các thư vẫn chờ gửi.", 1) from None


def _deliver_now(smtp: SmtpSettings, cycle_id: int | None) -> DeliveryReport:
    with engine_for_command() as engine:
        if not sys.stdout.isatty():
            return asyncio.run(deliver_notices(engine, smtp, cycle_id=cycle_id))
        columns = (TextColumn("Gửi thư"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns) as bar:
            task = bar.add_task("deliver", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return asyncio.run(deliver_notices(engine, smtp, cycle_id=cycle_id, progress=advance))


def _print_report(report: DeliveryReport, smtp: SmtpSettings) -> None:
    typer.echo(
        f"Đã gửi {report.sent} thư; lỗi không gửi được {report.failed}; chờ gửi lại {report.released}."
    )
    if report.stopped_early:
        where = f"{smtp.host or '127.0.0.1'}:{smtp.port}"
        hint = "" if smtp.host else " — hãy chạy 'sangkien smtp-sink' hoặc đặt SANGKIEN_SMTP__HOST"
        typer.echo(f"Máy chủ thư {where} không nhận thư; lần gửi này dừng lại{hint}.", err=True)


@notices_app.command("deliver")
def deliver(
    year: Annotated[int | None, typer.Option("--cycle", help="Chỉ gửi thư của chu kỳ năm này.")] = None,
    authority: Authority = None,
) -> None:
    """Gửi các thư đang chờ qua máy chủ thư đã cấu hình (mặc định: hộp thư thử 127.0.0.1:1025)."""
    cycle_id = None
    if year is not None:
        with database() as session:
            cycle_id = find_cycle(session, year, authority).id
    smtp = load_settings().smtp
    report = _deliver(smtp, cycle_id)
    _print_report(report, smtp)
    if report.stopped_early:
        raise typer.Exit(1)


@notices_app.command("list")
def list_notices(
    year: Year,
    authority: Authority = None,
    state: Annotated[str | None, typer.Option(help="queued, sending, sent hoặc failed.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Danh sách thư của một chu kỳ: đã gửi chưa, lúc nào, nếu lỗi thì vì sao."""
    if state is not None and state not in STATE_LABELS:
        typer.echo(f"--state {state!r} không hợp lệ; hãy chọn: {', '.join(STATE_LABELS)}", err=True)
        raise typer.Exit(2)
    with database() as session:
        records = notice_records(session, find_cycle(session, year, authority).id, state)
    if output is OutputFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    header, body = notice_table(records)
    table = Table(title=f"Thư thông báo chu kỳ {year}")
    for column in header:
        table.add_column(column)
    for row in body:
        table.add_row(*(str(c) for c in row))
    Console(width=max(160, Console().width)).print(table)
    typer.echo(state_counts(records))


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def smtp_sink(
    port: Annotated[int, typer.Option(help="Cổng lắng nghe trên 127.0.0.1.", min=1, max=65535)] = 1025,
    folder: Annotated[Path | None, typer.Option("--dir", help="Thư mục lưu thư (mặc định var/mail).")] = None,
) -> None:
    """Hộp thư thử: máy chủ SMTP trên 127.0.0.1 lưu mỗi thư nhận được thành một tệp .eml."""
    target = folder or load_settings().mail_folder
    try:
        controller = start_sink(target, port=port)
    except (OSError, RuntimeError) as exc:
        typer.echo(f"Không mở được cổng 127.0.0.1:{port} ({exc}); hãy chọn cổng khác bằng --port", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Hộp thư thử đang nhận thư tại 127.0.0.1:{port}, lưu vào {target}. Nhấn Ctrl-C để dừng.")
    signal.signal(signal.SIGTERM, _stop)  # a service manager's stop ends it as cleanly as Ctrl-C
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        typer.echo("Đã dừng hộp thư thử.")
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def deliver_to_demo_sink(year: int) -> None:
    """For the demo: deliver through the configured server, or through a sink started here."""
    settings = load_settings()
    if settings.smtp.host:
        _print_report(_deliver(settings.smtp, None), settings.smtp)
        return
    folder = settings.mail_folder
    port = _free_port()
    controller = start_sink(folder, port=port)
    try:
        smtp = settings.smtp.model_copy(update={"host": "127.0.0.1", "port": port})
        _print_report(_deliver(smtp, None), smtp)
    finally:
        controller.stop()
    with database() as session:
        records = notice_records(session, find_cycle(session, year).id)
    typer.echo(f"Thư chu kỳ {year}: {state_counts(records)}. Các thư đã gửi được lưu tại {folder}/")
