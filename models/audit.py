"""The audit log: every state change, with who made it and the before and after images."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models.tables_outcome import AuditEntry


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
