"""Tables of the authority, its units and its cycles: the roster, each cycle's deadlines, the
replicated catalogue, the council, requests for more time and the register of document numbers.

Units are time-versioned rows keyed by official code: a unit that changes after it served in a
cycle gets a new version, so an old cycle keeps the names it had. ``*_key`` columns hold the
NFC, case- and space-folded text that duplicates are detected on.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.cycle.config import CycleConfig
from models.db import Base, utcnow

EXTENSION_STATUSES = ("pending", "approved", "refused")


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
    # Other addresses the unit may send from ("a@x.vn; b@y.vn"): the mailbox collector accepts them.
    alternate_emails: Mapped[str | None] = mapped_column(Text)
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
    deadline_inclusive: Mapped[bool] = mapped_column(default=True)
    timezone: Mapped[str] = mapped_column(String(64))
    legal_bases: Mapped[list[Any]]
    config: Mapped[dict[str, Any]]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)

    authority: Mapped[Authority] = relationship(lazy="joined")
    deadlines: Mapped[list[CycleDeadline]] = relationship(
        lazy="selectin", order_by="CycleDeadline.id", cascade="all, delete-orphan"
    )

    @property
    def configuration(self) -> CycleConfig:
        """The cycle's configuration, parsed once per loaded row (and again only if replaced)."""
        cached: tuple[dict[str, Any], CycleConfig] | None = self.__dict__.get("_configuration")
        if cached is None or cached[0] is not self.config:
            cached = (self.config, CycleConfig.model_validate(self.config))
            self.__dict__["_configuration"] = cached
        return cached[1]

    def due(self, obligation: str) -> date:
        """The configured deadline of ``obligation`` (before any day off moves it)."""
        for row in self.deadlines:
            if row.obligation == obligation:
                return row.due_on
        raise KeyError(f"cycle {self.year} has no deadline for {obligation!r}")

    @property
    def due_dates(self) -> dict[str, date]:
        """Every configured deadline, by obligation, in the order they were configured."""
        return {row.obligation: row.due_on for row in self.deadlines}


class CycleDeadline(Base):
    """The configured deadline of one obligation of a cycle (the cycle file's ``[deadlines]``)."""

    __tablename__ = "cycle_deadlines"
    __table_args__ = (UniqueConstraint("cycle_id", "obligation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    obligation: Mapped[str] = mapped_column(String(32))
    due_on: Mapped[date]


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
    # The unit kinds that report on it, space-separated with a space at each end (" office
    # commune "), so that one LIKE finds a kind on SQLite and PostgreSQL alike.
    unit_kinds: Mapped[str] = mapped_column(
        String(200), default=" office commune ", server_default=" office commune "
    )


def kinds_column(kinds: tuple[str, ...] | list[str]) -> str:
    """``ReplicatedInitiative.unit_kinds`` of a catalogue entry's kinds."""
    return f" {' '.join(kinds)} "


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


class ExtensionRequest(Base):
    """A unit's request for more time for one obligation, and its decision."""

    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extension_requests_cycle_status", "cycle_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    obligation: Mapped[str] = mapped_column(String(32))
    requested_until: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    requested_on: Mapped[date]
    requested_by: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_until: Mapped[date | None]
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


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


class DocumentSeries(Base):
    """The last number an issuer took in a year: the row that number-takers lock, so two
    transactions issuing documents at once wait for each other instead of taking the same one."""

    __tablename__ = "document_series"

    authority_id: Mapped[int] = mapped_column(
        ForeignKey("authorities.id", ondelete="CASCADE"), primary_key=True
    )
    issuer: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_sequence: Mapped[int]
