"""Notices drafted from the database and queued in the outbox, on SQLite and on PostgreSQL.

The call for proposals to the 34 units of the bundled Vĩnh Linh 2024 cycle, the receipts for
its bundled initiatives file, the workbooks a call names, and what queuing stores.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit
from models.db import Notice
from models.imports import import_file, import_kind
from notifications.mail.outbox import NoticeDraft, queue_notices
from notifications.notices.attachments import resolve_attachments
from notifications.notices.drafting import call_for_proposals, receipts
from tests.conftest import TODAY, VINH_LINH_DATA, write_csv

DOMAIN = "sangkien.example"
CALL_SUBJECT = "Ủy ban nhân dân huyện Vĩnh Linh: đề nghị đề xuất sáng kiến cải cách hành chính năm 2024"


def roster() -> dict[str, dict[str, str]]:
    """The bundled roster by unit code."""
    with (VINH_LINH_DATA / "units.csv").open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def codes_by_id(session: Session) -> dict[int, str]:
    """Unit id → code."""
    return {row.id: row.code for row in session.execute(select(Unit.id, Unit.code))}


def by_code(session: Session, drafts: list[NoticeDraft]) -> dict[str, NoticeDraft]:
    """The drafts keyed by their unit's code (one per unit, or this fails)."""
    codes = codes_by_id(session)
    keyed = {codes[d.unit_id]: d for d in drafts if d.unit_id is not None}
    assert len(keyed) == len(drafts)
    return keyed


def test_the_call_goes_to_every_unit_once_at_its_address(session: Session, cycle: Cycle) -> None:
    """34 drafts, one per enrolled unit, to the roster's e-mail, greeting the unit by name."""
    drafts = call_for_proposals(session, cycle)
    assert len(drafts) == 34
    units = roster()
    keyed = by_code(session, drafts)
    assert set(keyed) == set(units)
    for code, item in keyed.items():
        assert item.recipient == units[code]["email"]
        assert item.recipient_name == units[code]["name"]
        assert (item.kind, item.milestone, item.cycle_id) == ("call_for_proposals", "open", cycle.id)
        assert item.subject == CALL_SUBJECT
        assert item.text.startswith(f"Kính gửi: {units[code]['name']}\n")
        assert "chậm nhất ngày 31/08/2024" in item.text
    assert len({d.dedupe_key for d in drafts}) == 34


def test_the_office_and_communes_get_two_workbooks_the_others_one(session: Session, cycle: Cycle) -> None:
    """The Office and the 18 communes owe the replication report: its workbook comes too; every
    unit gets the report outline first (with the replication section for those 19)."""
    keyed = by_code(session, call_for_proposals(session, cycle))
    kinds = {code: [spec["kind"] for spec in d.attachments] for code, d in keyed.items()}
    units = roster()
    replicating = {code for code, row in units.items() if row["kind"] in ("office", "commune")}
    assert len(replicating) == 19
    assert {
        code for code, k in kinds.items() if k == ["outline", "initiatives", "replication"]
    } == replicating
    assert {code for code, k in kinds.items() if k == ["outline", "initiatives"]} == set(units) - replicating
    assert {code for code, d in keyed.items() if d.attachments[0]["replicates"]} == replicating
    assert [s["filename"] for s in keyed["19426"].attachments] == [
        "de-cuong-bao-cao-sang-kien-2024.docx",
        "de-xuat-sang-kien-2024-19426.xlsx",
        "bao-cao-nhan-rong-2024-19426.xlsx",
    ]
    assert [s["filename"] for s in keyed["VL-TP"].attachments] == [
        "de-cuong-bao-cao-sang-kien-2024.docx",
        "de-xuat-sang-kien-2024-VL-TP.xlsx",
    ]
    assert (
        "de-cuong-bao-cao-sang-kien-2024.docx, de-xuat-sang-kien-2024-19426.xlsx, "
        "bao-cao-nhan-rong-2024-19426.xlsx" in keyed["19426"].text
    )


def test_an_agency_is_not_asked_for_the_replication_report_it_does_not_owe(
    session: Session, cycle: Cycle
) -> None:
    """Like the seed letter (item 2: the Office and the communes only), an agency's call omits it."""
    keyed = by_code(session, call_for_proposals(session, cycle))
    assert "05 sáng kiến được chọn nhân rộng tại Bộ phận Một cửa" in keyed["19426"].text
    assert "05 sáng kiến được chọn nhân rộng tại Bộ phận Một cửa" in keyed["VL-VP"].text
    for code in ("VL-TP", "VL-TTVHTT"):
        assert "nhân rộng tại Bộ phận Một cửa" not in keyed[code].text, code
        assert "NR01" not in keyed[code].text, code


def test_the_workbooks_a_call_names_are_built_and_open(session: Session, cycle: Cycle) -> None:
    """resolve_attachments makes each named file: the unit's code and the cycle's NR01…NR05."""
    keyed = by_code(session, call_for_proposals(session, cycle))
    files = resolve_attachments(session, keyed["19426"].attachments)
    assert [f.filename for f in files] == [s["filename"] for s in keyed["19426"].attachments]
    proposals = load_workbook(io.BytesIO(files[1].content)).worksheets[0]
    assert [c.value for c in proposals[1]] == list(import_kind("initiatives").columns.values())
    assert proposals["A2"].value == "19426"
    replication = load_workbook(io.BytesIO(files[2].content)).worksheets[0]
    assert [c.value for c in replication[1]] == list(import_kind("replication").columns.values())
    rows = [(r[0], r[1]) for r in replication.iter_rows(min_row=2, max_col=2, values_only=True)]
    assert rows == [("19426", f"NR0{n}") for n in range(1, 6)]
    assert [f.filename for f in resolve_attachments(session, keyed["VL-TP"].attachments)] == [
        "de-cuong-bao-cao-sang-kien-2024.docx",
        "de-xuat-sang-kien-2024-VL-TP.xlsx",
    ]


def _import_bundled_initiatives(session: Session, cycle: Cycle) -> list[NoticeDraft]:
    """Import the bundled initiatives file as received on 31/12/2024; its receipts."""
    path = VINH_LINH_DATA / "initiatives.csv"
    result = import_file(session, cycle, path, "initiatives", today=TODAY, actor="test")
    assert result.stored == 40
    return receipts(session, cycle, "initiatives", result.stored_ids)


def test_an_import_gives_one_receipt_per_unit(session: Session, cycle: Cycle) -> None:
    """40 initiatives from 30 units: 30 receipts, each listing that unit's titles."""
    drafts = _import_bundled_initiatives(session, cycle)
    assert len(drafts) == 30
    with (VINH_LINH_DATA / "initiatives.csv").open(encoding="utf-8") as handle:
        sent = list(csv.DictReader(handle))
    keyed = by_code(session, drafts)
    assert set(keyed) == {row["unit_code"] for row in sent}
    units = roster()
    for code, item in keyed.items():
        assert item.kind == "receipt"
        assert item.milestone.startswith("initiatives-")
        assert item.recipient == units[code]["email"]
        assert item.subject == f"Xác nhận đã nhận đề xuất sáng kiến của {units[code]['name']}"
        for row in sent:
            if row["unit_code"] == code:
                assert row["title"] in item.text
    titles = Counter(row["unit_code"] for row in sent)
    assert titles["VL-NV"] == 2


M = "31/08/2024 (do trùng ngày nghỉ lễ Quốc khánh, thời hạn được tính đến hết ngày 04/9/2024)"


def test_a_late_unit_is_told_how_late_and_an_on_time_one_that_it_was_on_time(
    session: Session, cycle: Cycle
) -> None:
    """Vĩnh Ô sent on 09/09/2024 for 31/08/2024, moved to 04/09 by the National Day break: 'chậm 05
    ngày', with the reason it moved; Phòng Nội vụ: 'đúng hạn'."""
    keyed = by_code(session, _import_bundled_initiatives(session, cycle))
    late = keyed["19426"]
    assert "gửi ngày 09/09/2024" in late.text
    assert f"Hồ sơ được gửi chậm 05 ngày so với thời hạn (ngày {M})" in late.text
    assert "<strong>chậm 05 ngày so với thời hạn</strong>" in late.html
    on_time = keyed["VL-NV"]
    assert f"Hồ sơ được gửi đúng hạn (thời hạn: ngày {M})." in on_time.text
    assert "trễ" not in on_time.text


def test_queuing_the_receipts_twice_stores_them_once(session: Session, cycle: Cycle) -> None:
    """The second queue_notices adds nothing: 30 notices, each queued with its own Message-ID."""
    drafts = _import_bundled_initiatives(session, cycle)
    assert queue_notices(session, drafts, DOMAIN) == 30
    assert queue_notices(session, drafts, DOMAIN) == 0
    assert session.scalar(select(func.count(Notice.id))) == 30
    notices = session.scalars(select(Notice)).all()
    assert {n.state for n in notices} == {"queued"}
    assert {n.last_error for n in notices} == {None}
    assert len({n.message_id for n in notices}) == 30
    assert all(n.message_id.startswith("<") and n.message_id.endswith(f"@{DOMAIN}>") for n in notices)


def test_queued_calls_keep_their_text_and_attachment_specs(session: Session, cycle: Cycle) -> None:
    """What the outbox stores is what was drafted: subject, both bodies, the workbooks to attach."""
    drafts = call_for_proposals(session, cycle)
    assert queue_notices(session, drafts, DOMAIN) == 34
    assert queue_notices(session, call_for_proposals(session, cycle), DOMAIN) == 0
    stored = {n.unit_id: n for n in session.scalars(select(Notice))}
    assert len(stored) == 34
    for item in drafts:
        row = stored[item.unit_id]
        assert (row.subject, row.body_text, row.body_html) == (item.subject, item.text, item.html)
        assert (row.recipient, row.recipient_name) == (item.recipient, item.recipient_name)
        assert row.attachments == item.attachments
        assert row.state == "queued"


def test_a_unit_without_an_address_gets_a_failed_notice_saying_why(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A unit added without e-mail: its call is stored as failed, naming the missing address."""
    units = write_csv(
        tmp_path / "don-vi-moi.csv",
        "code,name,kind,email",
        "VL-CNTT,Trung tâm Chuyển đổi số,public_service_unit,",
    )
    import_file(session, cycle, units, "units", today=TODAY, actor="test")
    drafts = call_for_proposals(session, cycle)
    assert len(drafts) == 35
    assert queue_notices(session, drafts, DOMAIN) == 35
    codes = codes_by_id(session)
    states = {
        codes[n.unit_id]: (n.state, n.recipient, n.last_error)
        for n in session.scalars(select(Notice))
        if n.unit_id is not None
    }
    state, recipient, error = states.pop("VL-CNTT")
    assert (state, recipient) == ("failed", None)
    assert error is not None
    assert "chưa có địa chỉ thư điện tử" in error
    assert {s for s, _r, _e in states.values()} == {"queued"}
