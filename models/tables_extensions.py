"""The table of extension requests: a unit asks for more time for one obligation, an officer decides.

One row per request. ``status`` goes from ``pending`` to ``approved`` (with ``decided_until``,
which may differ from the date asked) or ``refused`` (with the reason), and never back. Dates are
the days the request and the decision were made (in the cycle's timezone), so compliance can
replay any past day: an extension counts from the day it was approved.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow

STATUSES = ("pending", "approved", "refused")


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
