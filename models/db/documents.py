"""The document store: every rendered document (and every file uploaded for import) kept in the
application database, where every worker and the documents service reach it.

A document written on one worker's disk is not on the machine that serves the UI; the database is
the one place all of them share. A document is keyed by its cycle, kind and file name: rendering
it again replaces its bytes (same id, so links in older artifacts still open the newest version)
and rendering the same bytes again changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.db.base import Base, utcnow

MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=utf-8",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
}
UPLOAD = "upload"  # the kind of a file an officer uploaded for import


class StoredDocument(Base):
    """One document's bytes, with what it is and a checksum."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("cycle_id", "kind", "file_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(128))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A stored document as links name it."""

    id: int
    file_name: str
    media_type: str
    sha256: str


def media_type(file_name: str) -> str:
    """The media type of a file by its extension (``application/octet-stream`` when unknown)."""
    return MEDIA_TYPES.get(Path(file_name).suffix.lower(), "application/octet-stream")


def store_document(
    session: Session, cycle_id: int, kind: str, file_name: str, content: bytes, number: str | None = None
) -> DocumentRef:
    """Store ``content`` as the document (cycle, kind, file name): new, replaced, or unchanged."""
    digest = hashlib.sha256(content).hexdigest()
    row = _row(session, cycle_id, kind, file_name)
    if row is None:
        row = StoredDocument(
            cycle_id=cycle_id,
            kind=kind,
            file_name=file_name,
            media_type=media_type(file_name),
            content=content,
            sha256=digest,
            number=number,
        )
        session.add(row)
        session.flush()
    elif row.sha256 != digest or row.number != number:
        row.content, row.sha256, row.number, row.updated_at = content, digest, number, utcnow()
        session.flush()
    return DocumentRef(row.id, row.file_name, row.media_type, row.sha256)


def _row(session: Session, cycle_id: int, kind: str, file_name: str) -> StoredDocument | None:
    return session.scalar(
        select(StoredDocument).where(
            StoredDocument.cycle_id == cycle_id,
            StoredDocument.kind == kind,
            StoredDocument.file_name == file_name,
        )
    )


def find_document(session: Session, cycle_id: int, kind: str, file_name: str) -> DocumentRef | None:
    """The stored document (cycle, kind, file name), if there is one."""
    row = _row(session, cycle_id, kind, file_name)
    return None if row is None else DocumentRef(row.id, row.file_name, row.media_type, row.sha256)


def document_url(base: str, ref: DocumentRef) -> str:
    """The documents service's address of a stored document (its name, for the browser's save)."""
    return f"{base}/tai-lieu/{ref.id}/{quote(ref.file_name)}"


def cycle_documents(session: Session, cycle_id: int) -> list[StoredDocument]:
    """The cycle's rendered documents (uploads left out), newest first."""
    return list(
        session.scalars(
            select(StoredDocument)
            .where(StoredDocument.cycle_id == cycle_id, StoredDocument.kind != UPLOAD)
            .order_by(StoredDocument.updated_at.desc(), StoredDocument.file_name)
        )
    )
