"""The database: the declarative base, the engine and session scope, schema migrations, the
audit log and the outbox table. Every other package stores through these.
"""

from models.db.audit import AuditEntry, record, record_many
from models.db.base import Base, utcnow
from models.db.documents import (
    MEDIA_TYPES,
    UPLOAD,
    DocumentRef,
    StoredDocument,
    cycle_documents,
    document_url,
    find_document,
    media_type,
    store_document,
)
from models.db.engine import is_unique_violation, make_engine, session_scope, settle_heap
from models.db.outbox import Notice
from models.db.schema import ensure_schema, upgrade

__all__ = [
    "MEDIA_TYPES",
    "UPLOAD",
    "AuditEntry",
    "Base",
    "DocumentRef",
    "Notice",
    "StoredDocument",
    "cycle_documents",
    "document_url",
    "ensure_schema",
    "find_document",
    "is_unique_violation",
    "make_engine",
    "media_type",
    "record",
    "record_many",
    "session_scope",
    "settle_heap",
    "store_document",
    "upgrade",
    "utcnow",
]
