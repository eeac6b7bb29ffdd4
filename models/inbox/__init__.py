"""The authority's mailbox as the way in: the ledger of messages taken in, reading a unit's
message, checking its sender and files, and taking each file in as ``sangkien import`` does.
"""

from models.inbox.tables import InboxFile, InboxMessage

__all__ = ["InboxFile", "InboxMessage"]
