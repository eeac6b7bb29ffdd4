"""The pages of the documents service: a cycle's documents, the list of cycles, the upload form.

Rendered from ``templates/service/page.html.j2`` with autoescape on, so a unit's text or a file
name with markup is shown as written. Pure: the service passes the rows it read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from jinja2 import StrictUndefined

from models.text import nfc
from notifications.templating import environment

_PAGES = environment("service", autoescape=True, undefined=StrictUndefined, trim_blocks=True)
KIND_LABELS = {
    "decision": "Quyết định công nhận sáng kiến",
    "escalation": "Công văn đôn đốc",
    "minutes": "Biên bản họp Hội đồng sáng kiến",
    "proposal": "Tờ trình đề nghị công nhận sáng kiến",
    "report": "Báo cáo sáng kiến của năm",
}
FORMATS = {".docx": "bản Word để ký", ".html": "bản HTML để xem"}


@dataclass(frozen=True, slots=True)
class CycleLink:
    """A cycle on the index and in the upload form."""

    year: int
    name: str
    authority: str | None
    authority_name: str


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One stored document on a cycle's page."""

    kind: str
    number: str | None
    file_name: str
    size: int
    updated_at: datetime
    url: str


def _size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


def _page(title: str, ui_url: str | None, **context: object) -> str:
    return nfc(_PAGES.get_template("page.html.j2").render(title=title, ui_url=ui_url, **context))


def index_page(cycles: Sequence[CycleLink], ui_url: str | None) -> str:
    """The cycles whose documents can be listed."""
    return _page("Văn bản các chu kỳ sáng kiến", ui_url, page="index", cycles=cycles)


def cycle_page(year: int, lines: Sequence[DocumentLine], timezone: str, ui_url: str | None) -> str:
    """Every document of a cycle, newest first, each one click away."""
    zone = ZoneInfo(timezone)
    documents = [
        {
            "label": f"{KIND_LABELS.get(line.kind, line.kind)} ("
            + FORMATS.get(line.file_name[line.file_name.rfind(".") :], "tệp")
            + ")",
            "number": line.number,
            "file_name": line.file_name,
            "size": _size(line.size),
            "updated": f"{line.updated_at.astimezone(zone):%H:%M %d/%m/%Y}",
            "url": line.url,
        }
        for line in lines
    ]
    return _page(f"Văn bản chu kỳ {year}", ui_url, page="cycle", documents=documents)


def upload_page(
    cycles: Sequence[CycleLink],
    kinds: Sequence[tuple[str, str]],
    max_mb: int,
    ui_url: str | None,
    *,
    error: str = "",
    run_url: str = "",
    run_name: str = "",
    file_name: str = "",
) -> str:
    """The upload form; after an upload, the link to the import's run (or the reason it was refused)."""
    return _page(
        "Nhập tệp hồ sơ",
        ui_url,
        page="upload",
        cycles=cycles,
        kinds=kinds,
        max_mb=max_mb,
        error=error,
        run_url=run_url,
        run_name=run_name,
        file_name=file_name,
    )
