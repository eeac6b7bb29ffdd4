"""The database: the declarative base, the engine and session scope, schema migrations, the
audit log and the outbox table. Every other package stores through these.
"""

from models.db.audit import AuditEntry, record, record_many
from models.db.base import Base, utcnow
from models.db.engine import is_unique_violation, make_engine, session_scope, settle_heap
from models.db.outbox import Notice
from models.db.schema import ensure_schema, upgrade

__all__ = [
    "AuditEntry",
    "Base",
    "Notice",
    "ensure_schema",
    "is_unique_violation",
    "make_engine",
    "record",
    "record_many",
    "session_scope",
    "settle_heap",
    "upgrade",
    "utcnow",
]
