"""The table of folded score lines: each unit's points per criterion, with the reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base, utcnow


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
