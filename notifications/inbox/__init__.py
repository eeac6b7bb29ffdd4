"""The authority's mailbox: IMAP access, one collector at a time, each message taken in and
answered once, moved to the done or rejected folder."""

from notifications.inbox.collector import Collected, Line, collect_replies
from notifications.inbox.mailbox import Envelope, Mailbox, open_mailbox

__all__ = ["Collected", "Envelope", "Line", "Mailbox", "collect_replies", "open_mailbox"]
