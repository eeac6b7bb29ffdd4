"""``sangkien inbox`` as an operator runs it: collect, list, the original of a message, and a
collector killed with SIGKILL in the middle of 200 replies, then run again."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from deployments.cli import app
from deployments.synthetic import SyntheticShape, generate
from models.cycle import Cycle, cycle_units, load_cycle_config, open_cycle
from models.db import Notice, make_engine, session_scope, upgrade
from models.imports import import_file
from models.inbox import InboxMessage
from models.intake import INITIATIVES, WorkbookIdentity
from models.settings import ImapSettings
from notifications.sheets.workbooks import submission_workbook
from tests.conftest import VINH_LINH, empty_postgres
from tests.mail_replies import INITIATIVE, append, folders, reply
from tests.notifications.smtp_servers import Recorder, smtp_server

SANGKIEN = Path(sys.executable).parent / "sangkien"
runner = CliRunner()


def _imap_env(mailbox: ImapSettings) -> dict[str, str]:
    return {
        "SANGKIEN_IMAP__HOST": str(mailbox.host),
        "SANGKIEN_IMAP__PORT": str(mailbox.resolved_port),
        "SANGKIEN_IMAP__USERNAME": str(mailbox.username),
        "SANGKIEN_IMAP__PASSWORD": mailbox.password.get_secret_value() if mailbox.password else "",
        "SANGKIEN_IMAP__SSL": "false",
    }


def _invoke(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def bundled(tmp_path: Path, mailbox: ImapSettings) -> dict[str, str]:
    """The bundled 2024 cycle open in a fresh data dir; the environment to reach it and the mailbox."""
    env = {"SANGKIEN_DATA_DIR": str(tmp_path / "var"), "SANGKIEN_DATABASE_URL": "", **_imap_env(mailbox)}
    code, _out, err = _invoke(env, "cycle", "open", "--config", str(VINH_LINH))
    assert code == 0, err
    return env


def test_collect_list_and_the_original_as_received(
    bundled: dict[str, str], mailbox: ImapSettings, tmp_path: Path
) -> None:
    """A reply from an unknown address without files, and a unit's question: the officer reads
    what happened to each; the original is written back byte for byte with its SHA-256."""
    question, _ = reply("xavinho@vinhlinh.example.org", subject="Xin hỏi hạn gửi")
    stranger, _ = reply("ai.do@example.com", subject="Quảng cáo")
    append(mailbox, [question, stranger], datetime(2024, 6, 10, 2, tzinfo=UTC))
    code, out, err = _invoke(bundled, "inbox", "collect", "--cycle", "2024", "--as-of", "2024-06-30")
    assert code == 0, err
    assert "xavinho@vinhlinh.example.org 19426: Không có tệp hồ sơ (đã trả lời, để cán bộ đọc)" in out
    assert "ai.do@example.com : Địa chỉ không thuộc đơn vị nào (để cán bộ đọc)" in out
    assert "Hộp thư chu kỳ 2024: 2 thư mới" in out
    assert "1 thư trả lời vào hàng đợi" in out
    code, out, err = _invoke(bundled, "inbox", "list", "--cycle", "2024", "--format", "json")
    assert code == 0, err
    listed = json.loads(out)
    assert [(m["sender"], m["outcome"]) for m in listed] == [
        ("xavinho@vinhlinh.example.org", "empty"),
        ("ai.do@example.com", "unknown_sender"),
    ]
    target = tmp_path / "goc.eml"
    code, out, err = _invoke(bundled, "inbox", "original", str(listed[0]["id"]), "--out", str(target))
    assert code == 0, err
    assert target.read_bytes().replace(b"\r\n", b"\n") == question.replace(b"\r\n", b"\n")
    assert hashlib.sha256(target.read_bytes()).hexdigest() == listed[0]["sha256"]
    assert folders(mailbox)["INBOX"] == 2


def test_without_a_mailbox_or_with_a_wrong_password_the_officer_is_told_what_to_set(
    bundled: dict[str, str],
) -> None:
    """No host: exit 2 naming the setting; a refused login: exit 2 naming user and password; a
    server that does not answer: exit 1."""
    no_host = {**bundled, "SANGKIEN_IMAP__HOST": ""}
    code, _out, err = _invoke(no_host, "inbox", "collect", "--cycle", "2024")
    assert (code, "SANGKIEN_IMAP__HOST" in err) == (2, True)
    code, _out, err = _invoke({**bundled, "SANGKIEN_IMAP__PASSWORD": "sai"}, "inbox", "collect")
    assert code == 2
    assert "từ chối đăng nhập" in err
    assert "SANGKIEN_IMAP__PASSWORD" in err
    assert "sai" not in err.replace("sai ", "")
    from tests.notifications.smtp_servers import free_port

    code, _out, err = _invoke({**bundled, "SANGKIEN_IMAP__PORT": str(free_port())}, "inbox", "collect")
    assert code == 1
    assert "không trả lời" in err


@pytest.fixture(params=["sqlite", "postgresql"])
def province(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, dict[str, str], int]]:
    """A synthetic province of 200 units, its 2025 cycle open: engine, environment, cycle id."""
    config_path = generate(tmp_path / "province", SyntheticShape(units=200))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    if request.param == "postgresql":
        engine: Engine = request.getfixturevalue("postgres_engine")
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'province.sqlite3'}")
        upgrade(engine)
    env["SANGKIEN_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    config = load_cycle_config(config_path)
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, config, "test")
        import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")
        cycle_id = cycle.id
    yield engine, env, cycle_id
    if request.param == "postgresql":
        empty_postgres(engine)
    else:
        engine.dispose()


def _count(engine: Engine, *where: object) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count(InboxMessage.id)).where(*where)) or 0)  # type: ignore[arg-type]


def test_a_collector_killed_mid_batch_of_200_then_run_again_takes_each_in_once_and_answers_once(
    province: tuple[Engine, dict[str, str], int], mailbox: ImapSettings
) -> None:
    """SIGKILL while the collector is in the middle of 200 replies; the second run finishes: 200
    initiatives, 200 receipts, each sent once, every reply in the done folder."""
    engine, env, cycle_id = province
    env = {**env, **_imap_env(mailbox)}
    with session_scope(engine) as session:
        cycle = session.get_one(Cycle, cycle_id)
        units = list(cycle_units(session, cycle_id).values())
        identity = (cycle.year, cycle.authority.code)
    raws = []
    for unit in units:
        row = {**INITIATIVE, "unit_code": unit.code, "title": f"Sáng kiến của đơn vị {unit.code}"}
        book = submission_workbook(
            INITIATIVES, "Sáng kiến", [row], {}, WorkbookIdentity("initiatives", *identity, unit.code)
        )
        raws.append(reply(str(unit.email), [(f"de-xuat-{unit.code}.xlsx", book)])[0])
    append(mailbox, raws, datetime(2025, 6, 10, 2, tzinfo=UTC))
    command = [str(SANGKIEN), "inbox", "collect", "--cycle", "2025", "--as-of", "2025-06-30"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _count(engine, InboxMessage.state != "received") < 20 and first.poll() is None:
        assert time.monotonic() < deadline, "the collector took in nothing in 2 minutes"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    killed_at = _count(engine, InboxMessage.state != "received")
    assert first.returncode == -signal.SIGKILL
    assert 20 <= killed_at < 200, "the kill did not land in the middle of the batch"

    second = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=600)
    assert second.returncode == 0, second.stderr
    with session_scope(engine) as session:
        from models.intake import Initiative

        assert session.scalar(select(func.count(Initiative.id))) == 200
        receipts = session.execute(
            select(Notice.unit_id, Notice.in_reply_to).where(Notice.kind == "receipt")
        ).all()
    assert len(receipts) == 200
    assert len({unit for unit, _ in receipts}) == 200
    assert _count(engine) == 200
    assert _count(engine, InboxMessage.outcome == "stored") == 200
    assert folders(mailbox)["INBOX"] == 0

    recorder = Recorder()
    with smtp_server(recorder) as port:
        smtp = {"SANGKIEN_SMTP__HOST": "127.0.0.1", "SANGKIEN_SMTP__PORT": str(port)}
        sent = subprocess.run(
            [str(SANGKIEN), "notices", "deliver"],
            env={**env, **smtp},
            capture_output=True,
            text=True,
            check=False,
        )
    assert sent.returncode == 0, sent.stderr
    assert len(recorder.messages) == 200
    assert set(recorder.message_ids().values()) == {1}
    assert {str(m["In-Reply-To"]) for m in recorder.messages} == {reply_id for _, reply_id in receipts}
