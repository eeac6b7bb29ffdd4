"""Workbooks stamped from a template per unit: the same cells and identity as a workbook built
for that unit, for any code (XML's special characters too), and each unit's own at the server."""

from __future__ import annotations

import asyncio
import io

from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.cycle import Cycle
from models.db import session_scope
from models.intake import SUBMISSIONS, WorkbookIdentity
from models.intake.containers import workbook_identity
from notifications.mail.delivery import deliver_notices
from notifications.mail.outbox import queue_notices
from notifications.notices.attachments import SendCache
from notifications.notices.drafting import call_for_proposals
from notifications.sheets.workbooks import submission_workbook
from tests.notifications.conftest import DOMAIN, smtp_at
from tests.notifications.inbox_world import opened
from tests.notifications.smtp_servers import Recorder, smtp_server

assert opened  # the fixture (the bundled cycle and its 34 units, committed)


def _cells(content: bytes) -> list[list[object]]:
    book = load_workbook(io.BytesIO(content))
    return [[cell.value for cell in row] for sheet in book.worksheets for row in sheet.iter_rows()]


def test_a_stamped_workbook_is_the_one_built_for_the_unit(session: Session, cycle: Cycle) -> None:
    """Every kind, codes with & < > and quotes: same cells, same identity properties."""
    cache = SendCache()
    for kind in ("initiatives", "replication"):
        workbook = SUBMISSIONS[kind].workbook
        assert workbook is not None
        for code in ("19426", 'VL-"A&B"<1>'):
            rows, notes = workbook.rows(session, cycle.id, code)
            identity = WorkbookIdentity(kind, cycle.year, cycle.authority.code, code)
            built = submission_workbook(SUBMISSIONS[kind], workbook.sheet, rows, notes, identity)
            stamped = cache.template(session, kind, cycle.id).for_unit(code)
            assert _cells(stamped) == _cells(built)
            assert workbook_identity(stamped) == identity
    assert len(cache.templates) == 2  # built once per kind, whatever the number of units


def test_each_unit_receives_its_own_workbooks(engine: Engine, opened: int) -> None:
    """The call for proposals to the 34 units over SMTP: each message's workbooks name its unit."""
    cycle_id = opened
    with session_scope(engine) as session:
        drafts = call_for_proposals(session, session.get_one(Cycle, cycle_id))
        # The outline comes first and names no unit; the workbooks name theirs.
        codes = {d.recipient: next(a["unit_code"] for a in d.attachments if "unit_code" in a) for d in drafts}
        queue_notices(session, drafts, DOMAIN)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        report = asyncio.run(deliver_notices(engine, smtp_at(port)))
    assert report.sent == len(codes) == 34
    for message in recorder.messages:
        files = [part for part in message.iter_attachments() if (part.get_filename() or "").endswith(".xlsx")]
        assert files
        for part in files:
            identity = workbook_identity(part.get_content())
            assert identity is not None
            assert identity.unit_code == codes[message["To"].addresses[0].addr_spec]
            assert identity.unit_code in (part.get_filename() or "")
