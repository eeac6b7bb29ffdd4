"""Tables of what units send: initiatives with their authors, result reports, replication reports.

Each row keeps the day it was sent and how many days late that was, and a fingerprint of the
submission as given, so the same file imported again is recognised and stored once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow


class Initiative(Base):
    """An initiative proposed by a unit in a cycle (Circular 18/2013 fields)."""

    __tablename__ = "initiatives"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "title_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    title_key: Mapped[str] = mapped_column(String(500))
    solution_type: Mapped[str] = mapped_column(String(32))
    field: Mapped[str] = mapped_column(String(32))
    first_applied_on: Mapped[date | None]
    scope: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text)
    solution: Mapped[str] = mapped_column(Text)
    novelty: Mapped[str] = mapped_column(Text)
    effects: Mapped[str] = mapped_column(Text)
    replicable: Mapped[bool]
    # Declared not an excluded case (Decree 13/2012, art. 4); None: not declared.
    not_excluded: Mapped[bool | None]
    investor: Mapped[str] = mapped_column(String(300), default="")
    # Who took part in the first application: [{name, workplace, title, part}].
    participants: Mapped[list[Any]] = mapped_column(default=list)
    submitted_on: Mapped[date]
    days_late: Mapped[int] = mapped_column(default=0)
    recognition_status: Mapped[str] = mapped_column(String(32), default="proposed")
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    authors: Mapped[list[InitiativeAuthor]] = relationship(
        order_by="InitiativeAuthor.position", cascade="all, delete-orphan"
    )


class InitiativeAuthor(Base):
    """An author of an initiative with their share of the contribution (shares add up to 100)."""

    __tablename__ = "initiative_authors"
    __table_args__ = (UniqueConstraint("initiative_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    share: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    birth_date: Mapped[date | None]
    workplace: Mapped[str] = mapped_column(String(300), default="")
    qualification: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str | None] = mapped_column(String(254))


class ResultReport(Base):
    """A unit's report on building and applying one initiative (or a general report)."""

    __tablename__ = "result_reports"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "initiative_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id"))
    initiative_key: Mapped[str] = mapped_column(String(500))
    organisation: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str] = mapped_column(Text)
    proposals: Mapped[str] = mapped_column(Text)
    submitted_on: Mapped[date]
    days_late: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReplicationReport(Base):
    """The Office's or a commune's report on applying one replicated initiative."""

    __tablename__ = "replication_reports"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id", "replicated_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    replicated_id: Mapped[int] = mapped_column(ForeignKey("replicated_initiatives.id"))
    started_on: Mapped[date | None]
    how_applied: Mapped[str] = mapped_column(Text)
    dossiers: Mapped[int | None]
    results: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text)
    # "chưa áp dụng": the unit answered that it has not applied it, and why.
    applied: Mapped[bool] = mapped_column(default=True, server_default=true())
    not_applied_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_on: Mapped[date]
    days_late: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
