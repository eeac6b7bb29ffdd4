"""A collector's run over the authority's mailbox: every message taken in once and answered once.

For each message of the folder the ledger is asked first. Messages it does not know are
downloaded in batches and claimed (recorded with their Message-ID, UID, UIDVALIDITY and bytes) in
a transaction of their own; then each is taken in and answered in a transaction of its own
(``answer.answer_message``), then moved.
A message processed before but still in the folder (its collector died before the move) is only
moved. A message whose attempt raised is left where it is for the next run, and set aside in the
rejected folder after ``MAX_ATTEMPTS``; one such message never stops the others. Messages that
arrived after ``as_of`` wait for a later run, so a year can be replayed day by day.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from models.cycle import Cycle
from models.db import session_scope
from models.errors import TransientFault
from models.inbox import IncomingMessage, Roster, claim, give_up, mark_moved, read_headers, read_message, seen
from models.settings import ImapSettings
from notifications.inbox.answer import DONE, REJECTED, answer_message
from notifications.inbox.lock import collector_lock
from notifications.inbox.mailbox import Envelope, Mailbox, open_mailbox

log = logging.getLogger(__name__)
BATCH_MESSAGES = 20
BATCH_BYTES = 32 * 1024 * 1024
MOVE_EVERY = 50


@dataclass(frozen=True, slots=True)
class Line:
    """One message of the run, as an officer reads it in the artifact and on the terminal."""

    ledger_id: int
    received: str
    sender: str
    subject: str
    unit: str
    outcome: str
    stored: int
    notices: int
    note: str


@dataclass(frozen=True, slots=True)
class Collected:
    """What one run did."""

    busy: bool = False  # another collector held the mailbox: nothing was done
    in_folder: int = 0
    later: int = 0  # arrived after as_of: left for a later run
    outcomes: dict[str, int] = field(default_factory=dict)
    stored: int = 0
    notices: int = 0
    moved: int = 0
    lines: tuple[Line, ...] = ()


class _Downloaded(NamedTuple):
    uid: int
    envelope: Envelope
    raw: bytes
    whole: bool  # the whole message, not only its headers (one too large to download)


class _Claimed(NamedTuple):
    uid: int
    envelope: Envelope
    message: IncomingMessage
    ledger_id: int
    whole: bool


@dataclass
class _Run:
    engine: Engine
    cycle_id: int
    zone: ZoneInfo
    imap: ImapSettings
    domain: str
    roster: Roster
    uidvalidity: int
    moves: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    lines: list[Line] = field(default_factory=list)
    moved: int = 0

    def folder_for(self, outcome: str | None) -> str | None:
        if outcome in DONE:
            return self.imap.done_folder
        return self.imap.rejected_folder if outcome in REJECTED else None

    def schedule(self, uid: int, ledger_id: int, outcome: str | None) -> None:
        folder = self.folder_for(outcome)
        if folder is not None:
            self.moves[folder].append((uid, ledger_id))

    def flush(self, box: Mailbox) -> None:
        for folder, pairs in self.moves.items():
            if pairs:
                box.move([uid for uid, _ in pairs], folder)
                with session_scope(self.engine) as session:
                    mark_moved(session, [ledger_id for _, ledger_id in pairs], folder)
                self.moved += len(pairs)
        self.moves.clear()

    def claim_all(self, downloaded: list[_Downloaded]) -> list[_Claimed]:
        """Record a downloaded batch in the ledger, in one transaction, before any of it is taken in."""
        claimed = []
        with session_scope(self.engine) as session:
            for uid, envelope, raw, whole in downloaded:
                message = read_message(raw) if whole else read_headers(raw)
                where = (self.imap.mailbox, self.uidvalidity, uid)
                kept = raw if whole else None
                ledger_id = claim(
                    session, self.cycle_id, where, message, kept, envelope.received_at, envelope.size
                )
                claimed.append(_Claimed(uid, envelope, message, ledger_id, whole))
        return claimed

    def take(self, claimed: _Claimed) -> None:
        """Take in and answer one claimed message."""
        uid, envelope, message, ledger_id, whole = claimed
        received_on = envelope.received_at.astimezone(self.zone).date()
        too_large = None
        if not whole:
            megabytes = f"{envelope.size / 1_048_576:.1f}".replace(".", ",")
            limit = f"{self.imap.max_message_bytes / 1_048_576:.1f}".replace(".", ",")
            too_large = f"thư quá lớn ({megabytes} MB, tối đa {limit} MB)"
        try:
            with session_scope(self.engine) as session:
                answered = answer_message(
                    session,
                    self.cycle_id,
                    ledger_id,
                    message,
                    received_on,
                    self.roster,
                    self.imap,
                    self.domain,
                    too_large=too_large,
                )
        except (OperationalError, TransientFault):
            raise  # the database or the mail server is away: the whole run is retried
        except Exception as exc:
            # One message must never stop the batch: a bug or a file no rule foresaw is kept in the
            # ledger with its error, tried again next run, then set aside for an officer.
            log.exception("message uid %s (ledger %s) could not be taken in", uid, ledger_id)
            with session_scope(self.engine) as session:
                set_aside = give_up(session, ledger_id, f"{type(exc).__name__}: {exc}")
            if set_aside:
                self.schedule(uid, ledger_id, "failed")
            self._line(ledger_id, envelope, message.sender, message.subject, "failed", 0, 0, str(exc), None)
            return
        self.schedule(uid, ledger_id, answered.outcome)
        if answered.outcome == "wrong_sender":
            log.warning("message from %s carried files of another unit: %s", message.sender, answered.note)
        self._line(
            ledger_id,
            envelope,
            message.sender,
            message.subject,
            answered.outcome,
            answered.stored,
            answered.notices,
            answered.note,
            answered.unit_code,
        )

    def _line(
        self,
        ledger_id: int,
        envelope: Envelope,
        sender: str | None,
        subject: str,
        outcome: str,
        stored: int,
        notices: int,
        note: str,
        unit: str | None,
    ) -> None:
        received = envelope.received_at.astimezone(self.zone).strftime("%d/%m/%Y %H:%M")
        self.lines.append(
            Line(ledger_id, received, sender or "", subject, unit or "", outcome, stored, notices, note[:500])
        )


def _batches(uids: list[int], envelopes: dict[int, Envelope]) -> list[list[int]]:
    """Downloads of at most ``BATCH_MESSAGES`` messages and about ``BATCH_BYTES``."""
    batches: list[list[int]] = [[]]
    size = 0
    for uid in uids:
        if batches[-1] and (len(batches[-1]) >= BATCH_MESSAGES or size + envelopes[uid].size > BATCH_BYTES):
            batches.append([])
            size = 0
        batches[-1].append(uid)
        size += envelopes[uid].size
    return [b for b in batches if b]


def collect_replies(engine: Engine, cycle_id: int, imap: ImapSettings, as_of: date, domain: str) -> Collected:
    """Take in every message of the mailbox folder that arrived by ``as_of``, once; answers get
    Message-IDs in ``domain``."""
    with collector_lock(engine, imap.mailbox) as held:
        if not held:
            log.warning("another collector is reading %s; this run does nothing", imap.mailbox)
            return Collected(busy=True)
        with session_scope(engine) as session:
            cycle = session.get_one(Cycle, cycle_id)
            zone = ZoneInfo(cycle.timezone)
            roster = Roster.load(session, cycle)
        with open_mailbox(imap) as box:
            run = _Run(engine, cycle_id, zone, imap, domain, roster, box.select(imap.folder))
            uids = box.uids()
            with session_scope(engine) as session:
                known = seen(session, imap.mailbox, run.uidvalidity, uids)
            for uid, met in known.items():
                if met.state in ("processed", "failed", "moved"):
                    run.schedule(uid, met.id, met.outcome)
            fresh = [uid for uid in uids if uid not in known or known[uid].state == "received"]
            envelopes = box.envelopes(fresh)
            due = [
                u
                for u in fresh
                if u in envelopes and envelopes[u].received_at.astimezone(zone).date() <= as_of
            ]
            for batch in _batches(due, envelopes):
                small = [u for u in batch if envelopes[u].size <= imap.max_message_bytes]
                bodies = box.bodies(small)
                headers = box.headers([u for u in batch if u not in small])
                downloaded = [
                    _Downloaded(uid, envelopes[uid], raw, uid in bodies)
                    for uid in batch
                    # None: gone meanwhile (another client moved it), nothing to do
                    if (raw := bodies.get(uid) if uid in bodies else headers.get(uid)) is not None
                ]
                for claimed in run.claim_all(downloaded):
                    run.take(claimed)
                if sum(len(p) for p in run.moves.values()) >= MOVE_EVERY:
                    run.flush(box)
            run.flush(box)
    outcomes = Counter(line.outcome for line in run.lines)
    return Collected(
        in_folder=len(uids),
        later=len(fresh) - len(due),
        outcomes=dict(outcomes),
        stored=sum(line.stored for line in run.lines),
        notices=sum(line.notices for line in run.lines),
        moved=run.moved,
        lines=tuple(run.lines),
    )
