"""Step ``collect``: the authority's mailbox read, each unit's reply taken in and answered once.

Unlike the other steps it takes the engine, not a session: every message is its own unit of work
(claimed in one transaction, taken in and answered in the next), so that a collector stopped
anywhere loses nothing and takes nothing in twice (``notifications.inbox.collector``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from notifications.inbox.collector import Collected, collect_replies
from notifications.steps.context import StepContext


def collect_step(engine: Engine, cycle_id: int, as_of: date, ctx: StepContext) -> Collected:
    """Take in what the configured mailbox received by ``as_of`` for the cycle ``cycle_id``."""
    return collect_replies(engine, cycle_id, ctx.settings.imap, as_of, ctx.domain)
