"""``sangkien documents render KIND`` and ``sangkien export scores``: official documents and scores.

Documents land under ``var/out/<year>/`` unless ``--out`` names a folder; each is a .docx to sign
and an HTML page to read. A missing fact (no decision yet, no such unit) is a message, exit 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from deployments.cli_common import Authority, FileFormat, Year, database, fail, on_cycle
from models.cycle import find_cycle
from models.reporting import score_records
from models.settings import load_settings
from notifications.documents.kinds import DOCUMENTS
from notifications.documents.render import render_kind
from notifications.notices.outcome import score_table
from notifications.sheets.tables import write_table

documents_app = typer.Typer(help="Văn bản hành chính (.docx và HTML).", no_args_is_help=True)


@documents_app.command("render")
def render(
    kind: Annotated[str, typer.Argument(help="Loại văn bản: " + ", ".join(DOCUMENTS) + ".")],
    year: Year,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị (unit-report).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày ban hành, YYYY-MM-DD.")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Thư mục (mặc định var/out/<năm>/).")] = None,
    authority: Authority = None,
) -> None:
    """Lập văn bản theo thể thức Nghị định 30/2020/NĐ-CP: tệp .docx để ký ban hành và bản HTML."""
    with on_cycle(year, authority, as_of, "--as-of") as (session, cycle, day):
        folder = out or load_settings().out_folder(year)
        files = render_kind(session, cycle, kind, day, folder, unit)
    typer.echo(f"Đã lập {files.docx}")
    typer.echo(f"Bản HTML: {files.html}")


def export_scores(
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="Tệp kết quả.")],
    output: Annotated[FileFormat, typer.Option("--format")] = FileFormat.xlsx,
    authority: Authority = None,
) -> None:
    """Xuất điểm sáng kiến của từng đơn vị, mỗi dòng điểm kèm lý do."""
    with database() as session:
        records = score_records(session, find_cycle(session, year, authority))
    try:
        if output is FileFormat.json:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        else:
            write_table(out, "Điểm", *score_table(records))
    except OSError as exc:
        raise fail(f"{out}: không ghi được tệp ({exc.strerror})") from None
    typer.echo(f"Đã xuất {len(records)} dòng vào {out}")
