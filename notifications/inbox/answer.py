"""One message of the mailbox taken in and answered, in one transaction with its ledger row.

The files are taken in one by one (each all or nothing), the answers queued in the outbox, and
the message's outcome written: all of it commits together or not at all, so a message is never
half taken in. Outcomes, and the folder each sends the message to:

- ``stored``, ``partial`` (something stored, something refused), ``duplicate`` (this Message-ID
  was taken in and filed before): the done folder;
- ``refused``, ``wrong_sender``, ``too_large``, ``failed``: the rejected folder;
- ``empty`` (no usable file: answered with what to send), ``correspondence`` (a reply to a notice
  other than the call, without files), ``automatic`` (an out-of-office reply, a bounce),
  ``unknown_sender`` (no file, an address of no unit), ``seen_before`` (a copy of one of these):
  left in the mailbox for an officer to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit
from models.db import Notice
from models.inbox import (
    FileOutcome,
    InboxFile,
    IncomingMessage,
    Roster,
    finish,
    inspect,
    take_in_file,
    taken_before,
)
from models.inbox.mail import MAX_ATTACHMENTS
from models.settings import ImapSettings
from notifications.mail.outbox import NoticeDraft, queue_notices
from notifications.notices.kinds import NoticeKind
from notifications.notices.replies import empty_reply, mail_receipts, refused_reply, wrong_sender_notice

DONE = frozenset({"stored", "partial", "duplicate"})
REJECTED = frozenset({"refused", "wrong_sender", "too_large", "failed"})
USABLE = frozenset({"stored", "unchanged", "refused", "wrong_sender", "not_opened"})


@dataclass(frozen=True, slots=True)
class Answered:
    """What became of one message."""

    outcome: str
    unit_code: str | None
    notices: int
    stored: int  # rows stored
    note: str


def _correspondence(session: Session, message: IncomingMessage) -> bool:
    """A reply, without files, to one of our notices that is not the call for proposals."""
    if message.attachments or not message.references:
        return False
    kinds = set(session.scalars(select(Notice.kind).where(Notice.message_id.in_(message.references))))
    return bool(kinds) and NoticeKind.CALL_FOR_PROPOSALS not in kinds


def _ledger_files(outcomes: list[FileOutcome]) -> list[InboxFile]:
    return [
        InboxFile(
            position=n,
            filename=o.check.attachment.filename,
            content_type=o.check.attachment.content_type,
            size=len(o.check.attachment.data),
            sha256=o.check.attachment.sha256,
            kind=o.check.kind,
            unit_code=o.unit_code,
            outcome=o.outcome,
            errors=list(o.errors),
            stored_ids=list(o.result.stored_ids) if o.result else [],
        )
        for n, o in enumerate(outcomes, start=1)
    ]


def _outcome(outcomes: list[FileOutcome], sender_unit: Unit | None) -> str:
    usable = [o for o in outcomes if o.outcome in USABLE]
    if not usable:
        return "empty" if sender_unit is not None else "unknown_sender"
    if any(o.outcome in ("stored", "unchanged") for o in usable):
        return "partial" if any(o.outcome not in ("stored", "unchanged") for o in usable) else "stored"
    return "wrong_sender" if all(o.outcome == "wrong_sender" for o in usable) else "refused"


def _answers(
    session: Session,
    cycle: Cycle,
    message: IncomingMessage,
    outcomes: list[FileOutcome],
    roster: Roster,
    sender_unit: Unit | None,
    received_on: date,
    extra: list[str],
    outcome: str,
) -> list[NoticeDraft]:
    stored: dict[str, list[int]] = {}  # one receipt per kind, however many files of it came
    for o in outcomes:
        if o.result and o.result.stored_ids:
            stored.setdefault(o.check.kind or "", []).extend(o.result.stored_ids)
    drafts = mail_receipts(session, cycle, message, list(stored.items()))
    errors = [
        line for o in outcomes if o.outcome in ("refused", "not_opened", "wrong_sender") for line in o.errors
    ]
    if sender_unit is not None and errors + extra:
        kept = [o.check.attachment.filename for o in outcomes if o.outcome in ("stored", "unchanged")]
        drafts.append(refused_reply(cycle, message, sender_unit, received_on, errors + extra, kept))
    wronged = dict.fromkeys(o.unit_code for o in outcomes if o.outcome == "wrong_sender" and o.unit_code)
    for code in wronged:
        files = [o.check.attachment.filename for o in outcomes if o.unit_code == code]
        drafts.append(wrong_sender_notice(cycle, message, roster.units[code], received_on, files))
    if outcome == "empty" and sender_unit is not None:
        ignored = [o.check.attachment.filename for o in outcomes]
        drafts.append(empty_reply(cycle, message, sender_unit, received_on, ignored))
    return drafts


def answer_message(
    session: Session,
    cycle_id: int,
    ledger_id: int,
    message: IncomingMessage,
    received_on: date,
    roster: Roster,
    imap: ImapSettings,
    domain: str,
    *,
    too_large: str | None = None,
) -> Answered:
    """Take ``message`` in, queue its answers, write its outcome (the caller commits)."""
    cycle = session.get_one(Cycle, cycle_id)
    codes = roster.units_of(message.sender)
    sender_unit = roster.units[min(codes)] if codes else None
    extra = []
    if message.skipped:
        extra.append(
            f"thư có quá {MAX_ATTACHMENTS} tệp đính kèm; {message.skipped} tệp sau cùng không được xem"
        )
    outcomes: list[FileOutcome] = []
    if message.automatic:
        outcome, note = "automatic", message.automatic
    elif (earlier := taken_before(session, cycle_id, message.message_id, ledger_id)) is not None:
        # A copy of a message left for an officer stays with it; any other copy goes where it went.
        outcome = "duplicate" if earlier[1] in DONE | REJECTED else "seen_before"
        note = f"đã nhận thư này trước đây (thư số {earlier[0]})"
    elif too_large:
        outcome, note = "too_large", too_large
        extra.append(f"thư không được tiếp nhận: {too_large}; hãy gửi các tệp trong nhiều thư")
    elif _correspondence(session, message):
        outcome, note = "correspondence", "thư trao đổi, không có tệp: để cán bộ đọc"
    else:
        actor = f"mail:{ledger_id} {message.sender or '?'}"[:200]
        checks = [inspect(a, imap.max_attachment_bytes) for a in message.attachments]
        outcomes = [
            take_in_file(session, cycle, c, message.sender, roster, received_on, actor) for c in checks
        ]
        outcome, note = _outcome(outcomes, sender_unit), ""
    drafts = []
    if outcome not in ("automatic", "duplicate", "seen_before", "correspondence"):
        drafts = _answers(session, cycle, message, outcomes, roster, sender_unit, received_on, extra, outcome)
    queued = queue_notices(session, drafts, domain) if drafts else 0
    units = [o.unit_code for o in outcomes if o.unit_code] or ([sender_unit.code] if sender_unit else [])
    unit = roster.units.get(units[0]) if units else None
    note = note or "; ".join(line for o in outcomes for line in o.errors)
    finish(
        session,
        ledger_id,
        outcome=outcome,
        unit_id=unit.id if unit else None,
        note=note,
        notices=queued,
        files=_ledger_files(outcomes),
    )
    stored = sum(o.result.stored for o in outcomes if o.result)
    return Answered(outcome, unit.code if unit else None, queued, stored, note)
