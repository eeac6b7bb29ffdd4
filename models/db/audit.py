"""The audit log: every state change, with who made it and the before and after images."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import String, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.db.base import Base, utcnow


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


def _plain(value: Any) -> Any:
    """JSON-safe: dates as ISO strings, decimals as strings (exact)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session,
    actor: str,
    entity: str,
    entity_id: int | None,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Add one audit entry (committed with the change it describes)."""
    session.add(
        AuditEntry(
            actor=actor,
            entity=entity,
            entity_id=entity_id,
            action=action,
            before=_plain(before),
            after=_plain(after),
        )
    )


def record_many(
    session: Session, actor: str, entity: str, action: str, changes: list[tuple[int, dict[str, Any]]]
) -> None:
    """Audit entries for a batch of created rows, in one statement."""
    if changes:
        session.execute(
            insert(AuditEntry),
            [
                {
                    "actor": actor,
                    "entity": entity,
                    "entity_id": entity_id,
                    "action": action,
                    "before": None,
                    "after": _plain(after),
                }
                for entity_id, after in changes
            ],
        )
