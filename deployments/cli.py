"""The ``sangkien`` command line: database, cycle, imports, status and exports.

Messages for officers are Vietnamese. A user's mistake prints one line per problem on stderr and
exits 2; nothing prints a traceback for it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import IntegrityError, OperationalError

from deployments.cli_cluster import deploy_command, worker_command
from deployments.cli_common import (
    Authority,
    FileFormat,
    Force,
    OutputFormat,
    Year,
    actor,
    as_date,
    database,
    fail,
    on_cycle,
    write_export,
)
from deployments.cli_documents import documents_app, export_scores
from deployments.cli_extensions import extension_app
from deployments.cli_inbox import inbox_app
from deployments.cli_notices import deliver_to_demo_sink, notices_app, smtp_sink
from deployments.cli_output import echo_lines, print_compliance, result_line
from deployments.cli_review import review_app
from deployments.cli_stack import (
    BUNDLED,
    bundled_cycle,
    bundled_cycles,
    demo_command,
    serve_command,
    up_command,
    yaml_command,
)
from deployments.document_samples import close_year, render_year
from models.cycle import find_cycle, load_cycle_config
from models.db import is_unique_violation, make_engine, upgrade
from models.imports import import_kinds
from models.intake import SUBMISSIONS
from models.reporting import compliance_records, compliance_table, initiative_records, initiative_table
from models.settings import load_settings
from models.tracking import compute_compliance
from notifications.notices.reports import notice_records, notice_table
from notifications.steps import Intake, Opened, StepContext, intake_file, open_step

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
app.add_typer(review_app, name="review")
app.add_typer(inbox_app, name="inbox")
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


def _opened(opened: Opened) -> list[str]:
    """What the officer is told once the opening is committed."""
    verb = "Đã mở" if opened.created else "Đã cập nhật"
    cycle = opened.cycle
    return [
        f"{verb} chu kỳ {cycle.year}: {cycle.name} ({cycle.authority.name}).",
        result_line(opened.roster),
        f"Thư đề nghị đề xuất sáng kiến: {opened.calls} thư mới vào hàng đợi.",
    ]


def _received(intake: Intake) -> list[str]:
    """What the officer is told once an import is committed."""
    lines = [result_line(intake.result)]
    if intake.result.stored_ids and intake.result.kind in SUBMISSIONS:
        lines.append(f"Thư xác nhận đã nhận: {intake.receipts} thư mới vào hàng đợi.")
    return lines


@cycle_app.command("open")
def cycle_open(config: Annotated[Path, typer.Option("--config", help="Tệp cấu hình chu kỳ (TOML).")]) -> None:
    """Mở chu kỳ từ tệp cấu hình, nạp danh sách đơn vị và xếp thư đề nghị vào hàng đợi."""
    with database() as session:
        told = _opened(open_step(session, config, StepContext(actor(f"cycle open {config.name}"))))
    echo_lines(told)


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
    for attempt in (1, 2):
        try:
            with on_cycle(year, authority, today, "--today") as (session, cycle, received):
                ctx = StepContext(actor(f"import {kind} {file.name}"))
                told = _received(intake_file(session, cycle, file, kind, received, ctx))
            break
        except IntegrityError as exc:
            # Another import stored the same rows first; taken again, the file stores nothing twice.
            if attempt == 2 or not is_unique_violation(exc):
                raise
    echo_lines(told)


@app.command("status")
def status(
    year: Year,
    authority: Authority = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày xem tình trạng, YYYY-MM-DD.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Tình trạng thực hiện của từng đơn vị tại một ngày."""
    with on_cycle(year, authority, as_of, "--as-of") as (session, cycle, day):
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
    force: Force = False,
) -> None:
    """Xuất tình trạng thực hiện, sáng kiến, thư thông báo hoặc điểm (kèm lý do) ra JSON hoặc Excel."""
    if kind is ExportKind.scores:
        export_scores(year, out, output, authority, force)
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
    write_export(out, output, records, (title, header, body), force)


app.command("serve")(serve_command)
deployments_app = typer.Typer(help="Định nghĩa triển khai Prefect.", no_args_is_help=True)
deployments_app.command("yaml")(yaml_command)
app.add_typer(deployments_app, name="deployments")
app.command("up")(up_command)
app.command("demo")(demo_command)
app.command("deploy")(deploy_command)
app.command("worker")(worker_command)


@app.command("sample")
def sample(
    config: Annotated[Path, typer.Option(help="Tệp cấu hình chu kỳ.")] = BUNDLED,
    cycle_name: Annotated[
        str | None,
        typer.Option("--cycle", help=f"Tên một chu kỳ mẫu kèm theo: {', '.join(bundled_cycles())}."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ngày xem tình trạng (mặc định: 30 ngày sau hạn cuối).")
    ] = None,
    documents: Annotated[
        Path | None,
        typer.Option(
            "--documents",
            help="Thư mục (đã có): đi hết năm (Hội đồng, quyết định, điểm) và lập mọi văn bản vào đây.",
        ),
    ] = None,
) -> None:
    """Không cần Prefect: mở chu kỳ mẫu, nhập hồ sơ mẫu, gửi thư qua hộp thư thử, in tình trạng."""
    if cycle_name is not None:
        config = bundled_cycle(cycle_name)
    if documents is not None and not documents.is_dir():
        raise fail(f"--documents: thư mục {documents} không có; hãy tạo thư mục trước")
    ctx = StepContext("cli:sample")
    with database() as session:
        opened = open_step(session, config, ctx)
        told, cycle = _opened(opened), opened.cycle
        folder = load_cycle_config(config).roster.parent
        received = as_date(None, "", cycle.timezone)
        for kind in SUBMISSIONS:
            path = folder / f"{kind}.csv"
            if path.exists():
                told += _received(intake_file(session, cycle, path, kind, received, ctx))
        last = cycle.configuration.deadlines.last
        day = as_date(as_of, "--as-of", cycle.timezone) if as_of else last + timedelta(days=30)
        rows = compute_compliance(session, cycle, day)
        year = cycle.year
        if documents is not None:
            close_year(session, cycle, documents, ctx)
            written = render_year(session, cycle, documents)
            told.append(f"Đã lập {len(written):02d} văn bản tại {documents}/")
    echo_lines(told)
    print_compliance(cycle, day, rows)
    deliver_to_demo_sink(year)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
