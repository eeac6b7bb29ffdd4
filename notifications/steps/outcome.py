"""Steps ``fold``, ``recognize`` and ``report``: scores folded with their reasons, the chair's
decision recorded once and rendered, the year's report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.errors import InvalidInput
from models.reporting import Line, compute_lines, store_lines
from models.review import Approval, Decision, existing_decision, record_decision, tally
from notifications.documents.files import DocumentFiles
from notifications.documents.render import render_certificates, render_decision, render_district_report
from notifications.mail.outbox import queue_notices
from notifications.notices.outcome import certificate_notices, decision_notices, score_notices
from notifications.steps.context import StepContext


@dataclass(frozen=True, slots=True)
class Folded:
    """Score lines computed, created and changed, and the score notices queued."""

    lines: list[Line]
    created: int
    changed: int
    notices: int


def fold_step(session: Session, cycle: Cycle, as_of: date, ctx: StepContext) -> Folded:
    """Fold every unit's scores at ``as_of`` (set-based), store lines whose points or reasons
    changed (audited), queue each unit's notice of its lines (a changed set makes a new one)."""
    lines = compute_lines(session, cycle, as_of)
    created, changed = store_lines(session, cycle, lines, ctx.actor)
    notices = queue_notices(session, score_notices(session, cycle, lines), ctx.domain)
    return Folded(lines, created, changed, notices)


@dataclass(frozen=True, slots=True)
class Recognized:
    """The cycle's decision, whether this run made it, its notices and its files."""

    decision: Decision
    new: bool
    notices: int
    files: DocumentFiles
    certificates: int = 0  # one per author of the recognized initiatives


def recognize_step(session: Session, cycle: Cycle, approval: Approval | None, ctx: StepContext) -> Recognized:
    """Record the chair's decision (once per cycle; without ``approval``, the one recorded),
    render it with its annex and queue the notices to the units (each once)."""
    results = tally(session, cycle)
    found = existing_decision(session, cycle)
    if found is not None:
        decision, new = found, False
    elif approval is None:
        raise InvalidInput(f"chu kỳ {cycle.year} chưa có quyết định công nhận và chưa được phê duyệt")
    else:
        decision, new = record_decision(session, cycle, results, approval, ctx.actor)
    notices = queue_notices(session, decision_notices(session, cycle, results, decision), ctx.domain)
    files = render_decision(session, cycle, decision, ctx.folder(cycle.year))
    certificates = render_certificates(session, cycle, decision, ctx.folder(cycle.year))
    notices += queue_notices(session, certificate_notices(session, cycle, decision, certificates), ctx.domain)
    return Recognized(decision, new, notices, files, len(certificates))


def report_step(session: Session, cycle: Cycle, as_of: date, ctx: StepContext) -> DocumentFiles:
    """The authority's report of the year, written under the cycle's folder."""
    return render_district_report(session, cycle, as_of, ctx.folder(cycle.year))
