"""Tables of the roster and the submissions: authorities, units, cycles, initiatives, reports.

Units are time-versioned rows keyed by official code: a unit that changes after it served in a
cycle gets a new version, so an old cycle keeps the names it had. ``*_key`` columns hold the
NFC, case- and space-folded text that duplicates are detected on.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.db import Base, utcnow


class Authority(Base):
    """The People's Committee that runs cycles (a district, a province, a commune)."""

    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    place_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Unit(Base):
    """One version of a unit: valid from ``valid_from`` to ``valid_to`` (inclusive, open-ended)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    head_name: Mapped[str | None] = mapped_column(String(200))
    head_title: Mapped[str | None] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(String(32))
    successor_code: Mapped[str | None] = mapped_column(String(32))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Cycle(Base):
    """A yearly cycle of one authority, with its configuration as loaded."""

    __tablename__ = "cycles"
    __table_args__ = (UniqueConstraint("authority_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"))
    year: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(300))
    opens_on: Mapped[date]
    propose_deadline: Mapped[date]
    report_deadline: Mapped[date]
    replication_deadline: Mapped[date]
    deadline_inclusive: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str] = mapped_column(String(64))
    legal_bases: Mapped[list[Any]]
    config: Mapped[dict[str, Any]]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship(lazy="joined")


class CycleUnit(Base):
    """Membership of a unit version in a cycle: who owes the cycle's obligations."""

    __tablename__ = "cycle_units"
    __table_args__ = (UniqueConstraint("cycle_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)


class ReplicatedInitiative(Base):
    """One entry of the cycle's catalogue of initiatives chosen for replication."""

    __tablename__ = "replicated_initiatives"
    __table_args__ = (UniqueConstraint("cycle_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(500))


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
    submitted_on: Mapped[date]
    days_late: Mapped[int] = mapped_column(default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
