"""Document kinds: every official document the cycle produces, described once.

A kind has its Vietnamese label, its builder (which draws it from the database into an
``OfficialDocument``), the numbering series its issuer takes numbers from and who signs it. The
CLI's ``documents render`` choices, the samples and the guard test all come from ``DOCUMENTS``; a
kind registered later (``DOCUMENTS.registered``) is rendered the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.registry import Registry
from notifications.documents.annual_report import annual_report
from notifications.documents.certificate import certificate
from notifications.documents.council import council_minutes, recognition_decision
from notifications.documents.letters import escalation_letter
from notifications.documents.official import OfficialDocument
from notifications.documents.outline import report_outline
from notifications.documents.paper import Paper
from notifications.documents.proposal import recognition_proposal
from notifications.documents.unit_facts import unit_report


class DocumentKind(StrEnum):
    """The kinds of official document of a cycle."""

    ESCALATION = "escalation"
    UNIT_REPORT = "unit-report"
    MINUTES = "minutes"
    PROPOSAL = "proposal"
    DECISION = "decision"
    ANNUAL_REPORT = "annual-report"
    OUTLINE = "outline"
    CERTIFICATE = "certificate"


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """One kind of document."""

    code: str
    label: str  # "Công văn đôn đốc"
    builder: Callable[[Paper], OfficialDocument]
    series: str | None  # the ``[numbering]`` key of the issuer's suffix; None: numbered by others
    signer: str | None  # the ``[signers]`` key; None: signed by the unit or the council itself
    needs_unit: bool = False  # drawn for one unit (``--unit``)

    def paper(self, session: Session, cycle: Cycle, as_of: date, unit: str | None = None) -> Paper:
        """What its builder gets."""
        return Paper(session, cycle, as_of, unit, self.series, self.signer)


DOCUMENTS: Registry[DocumentSpec] = Registry(
    "document kind",
    (
        DocumentSpec(
            DocumentKind.ESCALATION, "Công văn đôn đốc", escalation_letter, "letter_suffix", "letter"
        ),
        DocumentSpec(
            DocumentKind.UNIT_REPORT, "Báo cáo của đơn vị", unit_report, None, None, needs_unit=True
        ),
        DocumentSpec(DocumentKind.MINUTES, "Biên bản họp Hội đồng", council_minutes, "minutes_suffix", None),
        DocumentSpec(
            DocumentKind.PROPOSAL, "Tờ trình đề nghị công nhận", recognition_proposal, "proposal_suffix", None
        ),
        DocumentSpec(DocumentKind.DECISION, "Quyết định công nhận", recognition_decision, None, "decision"),
        DocumentSpec(
            DocumentKind.ANNUAL_REPORT, "Báo cáo kết quả năm", annual_report, "report_suffix", "letter"
        ),
        # Attached to the call and the escalation, neither numbered nor signed.
        DocumentSpec(DocumentKind.OUTLINE, "Đề cương báo cáo", report_outline, None, None, needs_unit=True),
        # One per author of a recognized initiative, signed as the decision is.
        DocumentSpec(
            DocumentKind.CERTIFICATE,
            "Giấy chứng nhận sáng kiến",
            certificate,
            "certificate_suffix",
            "decision",
        ),
    ),
)
