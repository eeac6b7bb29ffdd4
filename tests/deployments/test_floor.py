"""The benchmark's floor does the flow's work: the same steps in the same order, so an escalation
day writes the escalation letter there too, numbered once, attached to the day's escalations."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from deployments.benchmarks.floor import decided_on, replay_year
from deployments.synthetic import SyntheticShape, generate
from models.cycle import DocumentNumber, load_cycle_config
from models.db import Notice, make_engine, session_scope, upgrade
from models.review import Approval
from models.settings import Settings
from notifications.steps import StepContext


def test_the_floor_writes_the_escalation_letter_on_its_escalation_day(tmp_path: Path) -> None:
    """A 40-unit synthetic year: one escalation day, one letter, every escalation carrying it."""
    config = generate(tmp_path / "cycle", SyntheticShape(units=40, year=2025))
    engine = make_engine(f"sqlite:///{tmp_path / 'floor.sqlite3'}")
    upgrade(engine)
    signer = load_cycle_config(config).signers["decision"]
    approval = Approval("01/QĐ-UBND", decided_on(config), signer.name, signer.title)
    ctx = StepContext("test:floor", Settings(data_dir=tmp_path / "var"))
    swept = replay_year(engine, config, approval, ctx)
    letters = [s for s in swept if s.letter is not None]
    assert len(letters) == 1
    day = letters[0]
    assert day.escalated
    assert day.letter is not None
    assert day.letter.files.docx.is_file()
    with session_scope(engine) as session:
        numbered = session.scalar(
            select(func.count())
            .select_from(DocumentNumber)
            .where(DocumentNumber.document_key.like("escalation-%"))
        )
        attached = session.scalars(select(Notice.attachments).where(Notice.kind == "escalation")).all()
    assert numbered == 0  # numbering.mode = "blank" by default: the records clerk numbers it
    assert len(attached) == len(day.escalated)
    assert all(a[0]["filename"] == day.letter.files.docx.name for a in attached)
    assert all(a[1]["filename"] == "de-cuong-bao-cao-sang-kien-2025.docx" for a in attached)
    engine.dispose()
