"""What every ``sangkien`` command shares: options, the database, dates and error exits.

A user's mistake (``InvalidInput``) prints its message on stderr and exits 2; an unreachable
database exits 1 with a message naming the setting to check.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session

from models.cycle import Cycle, find_cycle
from models.db import ensure_schema, make_engine, session_scope
from models.errors import InvalidInput
from models.output import Output, write_outputs
from models.settings import load_settings
from models.text import parse_date
from notifications.sheets.tables import table_bytes


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


class FileFormat(StrEnum):
    json = "json"
    xlsx = "xlsx"


# How a domain error's fix names things on the command line (``InvalidInput.worded``).
CLI_WORDS = {
    "authority": "--authority",
    "cycle": "--cycle",
    "unit": "--unit",
    "initiative_id": "--initiative",
    "member": "--member",
    "question": "--question",
    "answer": "--answer",
    "due_on": "--until",
    "kind": "loại",
    "open": "sangkien cycle open --config <tệp cấu hình>",
    "requests": "sangkien extension list",
}

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


def _database_problem(exc: OperationalError, url: str) -> str:
    """What an officer is told when the database refuses: the cause, not only the setting."""
    reason = str(exc.orig)
    if "full" in reason:
        return "ổ đĩa chứa cơ sở dữ liệu đã đầy; không lưu được gì. Hãy giải phóng dung lượng rồi chạy lại"
    if "readonly" in reason or "read-only" in reason or "unable to open" in reason:
        return f"không ghi được cơ sở dữ liệu {url} (thư mục hoặc tệp chỉ đọc); hãy kiểm tra quyền ghi"
    return f"không kết nối được cơ sở dữ liệu ({reason}); kiểm tra SANGKIEN_DATABASE_URL"


@contextmanager
def engine_for_command() -> Iterator[Engine]:
    """A migrated database engine; user mistakes and an unreachable server become exits."""
    settings = load_settings()
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url)
    except OSError as exc:
        raise fail(
            f"{settings.data_dir}: không tạo được thư mục dữ liệu ({exc.strerror}); "
            "kiểm tra SANGKIEN_DATA_DIR",
            1,
        ) from None
    except ArgumentError:
        raise fail(
            "SANGKIEN_DATABASE_URL không đúng dạng; hãy ghi dạng postgresql+psycopg://người_dùng@máy:5432/tên_csdl",
            1,
        ) from None
    try:
        ensure_schema(engine)
        yield engine
    except InvalidInput as exc:
        raise fail(exc.worded(CLI_WORDS)) from None
    except OperationalError as exc:
        raise fail(_database_problem(exc, settings.resolved_database_url), 1) from None
    finally:
        engine.dispose()


@contextmanager
def database() -> Iterator[Session]:
    """One session for the whole command, committed at its end."""
    with engine_for_command() as engine, session_scope(engine) as session:
        yield session


def as_date(value: str | None, option: str, zone: str) -> date:
    """A date option, or today in ``zone``."""
    if value is None:
        return datetime.now(ZoneInfo(zone)).date()
    try:
        return parse_date(value)
    except ValueError as exc:
        raise fail(f"{option}: {exc}") from None


@contextmanager
def on_cycle(
    year: int, authority: str | None, day: str | None, option: str
) -> Iterator[tuple[Session, Cycle, date]]:
    """The command's session, its cycle, and the day given with ``option`` (default: today in the
    cycle's zone); committed at the end of the command."""
    with database() as session:
        cycle = find_cycle(session, year, authority)
        yield session, cycle, as_date(day, option, cycle.timezone)


Force = Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có.")]


def write_export(
    out: Path,
    output: FileFormat,
    records: list[Any],
    table: tuple[str, list[str], list[list[Any]]],
    force: bool,
) -> None:
    """Write an export (JSON records, or the labelled table as .xlsx) atomically, then say so."""
    try:
        if output is FileFormat.json:
            data = (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        else:
            data = table_bytes(*table)
        write_outputs([Output(out, data)], overwrite=force)
    except InvalidInput as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Đã xuất {len(records)} dòng vào {out}")
