"""The ``sangkien`` command line: database, cycle, imports, status and exports.

Messages for officers are Vietnamese. A user's mistake prints one line per problem on stderr and
exits 2; nothing prints a traceback for it.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from deployments.cli_output import print_compliance, print_result
from models.compliance import compute_compliance
from models.config import load_cycle_config
from models.cycles import find_cycle
from models.db import make_engine, session_scope
from models.errors import InvalidInput
from models.exports import compliance_records, compliance_table, initiative_records, initiative_table
from models.imports import import_file, open_cycle_from_file
from models.schema_migrations import ensure_schema, upgrade
from models.settings import load_settings
from models.text import parse_date
from notifications.spreadsheets import write_table

app = typer.Typer(
    help="sangkien: chu kỳ sáng kiến cải cách hành chính hằng năm.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Cơ sở dữ liệu.", no_args_is_help=True)
cycle_app = typer.Typer(help="Chu kỳ sáng kiến.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(cycle_app, name="cycle")


class ImportKind(StrEnum):
    units = "units"
    initiatives = "initiatives"
    reports = "reports"
    replication = "replication"
    reviews = "reviews"


class ExportKind(StrEnum):
    compliance = "compliance"
    initiatives = "initiatives"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class FileFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


Year = Annotated[int, typer.Option("--cycle", help="Năm của chu kỳ, ví dụ 2024.", min=2000, max=2100)]
Authority = Annotated[
    str | None, typer.Option("--authority", help="Mã cơ quan, khi một CSDL có nhiều cơ quan.")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a user-facing error and return the exit to raise."""
    typer.echo(message, err=True)
    return typer.Exit(code)


def actor(command: str) -> str:
    """Who made a change, for the audit log."""
    return f"cli:{command} ({getpass.getuser()})"


def _engine() -> Engine:
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.resolved_database_url)


@contextmanager
def database(command: str) -> Iterator[Session]:
    """A migrated database and one session for the command; user errors become exits."""
    engine = _engine()
    try:
        ensure_schema(engine)
        with session_scope(engine) as session:
            yield session
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    except OperationalError as exc:
        raise fail(
            f"không kết nối được cơ sở dữ liệu ({exc.orig}); kiểm tra SANGKIEN_DATABASE_URL", 1
        ) from None
    finally:
        engine.dispose()
    _ = command


def _as_date(value: str | None, option: str, zone: str) -> date:
    if value is None:
        return datetime.now(ZoneInfo(zone)).date()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise fail(f"{option}: {exc}") from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu lên phiên bản mới nhất."""
    engine = _engine()
    try:
        upgrade(engine)
    except OperationalError as exc:
        raise fail(f"không kết nối được cơ sở dữ liệu ({exc.orig})", 1) from None
    finally:
        engine.dispose()
    typer.echo(f"Cơ sở dữ liệu đã ở phiên bản mới nhất: {engine.url.render_as_string()}")


@cycle_app.command("open")
def cycle_open(config: Annotated[Path, typer.Option("--config", help="Tệp cấu hình chu kỳ (TOML).")]) -> None:
    """Mở chu kỳ từ tệp cấu hình và nạp danh sách đơn vị."""
    with database("cycle open") as session:
        cycle, created, result = open_cycle_from_file(session, config, actor=f"cycle open {config}")
        verb = "Đã mở" if created else "Đã cập nhật"
        typer.echo(f"{verb} chu kỳ {cycle.year}: {cycle.name} ({cycle.authority.name}).")
        print_result(result)


@app.command("import")
def import_command(
    kind: Annotated[ImportKind, typer.Argument(help="Loại dữ liệu.")],
    file: Annotated[Path, typer.Argument(help="Tệp .xlsx, .csv (UTF-8) hoặc .json.")],
    year: Year,
    authority: Authority = None,
    today: Annotated[
        str | None, typer.Option(help="Ngày nhận (mặc định: hôm nay theo múi giờ của chu kỳ).")
    ] = None,
) -> None:
    """Nhập một tệp: tất cả các dòng hợp lệ thì lưu hết, có một dòng sai thì không lưu gì."""
    with database("import") as session:
        cycle = find_cycle(session, year, authority)
        received = _as_date(today, "--today", cycle.timezone)
        result = import_file(
            session, cycle, file, kind.value, today=received, actor=actor(f"import {kind.value} {file.name}")
        )
        print_result(result)


@app.command("status")
def status(
    year: Year,
    authority: Authority = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày xem tình trạng, YYYY-MM-DD.")] = None,
    output: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Tình trạng thực hiện của từng đơn vị tại một ngày."""
    with database("status") as session:
        cycle = find_cycle(session, year, authority)
        day = _as_date(as_of, "--as-of", cycle.timezone)
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
    """Xuất tình trạng thực hiện hoặc danh sách sáng kiến ra JSON hoặc Excel."""
    with database("export") as session:
        cycle = find_cycle(session, year, authority)
        if kind is ExportKind.compliance:
            rows = compute_compliance(session, cycle, _as_date(as_of, "--as-of", cycle.timezone))
            records, (header, body) = compliance_records(rows), compliance_table(rows)
            title = "Tình trạng thực hiện"
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


BUNDLED = Path(__file__).parent / "cycles"


@app.command("demo")
def demo(
    config: Annotated[Path, typer.Option(help="Tệp cấu hình chu kỳ.")] = BUNDLED / "vinh-linh-2024.toml",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Ngày xem tình trạng (mặc định: 30 ngày sau hạn cuối).")
    ] = None,
) -> None:
    """Mở chu kỳ mẫu, nhập các hồ sơ mẫu đi kèm và in bảng tình trạng thực hiện."""
    with database("demo") as session:
        cycle, _created, result = open_cycle_from_file(session, config, actor="cli:demo")
        typer.echo(f"Chu kỳ {cycle.year}: {cycle.name} ({cycle.authority.name}).")
        print_result(result)
        folder = load_cycle_config(config).roster.parent
        for kind in ("initiatives", "reports", "replication"):
            path = folder / f"{kind}.csv"
            if path.exists():
                print_result(
                    import_file(
                        session, cycle, path, kind, today=_as_date(None, "", cycle.timezone), actor="cli:demo"
                    )
                )
        last = max(cycle.propose_deadline, cycle.report_deadline, cycle.replication_deadline)
        day = _as_date(as_of, "--as-of", cycle.timezone) if as_of else last + timedelta(days=30)
        print_compliance(cycle, day, compute_compliance(session, cycle, day))


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
