"""The bundled 2024 year brought to its end for document tests: submissions, sheets, scores, decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from models.config import load_cycle_config
from models.imports import import_file
from models.recognition import Approval, record_decision
from models.scoring import compute_lines, store_lines
from models.synthetic import council_sheets
from models.tables import Cycle
from models.tally import tally
from tests.conftest import VINH_LINH, VINH_LINH_DATA

YEAR_END = date(2024, 12, 31)
DECIDED_ON = date(2024, 12, 20)


def complete_year(session: Session, cycle: Cycle, folder: Path) -> Cycle:
    """Import the bundled submissions, the council's sheets, fold scores and record the decision."""
    for kind in ("initiatives", "reports", "replication"):
        import_file(session, cycle, VINH_LINH_DATA / f"{kind}.csv", kind, today=YEAR_END, actor="test")
    sheets = council_sheets(session, cycle, folder / "sheets.csv")
    import_file(session, cycle, sheets, "reviews", today=YEAR_END, actor="test")
    signer = load_cycle_config(VINH_LINH).signers["decision"]
    approval = Approval("05/QĐ-UBND", DECIDED_ON, signer.name, signer.title)
    record_decision(session, cycle, tally(session, cycle), approval, "test")
    store_lines(session, cycle, compute_lines(session, cycle, YEAR_END), "test")
    return cycle
