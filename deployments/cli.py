"""The ``sangkien`` command line: database, cycle, imports, status and exports.

Messages for officers are Vietnamese. A user's mistake prints one line per problem on stderr and
exits 2; nothing prints a traceback for it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from deployments.cli_common import (
    Authority,
    FileFormat,
    OutputFormat,
    Year,
    actor,
    as_date,
    database,
    fail,
    sender_domain,
)
from deployments.cli_documents import documents_app, export_scores
from deployments.cli_extensions import extension_app
from deployments.cli_notices import deliver_to_demo_sink, notices_app, smtp_sink
from deployments.cli_output import print_compliance, print_result
from deployments.cli_stack import BUNDLED, demo_command, serve_command, up_command, yaml_command
from models.cycle.config import load_cycle_config
from models.cycle.cycles import find_cycle
from models.cycle.tables import Cycle
from models.db.engine import make_engine
from models.db.schema import upgrade
from models.imports import import_file, import_kinds, open_cycle_from_file
from models.reporting.exports import (
    compliance_records,
    compliance_table,
    initiative_records,
    initiative_table,
)
from models.settings import load_settings
from models.tracking.compliance import compute_compliance
from notifications.mail.outbox import queue_notices
from notifications.notices.drafting import call_for_proposals, receipts
from notifications.notices.reports import notice_records, notice_table
from notifications.sheets.tables import write_table

app = typer.Typer(
    help="sangkien: chu kỳ sáng kiến cải cách hành chính hằng năm.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
cycle_app = typer.Typer(help="Chu kỳ sáng kiến.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(cycle_app, name="cycle")
app.add_typer(notices_app, name="notices")
app.add_typer(documents_app, name="documents")
app.add_typer(extension_app, name="extension")
app.command("smtp-sink")(smtp_sink)


class ExportKind(StrEnum):
    compliance = "compliance"
    initiatives = "initiatives"
    notices = "notices"
    scores = "scores"


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất."""
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        raise fail(f"không kết nối được cơ sở dữ liệu ({exc.orig})", 1) from None
    finally:
        engine.dispose()
    typer.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất: {engine.url.render_as_string()}")


def _open(session: Session, config: Path, who: str) -> Cycle:
    """Open the cycle of ``config``, load its roster, queue the call for proposals."""
    cycle, created, result = open_cycle_from_file(session, config, actor=who)
    verb = "Đã mở" if created else "Đã cập nhật"
    typer.echo(f"{verb} chu kỳ {cycle.year}: {cycle.name} ({cycle.authority.name}).")
    print_result(result)
    queued = queue_notices(session, call_for_proposals(session, cycle), sender_domain(load_settings()))
    typer.echo(f"Thư đề nghị đề xuất sáng kiến: {queued} thư mới vào hàng đợi.")
    return cycle


def _import(session: Session, cycle: Cycle, path: Path, kind: str, day: date, who: str) -> None:
    """Import one file and queue the receipts of what it stored."""
    result = import_file(session, cycle, path, kind, today=day, actor=who)
    print_result(result)
    drafts = receipts(session, cycle, kind, result.stored_ids)
    if drafts:
        queued = queue_notices(session, drafts, sender_domain(load_settings()))
        typer.echo(f"Thư xác nhận đã nhận: {queued} thư mới vào hàng đợi.")


@cycle_app.command("open")
def cycle_open(config: Annotated[Path, typer.Option("--config", help="Tệp cấu hình chu kỳ (TOML).")]) -> None:
    """Mở chu kỳ từ tệp cấu hình, nạp danh sách đơn vị và xếp thư đề nghị vào hàng đợi."""
    with database() as session:
        _open(session, config, actor(f"cycle open {config.name}"))


@app.command("import")
def import_command(
    kind: Annotated[str, typer.Argument(help="Loại dữ liệu: " + ", ".join(import_kinds()) + ".")],
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx, .csv (UTF-8) hoặc .json.")],
    year: Year,
    authority: Authority = None,
    today: Annotated[
        str | None, typer.Option(help="Ngày nhận (mặc định: hôm nay theo múi giờ của chu kỳ).")
    ] = None,
) -> None:
    """Nhập một tệp: tất cả các dòng hợp lệ thì lưu hết, có một dòng sai thì không lưu gì."""
    with database() as session:
        cycle = find_cycle(session, year, authority)
        received = as_date(today, "--today", cycle.timezone)
        _import(session, cycle, file, kind, received, actor(f"import {kind} {file.name}"))


@app.command("status")
def status(
    year: Year,
    authority: Authority = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày xem tình trạng, YYYY-MM-DD.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Tình trạng thực hiện của từng đơn vị tại một ngày."""
    with database() as session:
        cycle = find_cycle(session, year, authority)
        day = as_date(as_of, "--as-of", cycle.timezone)
        rows = compute_compliance(session, cycle, day)
        if output is OutputFormat.json:
            typer.echo(json.dumps(compliance_records(rows), ensure_ascii=False, indent=2))
        else:
            print_compliance(cycle, day, rows)


@app.command("export")
def export(
    kind: Annotated[ExportKind, typer.Argument(help="Dữ liệu xuất.")],
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="Tệp kết quả.")],
    output: Annotated[FileFormat, typer.Option("--format")] = FileFormat.xlsx,
    authority: Authority = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày xem tình trạng (compliance).")] = None,
) -> None:
    """Xuất tình trạng thực hiện, sáng kiến, thư thông báo hoặc điểm (kèm lý do) ra JSON hoặc Excel."""
    if kind is ExportKind.scores:
        export_scores(year, out, output, authority)
        return
    with database() as session:
        cycle = find_cycle(session, year, authority)
        if kind is ExportKind.compliance:
            rows = compute_compliance(session, cycle, as_date(as_of, "--as-of", cycle.timezone))
            records, (header, body) = compliance_records(rows), compliance_table(rows)
            title = "Tình trạng thực hiện"
        elif kind is ExportKind.notices:
            records = notice_records(session, cycle.id)
            header, body = notice_table(records)
            title = "Thư thông báo"
        else:
            records = initiative_records(session, cycle)
            header, body = initiative_table(records)
            title = "Sáng kiến"
    try:
        if output is FileFormat.json:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            write_table(out, title, header, body)
    except OSError as exc:
        raise fail(f"{out}: không ghi được tệp ({exc.strerror})") from None
    typer.echo(f"Đã xuất {len(records)} dòng vào {out}")


app.command("serve")(serve_command)
deployments_app = typer.Typer(help="Định nghĩa triển khai Prefect.", no_args_is_help=True)
deployments_app.command("yaml")(yaml_command)
app.add_typer(deployments_app, name="deployments")
app.command("up")(up_command)
app.command("demo")(demo_command)


@app.command("sample")
def sample(
    config: Annotated[Path, typer.Option(help="Tệp cấu hình chu kỳ.")] = BUNDLED,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ngày xem tình trạng (mặc định: 30 ngày sau hạn cuối).")
    ] = None,
) -> None:
    """Không cần Prefect: mở chu kỳ mẫu, nhập hồ sơ mẫu, gửi thư qua hộp thư thử, in tình trạng."""
    with database() as session:
        cycle = _open(session, config, "cli:sample")
        folder = load_cycle_config(config).roster.parent
        for kind in ("initiatives", "reports", "replication"):
            path = folder / f"{kind}.csv"
            if path.exists():
                _import(session, cycle, path, kind, as_date(None, "", cycle.timezone), "cli:sample")
        last = cycle.configuration.deadlines.last
        day = as_date(as_of, "--as-of", cycle.timezone) if as_of else last + timedelta(days=30)
        print_compliance(cycle, day, compute_compliance(session, cycle, day))
        year = cycle.year
    deliver_to_demo_sink(year)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
