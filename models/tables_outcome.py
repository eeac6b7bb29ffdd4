"""Tables of what the cycle produces: council, score sheets, score lines, decisions, notices, audit.

Notices are the outbox: a row per notice with a unique dedupe key, so queuing twice stores once.
The audit log keeps every state change with its before and after images.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow


class CouncilMember(Base):
    """A member of the cycle's initiative council (from the cycle configuration)."""

    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("cycle_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(64))
    unit_code: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))


class ScoreSheet(Base):
    """One member's scores for one initiative; a new sheet replaces the old one."""

    __tablename__ = "score_sheets"
    __table_args__ = (UniqueConstraint("initiative_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="CASCADE"))
    scores: Mapped[dict[str, Any]]
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    approve: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScoreLine(Base):
    """One folded score line of a unit, with the reason a unit can contest."""

    __tablename__ = "score_lines"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "scorecard", "criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    scorecard: Mapped[str] = mapped_column(String(32))
    criterion: Mapped[str] = mapped_column(String(64))
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    max_points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    """A recognition decision of the People's Committee (one per cycle)."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("cycle_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32), default="recognition")
    number: Mapped[str] = mapped_column(String(64))
    issued_on: Mapped[date]
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    initiative_ids: Mapped[list[Any]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_until: Mapped[datetime | None]
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class AuditEntry(Base):
    """One state change: what, when, by which command or flow run, before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)


class DocumentNumber(Base):
    """A number an issuer gave an official document: per issuer and year from 01, never reused.

    ``document_key`` names the document within its cycle (``escalation-2024-10-08``), so
    rendering the same document again finds its number and date instead of taking a new one.
    """

    __tablename__ = "document_numbers"
    __table_args__ = (
        UniqueConstraint("authority_id", "issuer", "year", "sequence"),
        UniqueConstraint("cycle_id", "document_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id", ondelete="CASCADE"))
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    issuer: Mapped[str] = mapped_column(String(64))
    year: Mapped[int]
    sequence: Mapped[int]
    document_key: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
