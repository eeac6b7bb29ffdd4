"""Table artifacts a person can read in the Prefect UI, at any scale.

A province has thousands of units and tens of thousands of initiatives. Nobody reads such a table
in a browser, and sending it on every sweep made the server store megabytes per run (its event
for the artifact was refused as too large). So a table artifact shows at most ``ARTIFACT_ROWS``
rows, the ones that need attention first, and says how to get the whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact

from models.cycle import Cycle
from models.db import document_url, store_document
from models.intake import OBLIGATIONS
from models.reporting import compact_state
from models.settings import load_settings
from models.tracking import UnitCompliance
from notifications.documents.files import DocumentFiles
from tasks.resources import unit_of_work

ARTIFACT_ROWS = 500
T = TypeVar("T")


def table_artifact(
    key: str,
    items: Sequence[T],
    row: Callable[[T], dict[str, Any]],
    description: str,
    whole: str,
) -> None:
    """Create the table artifact ``key`` of the first ``ARTIFACT_ROWS`` of ``items``, each made a
    row by ``row`` (only the rows shown are built: a sweep at 10,000 units shows 500).

    ``whole`` is the command that exports the complete table, named when rows were left out.
    """
    shown = [row(item) for item in items[:ARTIFACT_ROWS]]
    if len(items) > len(shown):
        counts = f"Hiển thị {_count(len(shown))} trên {_count(len(items))} dòng"
        description += f"\n\n{counts}. Bảng đầy đủ: `{whole}`"
    create_table_artifact(key=key, table=shown, description=description)


def _count(number: int) -> str:
    """A count as Vietnamese writes it: 10.000."""
    return f"{number:,}".replace(",", ".")


ATTENTION = ("overdue", "late")  # states an officer acts on; their units head the artifact


def compliance_artifact(year: int, as_of: date, rows: list[UnitCompliance], deadlines: list[str]) -> None:
    """The compliance table of a day, late and overdue units first, with the deadlines: the unit's
    code and name first, then one short cell per obligation (the export has the long form)."""
    attention = [any(s.state in ATTENTION for s in r.obligations.values()) for r in rows]
    ordered = [r for r, flag in zip(rows, attention, strict=True) if flag]
    ordered += [r for r, flag in zip(rows, attention, strict=True) if not flag]

    def line(r: UnitCompliance) -> dict[str, Any]:
        states = r.obligations.items()
        cells = {OBLIGATIONS[code].labels.table: compact_state(state) for code, state in states}
        return {"Mã đơn vị": r.unit_code, "Tên đơn vị": r.unit_name} | cells

    table_artifact(
        f"compliance-{year}",
        ordered,
        line,
        f"Tình trạng thực hiện chu kỳ {year} tại ngày {as_of:%d/%m/%Y}"
        + (" (đơn vị trễ hạn, quá hạn lên trước)" if any(attention) else "")
        + f". {'; '.join(deadlines)}.",
        f"sangkien export compliance --cycle {year} --as-of {as_of} --out tinh-trang.xlsx",
    )


def document_artifacts(
    key: str, files: DocumentFiles, description: str, cycle_id: int, kind: str, number: str | None = None
) -> None:
    """Store the .docx and the HTML of a document in the database and link them from the run.

    The links open the documents service (``sangkien documents serve``), which reads the database:
    a browser refuses ``file://`` links, and a worker's disk is not the UI's machine.
    """
    settings = load_settings()
    with unit_of_work() as session:
        stored = [
            store_document(session, cycle_id, kind, path.name, path.read_bytes(), number)
            for path in (files.docx, files.html)
        ]
        year = session.get_one(Cycle, cycle_id).year
    docx, html = (document_url(settings.documents.url, ref) for ref in stored)
    create_link_artifact(key=f"{key}-docx", link=docx, link_text=files.docx.name, description=description)
    create_link_artifact(key=f"{key}-html", link=html, link_text=files.html.name, description=description)
    listing = f"{settings.documents.url}/chu-ky/{year}"
    create_markdown_artifact(
        key=key,
        markdown=f"**{description}**\n\n- [Tải tệp Word ({files.docx.name})]({docx})\n"
        f"- [Xem bản HTML]({html})\n- [Mọi văn bản của chu kỳ {year}]({listing})",
        description=description,
    )
