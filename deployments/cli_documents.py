"""``sangkien documents render KIND`` and ``sangkien export scores``: official documents and scores.

Documents land under ``var/out/<year>/`` unless ``--out`` names a folder; each is a .docx to sign
and an HTML page to read. A missing fact (no decision yet, no such unit) is a message, exit 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from deployments.cli_common import Authority, FileFormat, Force, Year, database, on_cycle, write_export
from models.cycle import find_cycle
from models.reporting import score_records
from models.settings import load_settings
from notifications.documents.kinds import DOCUMENTS
from notifications.documents.render import render_kind
from notifications.notices.outcome import score_table

documents_app = typer.Typer(help="Văn bản hành chính (.docx và HTML).", no_args_is_help=True)


@documents_app.command("render")
def render(
    kind: Annotated[str, typer.Argument(help="Loại văn bản: " + ", ".join(DOCUMENTS) + ".")],
    year: Year,
    unit: Annotated[str | None, typer.Option("--unit", help="Mã đơn vị (unit-report).")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Ngày ban hành, YYYY-MM-DD.")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Thư mục có sẵn (mặc định var/out/<năm>/).")
    ] = None,
    authority: Authority = None,
    force: Force = False,
) -> None:
    """Lập văn bản theo thể thức Nghị định 30/2020/NĐ-CP: tệp .docx để ký ban hành và bản HTML."""
    with on_cycle(year, authority, as_of, "--as-of") as (session, cycle, day):
        folder = out or load_settings().out_folder(year)
        files = render_kind(session, cycle, kind, day, folder, unit, managed=out is None, force=force)
    typer.echo(f"Đã lập {files.docx}")
    typer.echo(f"Bản HTML: {files.html}")


@documents_app.command("serve")
def serve(
    host: Annotated[
        str | None,
        typer.Option(
            "--host", help="Địa chỉ lắng nghe (mặc định 127.0.0.1); ngoài máy này cần SANGKIEN_API_AUTH."
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Cổng (mặc định 4201).", min=1, max=65535)
    ] = None,
) -> None:
    """Phục vụ văn bản của các chu kỳ (chỉ đọc) và trang nhập tệp hồ sơ; Ctrl-C để dừng."""
    from deployments.documents_service import DocumentsServer

    settings = load_settings()
    chosen = settings.documents.model_copy(
        update={k: v for k, v in {"host": host, "port": port}.items() if v is not None}
    )
    try:
        server = DocumentsServer(settings.model_copy(update={"documents": chosen}))
    except (RuntimeError, OSError) as exc:
        typer.echo(f"Không mở được dịch vụ văn bản: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Dịch vụ văn bản: {server.origin}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        typer.echo("Đã dừng.")
    finally:
        server.server_close()


def export_scores(
    year: Year,
    out: Annotated[Path, typer.Option("--out", help="Tệp kết quả.")],
    output: Annotated[FileFormat, typer.Option("--format")] = FileFormat.xlsx,
    authority: Authority = None,
    force: Force = False,
) -> None:
    """Xuất điểm sáng kiến của từng đơn vị, mỗi dòng điểm kèm lý do."""
    with database() as session:
        records = score_records(session, find_cycle(session, year, authority))
    write_export(out, output, records, ("Điểm", *score_table(records)), force)
