"""Official document numbers: per issuer and year from the configured start (01), stored once.

A document is known by its key within the cycle (``escalation-2024-10-08``, ``minutes``); asking
again for the same key returns the number and date it already has, so rendering twice never takes
a second number. Numbers are written as Decree 30/2020 wants: ``07/UBND-NV`` (a leading zero
below 10, no spaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle.config import CycleConfig
from models.cycle.tables import Cycle, DocumentNumber


@dataclass(frozen=True, slots=True)
class Numbered:
    """A document's number and the date it was issued on."""

    number: str
    issued_on: date
    new: bool


def format_number(sequence: int, issuer: str) -> str:
    """``07/UBND-NV``: two digits at least, then the issuer's suffix."""
    return f"{sequence:02d}/{issuer}"


def document_number(session: Session, cycle: Cycle, key: str, issuer: str, issued_on: date) -> Numbered:
    """The number of the document ``key`` of ``cycle``, taking the issuer's next one the first time.

    The year is the issue date's; the first number of a year is the configuration's ``start``.
    """
    found = session.scalar(
        select(DocumentNumber).where(DocumentNumber.cycle_id == cycle.id, DocumentNumber.document_key == key)
    )
    if found is not None:
        return Numbered(format_number(found.sequence, found.issuer), found.issued_on, new=False)
    start = CycleConfig.model_validate(cycle.config).numbering.start
    last = session.scalar(
        select(func.max(DocumentNumber.sequence)).where(
            DocumentNumber.authority_id == cycle.authority_id,
            DocumentNumber.issuer == issuer,
            DocumentNumber.year == issued_on.year,
        )
    )
    sequence = start if last is None else last + 1
    session.add(
        DocumentNumber(
            authority_id=cycle.authority_id,
            cycle_id=cycle.id,
            issuer=issuer,
            year=issued_on.year,
            sequence=sequence,
            document_key=key,
            issued_on=issued_on,
        )
    )
    session.flush()
    return Numbered(format_number(sequence, issuer), issued_on, new=True)
