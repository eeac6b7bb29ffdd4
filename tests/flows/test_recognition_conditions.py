"""Recognition through the flows, as the rules have it: an initiative that was never applied, or
first applied outside the cycle file's window, goes to the council marked and never reaches the
decision (the minutes and the unit's notice say why); every author of a recognized initiative
gets one certificate, and an author with an e-mail receives it, once."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from docx import Document
from sqlalchemy import select

from flows.recognize_initiatives import recognize_initiatives
from models.cycle import Cycle
from models.db import session_scope
from models.intake import Initiative, InitiativeAuthor
from models.review import Decision
from notifications.documents.render import render_kind
from tests.conftest import VINH_LINH_DATA
from tests.flows.conftest import World
from tests.flows.test_flows import _approve_in_background

UNAPPLIED = "Nhóm Zalo hỗ trợ nghiệp vụ hộ tịch, chứng thực cho công chức Tư pháp - Hộ tịch cấp xã"
OUTSIDE = "Tiếp nhận hồ sơ theo lịch hẹn ngoài giờ cho công nhân cao su"


def _initiatives_with_two_failing(folder: Path) -> Path:
    """The bundled initiatives, one with no first application date, one first applied in 2021."""
    with (VINH_LINH_DATA / "initiatives.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    titles = {r["title"] for r in rows}
    assert {UNAPPLIED, OUTSIDE} <= titles
    for row in rows:
        if row["title"] == UNAPPLIED:
            row["first_applied_on"] = ""
        if row["title"] == OUTSIDE:
            row["first_applied_on"] = "2021-05-04"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = folder / "initiatives.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _year_to_recognition(world: World, initiatives: Path) -> None:
    from flows.import_submissions import import_submissions
    from flows.open_cycle import open_cycle
    from flows.review_initiatives import review_initiatives
    from tasks.outcome_tasks import simulate_sheets_task

    ref = open_cycle()
    import_submissions(2024, world.intake(initiatives), "initiatives", date(2024, 12, 1))
    review_initiatives(2024, date(2024, 11, 1), simulate_sheets_task(ref.id))


def _text(message: object) -> str:
    body = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    return str(body.get_content())


def test_unapplied_initiatives_never_reach_the_decision_and_authors_get_their_certificate(
    world: World, tmp_path: Path
) -> None:
    _year_to_recognition(world, _initiatives_with_two_failing(tmp_path))
    before = len(world.recorder.messages)
    approver = _approve_in_background()
    summary = recognize_initiatives(2024)
    approver.join(timeout=5)
    assert summary is not None
    assert summary.new

    with session_scope(world.engine) as session:
        ids = {
            title: initiative_id
            for initiative_id, title in session.execute(select(Initiative.id, Initiative.title)).tuples()
        }
        decision = session.scalars(select(Decision)).one()
        assert ids[UNAPPLIED] not in decision.initiative_ids
        assert ids[OUTSIDE] not in decision.initiative_ids
        assert decision.initiative_ids, "the others are still recognized"
        query = select(Initiative.title, Initiative.recognition_status)
        statuses = dict(session.execute(query).tuples().all())
        assert statuses[UNAPPLIED] == statuses[OUTSIDE] == "not_recognized"
        authors = session.execute(
            select(InitiativeAuthor.name, InitiativeAuthor.email).where(
                InitiativeAuthor.initiative_id.in_(decision.initiative_ids)
            )
        ).all()
        cycle = session.scalars(select(Cycle)).one()
        minutes = render_kind(session, cycle, "minutes", date(2024, 12, 10), tmp_path)
        annex = render_kind(session, cycle, "decision", decision.issued_on, tmp_path)

    # The minutes say which initiatives fail a condition, and why.
    words = "\n".join(p.text for p in Document(str(minutes.docx)).paragraphs)
    assert (
        f"Sáng kiến “{UNAPPLIED}” của Phòng Tư pháp không đủ điều kiện công nhận: "
        "chưa có ngày áp dụng lần đầu" in words
    )
    assert (
        f"Sáng kiến “{OUTSIDE}” của UBND thị trấn Bến Quan không đủ điều kiện công nhận: "
        "ngày áp dụng lần đầu "
        "04/05/2021 ngoài thời gian xét (từ 01/01/2023 đến 31/12/2024)"
    ) in words
    tally_cells = {c.text for t in Document(str(minutes.docx)).tables for r in t.rows for c in r.cells}
    assert "Không đủ điều kiện công nhận" in tally_cells
    annex_cells = " ".join(c.text for t in Document(str(annex.docx)).tables for r in t.rows for c in r.cells)
    assert UNAPPLIED not in annex_cells
    assert OUTSIDE not in annex_cells

    messages = world.recorder.messages[before:]
    # The units' notices say why.
    unapplied = [m for m in messages if UNAPPLIED[:60] in str(m["Subject"])]
    assert len(unapplied) == 1
    assert "không đủ điều kiện công nhận năm 2024" in _text(unapplied[0])
    assert "chưa có ngày áp dụng lần đầu" in _text(unapplied[0])
    outside = [m for m in messages if OUTSIDE[:60] in str(m["Subject"])]
    assert len(outside) == 1
    assert "ngoài thời gian xét" in _text(outside[0])

    # One certificate per recognized author; one e-mail with it to each who has an address.
    certificates = sorted((world.data_dir / "out" / "2024").glob("giay-chung-nhan-sang-kien-2024-*.docx"))
    assert len(certificates) == len(authors)
    with_email = {email: name for name, email in authors if email}
    assert with_email, "the bundled year gives some authors an e-mail"
    to_authors = [m for m in messages if str(m["To"]).split("<")[-1].rstrip(">") in with_email]
    assert len(to_authors) == len(with_email)
    for message in to_authors:
        address = str(message["To"]).split("<")[-1].rstrip(">")
        (attached,) = list(message.iter_attachments())
        assert str(attached.get_filename()).startswith("giay-chung-nhan-sang-kien-2024-")
        paragraphs = [p.text for p in Document(io.BytesIO(attached.get_content())).paragraphs]
        assert f"Ông (Bà): {with_email[address]}" in paragraphs
        assert "GIẤY CHỨNG NHẬN SÁNG KIẾN" in paragraphs

    # Run again: nothing new is sent, no certificate twice.
    sent = len(world.recorder.messages)
    again = recognize_initiatives(2024)
    assert again is not None
    assert (again.new, again.notices) == (False, 0)
    assert len(world.recorder.messages) == sent
    assert set(world.recorder.message_ids().values()) == {1}
