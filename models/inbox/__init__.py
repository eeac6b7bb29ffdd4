"""The authority's mailbox as the way in: the ledger of messages taken in, reading a unit's
message, what each attachment is, and taking each file in as ``sangkien import`` does.
"""

from models.inbox.files import FileCheck, inspect
from models.inbox.intake import FileOutcome, Roster, addresses, take_in_file
from models.inbox.ledger import (
    MAX_ATTEMPTS,
    OUTCOME_LABELS,
    Seen,
    claim,
    finish,
    give_up,
    mark_moved,
    seen,
    taken_before,
)
from models.inbox.mail import Attachment, IncomingMessage, clean_filename, read_headers, read_message
from models.inbox.tables import InboxFile, InboxMessage

__all__ = [
    "MAX_ATTEMPTS",
    "OUTCOME_LABELS",
    "Attachment",
    "FileCheck",
    "FileOutcome",
    "InboxFile",
    "InboxMessage",
    "IncomingMessage",
    "Roster",
    "Seen",
    "addresses",
    "claim",
    "clean_filename",
    "finish",
    "give_up",
    "inspect",
    "mark_moved",
    "read_headers",
    "read_message",
    "seen",
    "take_in_file",
    "taken_before",
]
