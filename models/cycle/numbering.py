"""Official document numbers: per issuer and year from the configured start (01), stored once.

A document is known by its key within the cycle (``escalation-2024-10-08``, ``minutes``); asking
again for the same key returns the number and date it already has, so rendering twice never takes
a second number. Numbers are written as Decree 30/2020 wants: ``07/UBND-NV`` (a leading zero
below 10, no spaces).

Numbers are taken under a row lock on the series' counter (``document_series``), held until the
transaction ends: two sweeps issuing letters at once wait for each other, and the second, once it
holds the lock, sees what the first committed (PostgreSQL's read committed takes a new snapshot
per statement). So it takes the next number, or finds its document already numbered, and never
fails on the unique sequence. SQLite has one writer at a time, which serializes the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.cycle.config import CycleConfig
from models.cycle.tables import Cycle, DocumentNumber, DocumentSeries


@dataclass(frozen=True, slots=True)
class Numbered:
    """A document's number and the date it was issued on."""

    number: str
    issued_on: date
    new: bool


def format_number(sequence: int, issuer: str) -> str:
    """``07/UBND-NV``: two digits at least, then the issuer's suffix."""
    return f"{sequence:02d}/{issuer}"


def lock_series(session: Session, cycle: Cycle, issuer: str, year: int) -> int:
    """Lock the counter of ``issuer``'s numbers in ``year`` until the transaction ends; the last
    number taken (the configured start minus one when none was). Creates the counter once, from
    the numbers already given (a database numbered before the counter existed)."""
    taken = session.scalar(
        select(func.max(DocumentNumber.sequence)).where(
            DocumentNumber.authority_id == cycle.authority_id,
            DocumentNumber.issuer == issuer,
            DocumentNumber.year == year,
        )
    )
    start = CycleConfig.model_validate(cycle.config).numbering.start
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(DocumentSeries)
        .values(
            authority_id=cycle.authority_id,
            issuer=issuer,
            year=year,
            last_sequence=start - 1 if taken is None else taken,
        )
        .on_conflict_do_nothing()
    )
    last = session.scalar(
        select(DocumentSeries.last_sequence)
        .where(
            DocumentSeries.authority_id == cycle.authority_id,
            DocumentSeries.issuer == issuer,
            DocumentSeries.year == year,
        )
        .with_for_update()
    )
    if last is None:  # the row was just inserted or found; a cascade delete cannot race a lock
        raise RuntimeError(f"document series {issuer} {year} vanished")
    return last


def _numbered(session: Session, cycle: Cycle, key: str) -> Numbered | None:
    found = session.scalar(
        select(DocumentNumber).where(DocumentNumber.cycle_id == cycle.id, DocumentNumber.document_key == key)
    )
    if found is None:
        return None
    return Numbered(format_number(found.sequence, found.issuer), found.issued_on, new=False)


def document_number(session: Session, cycle: Cycle, key: str, issuer: str, issued_on: date) -> Numbered:
    """The number of the document ``key`` of ``cycle``, taking the issuer's next one the first time.

    The year is the issue date's; the first number of a year is the configuration's ``start``.
    """
    found = _numbered(session, cycle, key)
    if found is not None:
        return found
    last = lock_series(session, cycle, issuer, issued_on.year)
    found = _numbered(session, cycle, key)  # numbered by a transaction we waited for
    if found is not None:
        return found
    start = CycleConfig.model_validate(cycle.config).numbering.start
    sequence = max(last + 1, start)
    session.execute(
        update(DocumentSeries)
        .where(
            DocumentSeries.authority_id == cycle.authority_id,
            DocumentSeries.issuer == issuer,
            DocumentSeries.year == issued_on.year,
        )
        .values(last_sequence=sequence)
    )
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
