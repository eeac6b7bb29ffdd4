"""The outbox table: one e-mail notice, queued once per dedupe key (the logic is
``notifications.mail.outbox``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db.base import Base, utcnow


class Notice(Base):
    """The outbox: one e-mail notice, queued once per dedupe key, delivered once.

    ``attachments`` names what to attach (``[{"kind": ..., "filename": ...}]``); the files are
    built at delivery from the database, so the outbox holds no binaries.
    """

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_state_lease", "state", "lease_until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id"))
    kind: Mapped[str] = mapped_column(String(32))
    milestone: Mapped[str] = mapped_column(String(64))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    recipient: Mapped[str | None] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(200))
    # A reply to a unit's message: threaded to it (In-Reply-To, References).
    in_reply_to: Mapped[str | None] = mapped_column(String(250))
    thread_references: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
