"""Tables of the mailbox: the ledger of every message the collector took in, and its files.

A message is known by the mailbox it sat in, the folder's UIDVALIDITY and its UID, and by its
Message-ID. Its row is written before anything is done with it and before it is moved, so a
collector that dies anywhere finds it again and never takes it in twice. The raw message is kept
with its SHA-256 beside the files it carried and the rows each file stored: what a unit actually
sent is there for an auditor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from models.db import Base, utcnow

MESSAGE_STATES = ("received", "processed", "moved", "failed")


class InboxMessage(Base):
    """One message of the authority's mailbox, from the moment the collector saw it."""

    __tablename__ = "inbox_messages"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    mailbox: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(String(250), index=True)
    sender: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(500), default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    received_at: Mapped[datetime]
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str | None] = mapped_column(String(64))
    raw: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    state: Mapped[str] = mapped_column(String(16), default="received")
    outcome: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    notices: Mapped[int] = mapped_column(default=0)
    folder: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    moved_at: Mapped[datetime | None]

    files: Mapped[list[InboxFile]] = relationship(
        order_by="InboxFile.position", cascade="all, delete-orphan", lazy="selectin"
    )


class InboxFile(Base):
    """One attachment of a message: what it was, what became of it, and the rows it stored."""

    __tablename__ = "inbox_files"
    __table_args__ = (UniqueConstraint("inbox_message_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inbox_message_id: Mapped[int] = mapped_column(ForeignKey("inbox_messages.id", ondelete="CASCADE"))
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(32))
    unit_code: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str] = mapped_column(String(16))
    errors: Mapped[list[Any]] = mapped_column(default=list)
    stored_ids: Mapped[list[Any]] = mapped_column(default=list)
