"""The escalation letter goes with the escalations from the document store, not from the disk of
the machine whose sweep wrote it: a deliverer on another worker has no such file.

A synthetic province's year is swept up to its escalation day; the folder the sweep wrote the
letter into is then removed, and the notices are delivered to a real aiosmtpd server. Every
escalation carries the letter, byte for byte the stored document.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from sqlalchemy import Engine, select

from deployments.synthetic import SyntheticShape, generate
from models.cycle import load_cycle_config
from models.db import Notice, StoredDocument, session_scope
from models.imports import import_file, open_cycle_from_file
from models.settings import Settings
from models.tracking import key_days
from notifications.mail.delivery import deliver_notices
from notifications.steps import StepContext, sweep_step
from tests.notifications.conftest import smtp_at
from tests.notifications.smtp_servers import Recorder, smtp_server


def _swept_to_escalation(engine: Engine, tmp_path: Path) -> tuple[Path, str]:
    """Sweep the key days until one writes the letter; the folder it wrote to, and the letter's
    file name."""
    config_path = generate(tmp_path / "province", SyntheticShape(units=30))
    ctx = StepContext("test:letter", Settings(data_dir=tmp_path / "var"))
    with session_scope(engine) as session:
        cycle, _created, _roster = open_cycle_from_file(session, config_path, actor="test")
        days = key_days(load_cycle_config(config_path))
        initiatives = config_path.parent / "initiatives.csv"
        import_file(session, cycle, initiatives, "initiatives", today=days[-1], actor="test")
        for day in days:
            swept = sweep_step(session, cycle, day, ctx)
            if swept.letter is not None:
                return ctx.folder(cycle.year), swept.letter.files.docx.name
    raise AssertionError("no key day escalated anybody")


def test_escalations_carry_the_stored_letter_when_its_file_is_gone(engine: Engine, tmp_path: Path) -> None:
    folder, name = _swept_to_escalation(engine, tmp_path)
    shutil.rmtree(folder)  # the sweep ran on another machine
    with session_scope(engine) as session:
        stored = session.scalars(select(StoredDocument).where(StoredDocument.file_name == name)).one()
        letter = stored.content
        escalations = session.scalars(select(Notice.message_id).where(Notice.kind == "escalation")).all()
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = asyncio.run(deliver_notices(engine, smtp_at(port)))
    assert report.failed == report.released == 0
    by_id = {str(m["Message-ID"]): m for m in recorder.messages}
    assert escalations
    assert set(escalations) <= set(by_id)
    for message_id in escalations:
        files = {part.get_filename(): part.get_content() for part in by_id[message_id].iter_attachments()}
        assert files[name] == letter
