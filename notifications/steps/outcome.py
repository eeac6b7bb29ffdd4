"""Steps ``fold``, ``recognize`` and ``report``: scores folded with their reasons, the chair's
decision recorded once and rendered, the year's report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import Cycle, DocumentNumber, cycle_units
from models.cycle.numbering import format_number
from models.db import document_url, store_document
from models.errors import InvalidInput
from models.reporting import Line, compute_lines, store_lines
from models.review import Approval, Decision, existing_decision, record_decision, tally
from models.review.chair import Candidate, ChairContext
from notifications.documents.files import DocumentFiles
from notifications.documents.kinds import DocumentKind
from notifications.documents.proposal import MINUTES_KEY
from notifications.documents.render import (
    render_certificates,
    render_decision,
    render_district_report,
    render_kind,
)
from notifications.mail.outbox import queue_notices
from notifications.notices.outcome import certificate_notices, decision_notices, score_notices
from notifications.steps.context import StepContext
from notifications.templating import so


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


def document_reference(session: Session, cycle: Cycle, kind: str, files: DocumentFiles, base_url: str) -> str:
    """How the chair's form names a document: a Markdown link to its .docx, stored in the database
    and opened by the documents service wherever the run's worker was."""
    stored = store_document(session, cycle.id, kind, files.docx.name, files.docx.read_bytes())
    return f"[{files.docx.name}]({document_url(base_url, stored)})"


def _written(session: Session, cycle: Cycle, kind: str, as_of: date, ctx: StepContext) -> str:
    """The document written and linked for the form; one that cannot be drawn (a council without
    a secretary has no minutes) is named with the reason, and the chair still decides."""
    try:
        files = render_kind(session, cycle, kind, as_of, ctx.folder(cycle.year))
    except InvalidInput as exc:
        return f"chưa lập được ({exc.message})"
    return document_reference(session, cycle, kind, files, ctx.settings.documents.url)


def propose_step(session: Session, cycle: Cycle, as_of: date, today: date, ctx: StepContext) -> ChairContext:
    """The minutes and the Tờ trình of ``as_of`` written (each numbered once), and what the
    chair's form shows: the council's recommendation, the dates and the decision series."""
    config = cycle.configuration
    minutes, proposal = (
        _written(session, cycle, kind, as_of, ctx) for kind in (DocumentKind.MINUTES, DocumentKind.PROPOSAL)
    )
    names = {code: unit.name for code, unit in cycle_units(session, cycle.id).items()}
    candidates = tuple(
        Candidate(
            initiative_id=t.initiative_id,
            title=t.title,
            unit=names.get(t.unit_code, t.unit_code),
            points=so(t.mean_total),
            votes=f"{t.approvals}/{t.eligible} đồng ý",
            recommended=t.outcome == "recognized",
        )
        for t in tally(session, cycle)
        if t.outcome in ("recognized", "not_recognized")
    )
    numbers = session.execute(
        select(
            DocumentNumber.issuer,
            DocumentNumber.sequence,
            DocumentNumber.document_key,
            DocumentNumber.issued_on,
        ).where(DocumentNumber.authority_id == cycle.authority_id, DocumentNumber.year == cycle.year)
    ).all()
    met = [
        r.issued_on
        for r in numbers
        if r.document_key == MINUTES_KEY and r.issuer == config.numbering.minutes_suffix
    ]
    signer = config.signers["decision"]
    return ChairContext(
        year=cycle.year,
        candidates=candidates,
        review_ended_on=max([config.deadlines.last, *met]),
        today=today,
        decision_suffix=config.numbering.decision_suffix,
        taken_numbers=tuple(
            format_number(r.sequence, r.issuer)
            for r in numbers
            if r.issuer == config.numbering.decision_suffix
        ),
        signer_name=signer.name,
        signer_title=signer.title,
        minutes=minutes,
        proposal=proposal,
    )


def report_step(session: Session, cycle: Cycle, as_of: date, ctx: StepContext) -> DocumentFiles:
    """The authority's report of the year, written under the cycle's folder."""
    return render_district_report(session, cycle, as_of, ctx.folder(cycle.year))
