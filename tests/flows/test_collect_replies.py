"""A year replayed through the mailbox: the call goes out with its workbooks, every unit replies
with its filled workbook, and ``collect-replies`` takes them in and answers each reply once."""

from __future__ import annotations

import json
from datetime import date
from email.message import EmailMessage

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from deployments.cli import app
from flows.collect_replies import collect_replies
from flows.open_cycle import open_cycle
from models.db import session_scope
from models.intake import Initiative
from models.settings import ImapSettings
from tests.flows.conftest import World
from tests.mail_replies import INITIATIVE, JUNE, append, filled, folders, reply


def _workbook(call: EmailMessage) -> bytes:
    for part in call.iter_attachments():
        if str(part.get_filename()).startswith("de-xuat-sang-kien-"):
            content = part.get_content()
            assert isinstance(content, bytes)
            return content
    raise AssertionError(f"no initiatives workbook in the call to {call['To']}")


def test_a_year_replayed_through_the_mailbox(
    world: World, mailbox: ImapSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the call, each of the 34 units replies with its filled workbook: one run imports them
    all and status shows every proposal in; each unit gets one receipt threaded to its reply; a
    second run imports nothing and sends nothing."""
    for name, value in {
        "HOST": "127.0.0.1",
        "PORT": str(mailbox.resolved_port),
        "USERNAME": str(mailbox.username),
        "PASSWORD": mailbox.password.get_secret_value() if mailbox.password else "",
        "SSL": "false",
    }.items():
        monkeypatch.setenv(f"SANGKIEN_IMAP__{name}", value)
    open_cycle()
    calls = [m for m in world.recorder.messages if "đề nghị đề xuất sáng kiến" in str(m["Subject"])]
    assert len(calls) == 34
    replies: dict[str, str] = {}  # unit address -> the Message-ID of its reply
    raws = []
    for call in calls:
        unit = str(call["To"].addresses[0].addr_spec)
        title = f"Sáng kiến cải cách hành chính của {call['To'].addresses[0].display_name}"
        raw, message_id = reply(
            unit,
            [(f"de-xuat-{unit}.xlsx", filled(_workbook(call), [{**INITIATIVE, "title": title}]))],
            in_reply_to=str(call["Message-ID"]),
        )
        replies[unit] = message_id
        raws.append(raw)
    append(mailbox, raws, JUNE)
    before = len(world.recorder.messages)

    first = collect_replies(cycle=2024, as_of=date(2024, 6, 30))
    assert (first.outcomes, first.stored, first.moved) == ({"stored": 34}, 34, 34)
    with session_scope(world.engine) as session:
        assert session.scalar(select(func.count(Initiative.id))) == 34
    status = CliRunner().invoke(
        app, ["status", "--cycle", "2024", "--as-of", "2024-06-30", "--format", "json"]
    )
    assert status.exit_code == 0, status.stderr
    assert {row["propose"]["state"] for row in json.loads(status.stdout)} == {"on_time"}
    receipts = world.recorder.messages[before:]
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in receipts) == sorted(replies)
    for receipt in receipts:
        unit = str(receipt["To"].addresses[0].addr_spec)
        assert str(receipt["In-Reply-To"]) == replies[unit]
        assert replies[unit] in str(receipt["References"])
        assert str(receipt["Subject"]).startswith("Xác nhận đã nhận đề xuất sáng kiến của ")
    assert folders(mailbox)["INBOX"] == 0

    second = collect_replies(cycle=2024, as_of=date(2024, 6, 30))
    assert (second.outcomes, second.stored, second.notices) == ({}, 0, 0)
    assert len(world.recorder.messages) == before + 34


def test_the_officer_sees_a_wrong_sender_first_in_the_runs_artifact(
    world: World, mailbox: ImapSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A good reply and one carrying Vĩnh Thủy's workbook from a private address: the artifact of
    the run lists the refused one first, with the address; the unit's registered address is told."""
    from tests.flows.test_artifacts import _latest
    from tests.mail_replies import INITIATIVE

    for name, value in {
        "HOST": "127.0.0.1",
        "PORT": str(mailbox.resolved_port),
        "USERNAME": str(mailbox.username),
        "PASSWORD": mailbox.password.get_secret_value() if mailbox.password else "",
        "SSL": "false",
    }.items():
        monkeypatch.setenv(f"SANGKIEN_IMAP__{name}", value)
    open_cycle()
    books = {
        str(m["To"].addresses[0].addr_spec): _workbook(m)
        for m in world.recorder.messages
        if "đề nghị đề xuất sáng kiến" in str(m["Subject"])
    }
    good, _ = reply(
        "xavinho@vinhlinh.example.org",
        [("a.xlsx", filled(books["xavinho@vinhlinh.example.org"], [INITIATIVE]))],
    )
    forged, _ = reply(
        "canbo@gmail.example.com",
        [("b.xlsx", filled(books["xavinhthuy@vinhlinh.example.org"], [INITIATIVE]))],
    )
    append(mailbox, [good, forged], JUNE)
    before = len(world.recorder.messages)
    summary = collect_replies(cycle=2024, as_of=date(2024, 6, 30))
    assert summary.outcomes == {"stored": 1, "wrong_sender": 1}
    rows, description = _latest("inbox-2024")
    assert [row["Kết quả"] for row in rows] == [
        "Không tiếp nhận: địa chỉ gửi không phải của đơn vị",
        "Đã tiếp nhận",
    ]
    assert rows[0]["Người gửi"] == "canbo@gmail.example.com"
    assert rows[0]["Đơn vị"] == "19402"
    assert "2 thư" in description
    told = {str(m["To"].addresses[0].addr_spec): str(m["Subject"]) for m in world.recorder.messages[before:]}
    assert told == {
        "xavinho@vinhlinh.example.org": "Xác nhận đã nhận đề xuất sáng kiến của UBND xã Vĩnh Ô",
        "xavinhthuy@vinhlinh.example.org": "Hồ sơ của UBND xã Vĩnh Thủy được gửi từ địa chỉ thư chưa đăng ký",
    }
