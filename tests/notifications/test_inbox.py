"""The mailbox collector against a real Dovecot, on SQLite and PostgreSQL: a unit's reply is
taken in once, answered once, threaded, and moved; bad and hostile replies are refused cleanly."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, func, select

from models.db import session_scope
from models.intake import Initiative
from models.settings import ImapSettings
from tests.mail_replies import JUNE, append, folders, reply
from tests.notifications.inbox_world import (
    TU_PHAP,
    VINH_O,
    VINH_THUY,
    collect,
    ledger,
    opened,
    outbox,
    proposal,
)

assert opened  # the fixture, imported for the tests below
DONE, REJECTED = "Sáng kiến.Đã xử lý", "Sáng kiến.Không tiếp nhận"


def initiatives(engine: Engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count(Initiative.id))) or 0


def test_a_filled_workbook_is_stored_receipted_in_its_thread_and_moved_once(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Vĩnh Thủy replies to the call with its workbook: one initiative stored, dated the day the
    server received the reply; one receipt to the sender, threaded; the reply in the done folder
    and kept with its digest; a second run finds nothing to do."""
    raw, message_id = reply(
        VINH_THUY[1], [("de-xuat-sang-kien-2024-19402.xlsx", proposal(engine, opened, VINH_THUY[0]))]
    )
    append(mailbox, [raw], JUNE)
    first = collect(engine, opened, mailbox)
    assert (first.outcomes, first.stored, first.notices, first.moved) == ({"stored": 1}, 1, 1, 1)
    with session_scope(engine) as session:
        stored = session.scalars(select(Initiative)).one()
        assert (str(stored.submitted_on), stored.days_late) == ("2024-06-10", 0)
    [receipt] = outbox(engine)
    assert (receipt.kind, receipt.recipient, receipt.unit) == ("receipt", VINH_THUY[1], "19402")
    assert receipt.subject == "Xác nhận đã nhận đề xuất sáng kiến của UBND xã Vĩnh Thủy"
    assert "Tra cứu hồ sơ hộ tịch bằng mã QR tại Bộ phận Một cửa" in receipt.text
    assert (receipt.in_reply_to, receipt.references) == (message_id, message_id)
    [row] = ledger(engine)
    assert (row.message_id, row.state, row.outcome, row.folder) == (
        message_id,
        "moved",
        "stored",
        mailbox.done_folder,
    )
    assert row.sha256 == hashlib.sha256(row.raw or b"").hexdigest()
    assert [(f.filename, f.kind, f.unit_code, f.outcome) for f in row.files] == [
        ("de-xuat-sang-kien-2024-19402.xlsx", "initiatives", "19402", "stored")
    ]
    assert row.files[0].stored_ids == [stored.id]
    assert folders(mailbox) == {"INBOX": 0, DONE: 1}
    again = collect(engine, opened, mailbox)
    assert (again.outcomes, again.notices, again.moved) == ({}, 0, 0)
    assert (initiatives(engine), len(outbox(engine))) == (1, 1)


def test_a_bad_row_stores_nothing_and_the_reply_names_the_row(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """A workbook whose solution type is not one of the list: nothing of it is stored; the unit's
    answer lists FILE:ROW:COLUMN with the fix, threaded; the reply goes to the rejected folder."""
    bad = proposal(engine, opened, VINH_O[0], solution_type="sáng tạo")
    raw, message_id = reply(VINH_O[1], [("de-xuat-sang-kien-2024-19426.xlsx", bad)])
    append(mailbox, [raw], JUNE)
    run = collect(engine, opened, mailbox)
    assert (run.outcomes, run.stored) == ({"refused": 1}, 0)
    assert initiatives(engine) == 0
    [answer] = outbox(engine)
    assert (answer.kind, answer.recipient, answer.in_reply_to) == ("mail_refused", VINH_O[1], message_id)
    assert answer.subject == "Hồ sơ gửi qua thư điện tử ngày 10/06/2024 chưa được tiếp nhận"
    assert "de-xuat-sang-kien-2024-19426.xlsx:2:solution_type: " in answer.text
    assert "loại giải pháp" in answer.text
    assert "quý" not in answer.text.lower()
    assert folders(mailbox) == {"INBOX": 0, REJECTED: 1}


def test_a_reply_from_another_address_is_refused_and_the_registered_address_told(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Vĩnh Thủy's workbook sent from a private address: nothing stored, nothing sent to that
    address; Vĩnh Thủy's registered address is told; the officer sees it in the run."""
    raw, _ = reply(
        "canbo.vinhthuy@gmail.example.com", [("de-xuat.xlsx", proposal(engine, opened, VINH_THUY[0]))]
    )
    append(mailbox, [raw], JUNE)
    run = collect(engine, opened, mailbox)
    assert run.outcomes == {"wrong_sender": 1}
    assert run.lines[0].unit == "19402"
    assert "canbo.vinhthuy@gmail.example.com" in run.lines[0].note
    assert initiatives(engine) == 0
    [told] = outbox(engine)
    assert (told.kind, told.recipient, told.in_reply_to) == ("mail_wrong_sender", VINH_THUY[1], None)
    assert "canbo.vinhthuy@gmail.example.com" in told.text
    assert "de-xuat.xlsx" in told.text
    assert folders(mailbox) == {"INBOX": 0, REJECTED: 1}


def test_a_unit_may_send_from_an_alternate_address_in_the_roster(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """An address listed in the roster's 'Thư điện tử khác' is the unit's own."""
    from models.cycle import Unit

    with session_scope(engine) as session:
        unit = session.scalars(select(Unit).where(Unit.code == TU_PHAP[0])).one()
        unit.alternate_emails = "vanthu.tuphap@vinhlinh.example.org"
    raw, _ = reply("VanThu.TuPhap@vinhlinh.example.org", [("a.xlsx", proposal(engine, opened, TU_PHAP[0]))])
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"stored": 1}
    [receipt] = outbox(engine)
    assert (receipt.kind, receipt.recipient) == ("receipt", "vanthu.tuphap@vinhlinh.example.org")


def test_rows_of_another_unit_in_a_units_file_refuse_the_file(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Vĩnh Ô's workbook with a row coded for Vĩnh Thủy: the whole file is refused, row named."""
    from tests.mail_replies import INITIATIVE, filled
    from tests.notifications.inbox_world import workbook

    rows = [INITIATIVE, {**INITIATIVE, "unit_code": "19402", "title": "Một sáng kiến khác của xã bạn"}]
    raw, _ = reply(VINH_O[1], [("vinh-o.xlsx", filled(workbook(engine, opened, VINH_O[0]), rows))])
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"refused": 1}
    assert initiatives(engine) == 0
    [answer] = outbox(engine)
    assert "vinh-o.xlsx:3:unit_code: dòng của đơn vị 19402 trong tệp của đơn vị 19426" in answer.text


def test_a_message_without_a_file_is_told_what_to_send_and_stays_for_an_officer(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """No attachment: a short reply naming the unit's workbooks; the message stays in the INBOX."""
    raw, message_id = reply(VINH_O[1], subject="Hỏi về hạn gửi đề xuất")
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"empty": 1}
    [answer] = outbox(engine)
    assert (answer.kind, answer.in_reply_to) == ("mail_empty", message_id)
    assert "de-xuat-sang-kien-2024-19426.xlsx: đề xuất sáng kiến" in answer.text
    assert "bao-cao-nhan-rong-2024-19426.xlsx" in answer.text
    assert folders(mailbox) == {"INBOX": 1}
    assert collect(engine, opened, mailbox).outcomes == {}
    assert len(outbox(engine)) == 1


def test_an_out_of_office_reply_is_never_answered(engine: Engine, opened: int, mailbox: ImapSettings) -> None:
    """Auto-Submitted: auto-replied (RFC 3834): no answer, left for an officer."""
    raw, _ = reply(VINH_O[1], headers={"Auto-Submitted": "auto-replied"}, subject="Vắng mặt")
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"automatic": 1}
    assert outbox(engine) == []


def test_the_same_message_put_back_is_not_taken_in_again(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """A copy of a processed message (a new UID, the same Message-ID): a duplicate, no answer."""
    raw, _ = reply(VINH_THUY[1], [("a.xlsx", proposal(engine, opened, VINH_THUY[0]))])
    append(mailbox, [raw], JUNE)
    collect(engine, opened, mailbox)
    append(mailbox, [raw], JUNE)
    run = collect(engine, opened, mailbox)
    assert run.outcomes == {"duplicate": 1}
    assert (initiatives(engine), len(outbox(engine))) == (1, 1)
    assert folders(mailbox) == {"INBOX": 0, DONE: 2}


def test_messages_after_the_day_asked_wait_for_a_later_run(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Replaying 09/06/2024, a reply received on 10/06/2024 stays; the next day it is taken in."""
    from datetime import date

    raw, _ = reply(VINH_THUY[1], [("a.xlsx", proposal(engine, opened, VINH_THUY[0]))])
    append(mailbox, [raw], JUNE)
    early = collect(engine, opened, mailbox, date(2024, 6, 9))
    assert (early.outcomes, early.later) == ({}, 1)
    assert collect(engine, opened, mailbox, date(2024, 6, 10)).outcomes == {"stored": 1}


def test_while_another_collector_reads_the_mailbox_a_run_does_nothing(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """The schedule and an operator started at once: the second run says so and touches nothing."""
    from notifications.inbox.lock import collector_lock

    raw, _ = reply(VINH_THUY[1], [("a.xlsx", proposal(engine, opened, VINH_THUY[0]))])
    append(mailbox, [raw], JUNE)
    with collector_lock(engine, mailbox.mailbox) as held:
        assert held
        assert collect(engine, opened, mailbox).busy
    assert initiatives(engine) == 0
    assert collect(engine, opened, mailbox).outcomes == {"stored": 1}


def test_two_files_of_one_kind_in_one_message_get_one_receipt_listing_both(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """Two initiative workbooks in one reply: both stored, one receipt naming both initiatives."""
    first = proposal(engine, opened, VINH_THUY[0])
    second = proposal(engine, opened, VINH_THUY[0], title="Sổ tay điện tử thủ tục hành chính cấp xã")
    raw, _ = reply(VINH_THUY[1], [("mot.xlsx", first), ("hai.xlsx", second)])
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).stored == 2
    [receipt] = outbox(engine)
    assert "Sổ tay điện tử thủ tục hành chính cấp xã" in receipt.text
    assert "Tra cứu hồ sơ hộ tịch bằng mã QR tại Bộ phận Một cửa" in receipt.text


def test_a_copy_of_a_message_left_for_an_officer_stays_with_it_unanswered(
    engine: Engine, opened: int, mailbox: ImapSettings
) -> None:
    """A question left in the INBOX, met again under another UID (a copy, a new UIDVALIDITY):
    not answered twice, and not filed away from the officer either."""
    raw, _ = reply(VINH_O[1], subject="Xin hỏi hạn gửi")
    append(mailbox, [raw], JUNE)
    collect(engine, opened, mailbox)
    append(mailbox, [raw], JUNE)
    assert collect(engine, opened, mailbox).outcomes == {"seen_before": 1}
    assert len(outbox(engine)) == 1
    assert folders(mailbox) == {"INBOX": 2}
