"""Import entry points: open a cycle from its configuration file, import any kind of file.

These are the plain functions the CLI and the Prefect tasks call; each runs inside the caller's
session and stores all of a file or nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.cycle.config import load_cycle_config
from models.cycle.cycles import open_cycle
from models.cycle.tables import Cycle
from models.errors import ImportRejected, RowError
from models.intake.reading import SourceRow, read_rows
from models.intake.schemas import InitiativeIn, ReplicationIn, ReportIn, ReviewIn, UnitIn
from models.intake.store import store_initiatives, store_replication, store_reports
from models.intake.units import IntakeResult, upsert_units
from models.intake.validation import parse_rows, required_columns
from models.review.sheets import store_reviews
from models.text import parse_date

IMPORT_KINDS: dict[str, type[BaseModel]] = {
    "units": UnitIn,
    "initiatives": InitiativeIn,
    "reports": ReportIn,
    "replication": ReplicationIn,
    "reviews": ReviewIn,
}


def _sent_by(row: SourceRow, until: date) -> bool:
    try:
        return parse_date(row.cells.get("submitted_on", until)) <= until
    except ValueError:
        return True  # validation will name the bad date


def import_file(
    session: Session, cycle: Cycle, path: Path, kind: str, *, today: date, actor: str, replay: bool = False
) -> IntakeResult:
    """Read, validate and store one file of ``kind``; raises ``ImportRejected`` with every error.

    ``replay`` takes only the rows dated on or before ``today`` (a year replayed day by day).
    """
    rows = read_rows(path, kind, required_columns(IMPORT_KINDS[kind]))
    if replay:
        rows = [row for row in rows if _sent_by(row, today)]
    name, errors = path.name, list[RowError]()
    if kind == "units":
        return upsert_units(session, cycle, parse_rows(rows, UnitIn, name, errors), name, actor, errors)
    if kind == "initiatives":
        items = parse_rows(rows, InitiativeIn, name, errors)
        return store_initiatives(session, cycle, items, name, today, actor, errors)
    if kind == "reports":
        return store_reports(
            session, cycle, parse_rows(rows, ReportIn, name, errors), name, today, actor, errors
        )
    if kind == "replication":
        items_r = parse_rows(rows, ReplicationIn, name, errors)
        return store_replication(session, cycle, items_r, name, today, actor, errors)
    return store_reviews(session, cycle, parse_rows(rows, ReviewIn, name, errors), name, actor, errors)


def open_cycle_from_file(
    session: Session, config_path: Path, *, actor: str
) -> tuple[Cycle, bool, IntakeResult]:
    """Open (or refresh) the cycle of a configuration file and load its roster."""
    config = load_cycle_config(config_path)
    cycle, created = open_cycle(session, config, actor)
    try:
        result = import_file(session, cycle, config.roster, "units", today=config.opens_on, actor=actor)
    except ImportRejected as exc:
        if not config.roster.exists():
            raise ImportRejected(
                [RowError(str(config_path), 1, "roster", (f"không có tệp danh sách đơn vị {config.roster}"))]
            ) from exc
        raise
    return cycle, created, result
