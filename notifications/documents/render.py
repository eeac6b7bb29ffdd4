"""The cycle's official documents, written under a folder (``var/out/<year>/`` by default).

Each kind is drawn from the database by its builder and written as a .docx to sign and issue and
an HTML page to read (``notifications.document_files``). Rendering again keeps the document's
number and date; the files are replaced by the same content.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.db import store_document
from models.errors import InvalidInput
from models.review import Decision
from models.tracking import UnitCompliance
from notifications.documents.certificate import Holder
from notifications.documents.certificate_form import write_certificates
from notifications.documents.files import DocumentFiles, write_document
from notifications.documents.kinds import DOCUMENTS, DocumentKind
from notifications.documents.letters import escalation_letter
from notifications.documents.official import OfficialDocument
from notifications.templating import ngay


def build(
    session: Session, cycle: Cycle, kind: str, as_of: date, unit: str | None = None
) -> OfficialDocument:
    """The document ``kind`` of ``cycle`` at ``as_of`` (``unit`` for a unit's report)."""
    spec = DOCUMENTS.get(kind)
    if spec is None:
        raise InvalidInput(
            f"loại văn bản {kind!r} không có", field="kind", fix=f"hãy chọn: {', '.join(DOCUMENTS)}"
        )
    return spec.builder(spec.paper(session, cycle, as_of, unit))


def render_kind(
    session: Session,
    cycle: Cycle,
    kind: str,
    as_of: date,
    folder: Path,
    unit: str | None = None,
    *,
    managed: bool = True,
    force: bool = False,
) -> DocumentFiles:
    """Build the document and write its .docx and HTML under ``folder`` (see ``write_document``)."""
    return write_document(build(session, cycle, kind, as_of, unit), folder, managed=managed, force=force)


def render_decision(session: Session, cycle: Cycle, decision: Decision, folder: Path) -> DocumentFiles:
    """The recognition decision of ``cycle`` (the one recorded) with its annex."""
    if decision.cycle_id != cycle.id:
        raise ValueError(f"decision {decision.id} is not of cycle {cycle.year}")
    return write_document(build(session, cycle, DocumentKind.DECISION, decision.issued_on), folder)


def render_certificates(
    session: Session, cycle: Cycle, decision: Decision, folder: Path
) -> list[tuple[Holder, DocumentFiles]]:
    """A certificate for every author of the decision's initiatives, each in its own file (the
    decision read once, the page drawn once and filled in per author: ``certificate_form``)."""
    spec = DOCUMENTS[DocumentKind.CERTIFICATE]
    return write_certificates(spec.paper(session, cycle, decision.issued_on), decision, folder)


def render_district_report(session: Session, cycle: Cycle, as_of: date, folder: Path) -> DocumentFiles:
    """The authority's consolidated report of the year."""
    return write_document(build(session, cycle, DocumentKind.ANNUAL_REPORT, as_of), folder)


@dataclass(frozen=True, slots=True)
class Enclosure:
    """An official document sent with notices: how they name it, and the attachment spec."""

    label: str  # "số 01/UBND-NV ngày 08/10/2024"; "" while the records clerk is to number it
    files: DocumentFiles
    stored: int | None = None  # its id in the document store, when it was stored

    @property
    def attachment(self) -> dict[str, Any]:
        """The outbox's attachment spec: the .docx from the document store (which every worker
        reaches, where the file is on the disk of the machine that wrote it), else the file."""
        if self.stored is not None:
            return {"kind": "stored", "document_id": self.stored, "filename": self.files.docx.name}
        return {"kind": "document", "path": str(self.files.docx), "filename": self.files.docx.name}


def escalation_enclosure(
    session: Session,
    cycle: Cycle,
    as_of: date,
    folder: Path,
    units: Collection[str],
    compliance: list[UnitCompliance] | None = None,
) -> Enclosure | None:
    """The escalation letter of ``as_of`` to ``units`` (codes), to send with the sweep's
    escalations (``compliance``: the day's, when the sweep has it); None when none of them is
    overdue on an escalated obligation."""
    try:
        spec = DOCUMENTS[DocumentKind.ESCALATION]
        letter = escalation_letter(spec.paper(session, cycle, as_of), only=units, compliance=compliance)
    except InvalidInput:
        return None
    files = write_document(letter, folder)
    content = files.docx.read_bytes()
    stored = store_document(session, cycle.id, DocumentKind.ESCALATION, files.docx.name, content)
    if not letter.dated or letter.issued_on is None:  # the clerk numbers it at signing
        return Enclosure("", files, stored.id)
    return Enclosure(f"số {letter.number} ngày {ngay(letter.issued_on)}", files, stored.id)
