"""Tables of the council's work: score sheets and the recognition decision."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow


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
    # The chair's departures from the council's recommendation: {"initiative_id", "action"
    # ("deselect" or "add"), "reason", "warning"}; empty when the chair took it as it was.
    changes: Mapped[list[Any]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InformationRequest(Base):
    """The council's request to a unit for more information on one initiative, and the answer.

    While a request is unanswered the initiative's review waits: the tally does not decide it.
    """

    __tablename__ = "information_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(Text)
    asked_on: Mapped[date]
    due_on: Mapped[date]
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None]
    answered_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
