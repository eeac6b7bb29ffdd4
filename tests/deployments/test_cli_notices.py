"""The notices from the terminal: ``cycle open`` queues the calls, ``notices list``, ``export
notices``, ``notices deliver`` to a real SMTP sink (and to nobody), and the ``smtp-sink`` script.

In-process through Typer's runner with a data dir in ``tmp_path``, on SQLite and on PostgreSQL;
the sink command runs as the installed console script in a subprocess.
"""

from __future__ import annotations

import csv
import email
import email.policy
import json
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from deployments.cli import app
from notifications.mail.messages import Sender, build_message
from notifications.mail.outbox import OutgoingNotice
from notifications.mail.sink import start_sink
from tests.conftest import VINH_LINH, VINH_LINH_DATA, empty_postgres

SANGKIEN = Path(sys.executable).parent / "sangkien"
CALL_SUBJECT = "Ủy ban nhân dân huyện Vĩnh Linh: đề nghị đề xuất sáng kiến cải cách hành chính năm 2024"
runner = CliRunner()
Env = dict[str, str | None]


def free_port() -> int:
    """A port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def roster_emails() -> set[str]:
    """The 34 addresses of the bundled roster."""
    with (VINH_LINH_DATA / "units.csv").open(encoding="utf-8") as handle:
        return {row["email"] for row in csv.DictReader(handle)}


@pytest.fixture(params=["sqlite", "postgresql"])
def cli_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Env]:
    """The runner's environment: a data dir, a database of each kind, no inherited SANGKIEN_*."""
    env: Env = {key: None for key in os.environ if key.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    env["SANGKIEN_DATABASE_URL"] = ""
    if request.param == "sqlite":
        yield env
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    env["SANGKIEN_DATABASE_URL"] = engine.url.render_as_string(hide_password=False)
    yield env
    empty_postgres(engine)


def invoke(env: Env, *args: str, **extra: str) -> Result:
    """Run ``sangkien ARGS`` in-process with ``env`` plus ``extra`` variables."""
    return runner.invoke(app, list(args), env={**env, **extra})


@pytest.fixture
def opened(cli_env: Env) -> Env:
    """The bundled 2024 cycle opened, its 34 calls queued."""
    result = invoke(cli_env, "cycle", "open", "--config", str(VINH_LINH))
    assert result.exit_code == 0, result.stderr
    return cli_env


def listed(env: Env, *args: str) -> list[dict[str, Any]]:
    """``notices list --cycle 2024 --format json`` as records."""
    result = invoke(env, "notices", "list", "--cycle", "2024", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def smtp_env(port: int) -> dict[str, str]:
    """SMTP settings for a server on 127.0.0.1:``port`` with a short timeout."""
    return {
        "SANGKIEN_SMTP__HOST": "127.0.0.1",
        "SANGKIEN_SMTP__PORT": str(port),
        "SANGKIEN_SMTP__TIMEOUT": "2",
    }


def read_eml(path: Path) -> EmailMessage:
    """A stored message as a mail client reads it."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_cycle_open_queues_34_calls_and_a_second_run_none(cli_env: Env) -> None:
    """Opening the cycle says 34 calls were queued; opening it again queues 0."""
    first = invoke(cli_env, "cycle", "open", "--config", str(VINH_LINH))
    assert first.exit_code == 0, first.stderr
    assert "Thư đề nghị đề xuất sáng kiến: 34 thư mới vào hàng đợi." in first.stdout
    again = invoke(cli_env, "cycle", "open", "--config", str(VINH_LINH))
    assert again.exit_code == 0, again.stderr
    assert "Thư đề nghị đề xuất sáng kiến: 0 thư mới vào hàng đợi." in again.stdout
    assert len(listed(cli_env)) == 34


def test_notices_list_shows_the_34_calls_queued(opened: Env) -> None:
    """JSON listing: one call per unit, to the roster's addresses, all 'queued', none sent."""
    records = listed(opened)
    assert len(records) == 34
    assert {r["state"] for r in records} == {"queued"}
    assert {r["kind"] for r in records} == {"call_for_proposals"}
    assert {r["recipient"] for r in records} == roster_emails()
    assert {r["subject"] for r in records} == {CALL_SUBJECT}
    assert {r["sent_at"] for r in records} == {None}
    assert {r["attempts"] for r in records} == {0}
    assert len({r["message_id"] for r in records}) == 34
    assert listed(opened, "--state", "sent") == []
    table = invoke(opened, "notices", "list", "--cycle", "2024")
    assert table.exit_code == 0
    assert "chờ gửi: 34" in table.stdout


def test_notices_list_refuses_an_unknown_state_with_exit_2(opened: Env) -> None:
    """'--state bogus': a Vietnamese message naming the valid states, exit 2, no traceback."""
    result = invoke(opened, "notices", "list", "--cycle", "2024", "--state", "bogus")
    assert result.exit_code == 2
    assert "--state 'bogus' không hợp lệ; hãy chọn: queued, sending, sent, failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_export_notices_as_xlsx_has_vietnamese_headers(opened: Env, tmp_path: Path) -> None:
    """The officer's spreadsheet: a frozen Vietnamese header and one row per notice."""
    out = tmp_path / "thu-thong-bao.xlsx"
    result = invoke(opened, "export", "notices", "--cycle", "2024", "--format", "xlsx", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"Đã xuất 34 dòng vào {out}" in result.stdout
    sheet = load_workbook(out).worksheets[0]
    assert sheet.title == "Thư thông báo"
    assert [c.value for c in sheet[1]] == [
        "Số",
        "Loại thư",
        "Đơn vị / thành viên",
        "Người nhận",
        "Tiêu đề",
        "Trạng thái",
        "Số lần gửi",
        "Gửi lúc",
        "Lỗi gần nhất",
    ]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 34
    assert {r[1] for r in rows} == {"Đề nghị đề xuất sáng kiến"}
    assert {r[5] for r in rows} == {"chờ gửi"}
    assert {r[3] for r in rows} == roster_emails()


@pytest.mark.slow
def test_notices_deliver_sends_all_34_to_the_sink_once(opened: Env, tmp_path: Path) -> None:
    """34 .eml files arrive, one per unit, decoded right; a second run sends nothing."""
    folder = tmp_path / "mail"
    port = free_port()
    sink = start_sink(folder, port=port)
    try:
        result = invoke(opened, "notices", "deliver", **smtp_env(port))
        assert result.exit_code == 0, result.stderr
        assert "Đã gửi 34 thư; lỗi không gửi được 0; chờ gửi lại 0." in result.stdout
        files = sorted(folder.glob("*.eml"))
        assert len(files) == 34
        again = invoke(opened, "notices", "deliver", **smtp_env(port))
        assert again.exit_code == 0, again.stderr
        assert "Đã gửi 0 thư; lỗi không gửi được 0; chờ gửi lại 0." in again.stdout
        assert len(list(folder.glob("*.eml"))) == 34
    finally:
        sink.stop()
    messages = [read_eml(path) for path in files]
    assert {m["To"].addresses[0].addr_spec for m in messages} == roster_emails()
    assert {m["Subject"] for m in messages} == {CALL_SUBJECT}
    records = listed(opened)
    assert {r["state"] for r in records} == {"sent"}
    assert {r["attempts"] for r in records} == {1}
    assert {m["Message-ID"] for m in messages} == {r["message_id"] for r in records}
    vinh_o = next(m for m in messages if m["To"].addresses[0].addr_spec == "xavinho@vinhlinh.example.org")
    assert vinh_o["To"].addresses[0].display_name == "UBND xã Vĩnh Ô"
    assert vinh_o["From"].addresses[0].display_name == "Ủy ban nhân dân huyện Vĩnh Linh"
    body = vinh_o.get_body(("plain",))
    assert body is not None
    assert body.get_content().startswith("Kính gửi: UBND xã Vĩnh Ô")
    word, excel = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    assert [(a.get_filename(), a.get_content_type()) for a in vinh_o.iter_attachments()] == [
        ("de-cuong-bao-cao-sang-kien-2024.docx", word),
        ("de-xuat-sang-kien-2024-19426.xlsx", excel),
        ("bao-cao-nhan-rong-2024-19426.xlsx", excel),
    ]


@pytest.mark.slow
def test_notices_deliver_with_no_server_exits_1_naming_it(opened: Env) -> None:
    """Nobody listening: exit 1 within 30 s, the server named; the 34 calls stay queued with why."""
    port = free_port()
    started = time.monotonic()
    result = invoke(opened, "notices", "deliver", **smtp_env(port))
    elapsed = time.monotonic() - started
    assert result.exit_code == 1
    assert f"Máy chủ thư 127.0.0.1:{port} không nhận thư; lần gửi này dừng lại." in result.stderr
    assert "Traceback" not in result.stderr
    assert "Đã gửi 0 thư; lỗi không gửi được 0; chờ gửi lại 34." in result.stdout
    assert elapsed < 30, f"took {elapsed:.1f} s"
    records = listed(opened)
    assert {r["state"] for r in records} == {"queued"}
    assert all(str(port) in (r["last_error"] or "") for r in records)


def _wait_for_port(port: int, process: subprocess.Popen[str], seconds: float = 30) -> None:
    """Until something accepts connections on 127.0.0.1:``port`` (or the process died)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"smtp-sink did not listen on {port} within {seconds} s")


@pytest.mark.slow
def test_the_smtp_sink_script_keeps_a_message_and_stops_cleanly(tmp_path: Path) -> None:
    """`sangkien smtp-sink --port P --dir D`: a sent message lands in D; Ctrl-C stops it, exit 0."""
    port, folder = free_port(), tmp_path / "hop-thu"
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    command = [str(SANGKIEN), "smtp-sink", "--port", str(port), "--dir", str(folder)]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as sink:
        try:
            _wait_for_port(port, sink)
            subject = "Xác nhận đã nhận báo cáo kết quả áp dụng sáng kiến nhân rộng của UBND xã Vĩnh Ô"
            outgoing = OutgoingNotice(
                1,
                1,
                "xavinho@vinhlinh.example.org",
                "UBND xã Vĩnh Ô",
                subject,
                "Kính gửi: UBND xã Vĩnh Ô\n\nĐã nhận báo cáo.\n",
                "<p>Kính gửi: UBND xã Vĩnh Ô</p>\n",
                "<thu-thu@sangkien.example>",
                [],
            )
            sender = Sender("noreply@sangkien.example", "Ủy ban nhân dân huyện Vĩnh Linh")
            envelope = build_message(outgoing, sender, [], datetime.now(UTC))
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail(envelope.sender, list(envelope.recipients), envelope.data)
            deadline = time.monotonic() + 10
            while not list(folder.glob("*.eml")) and time.monotonic() < deadline:
                time.sleep(0.05)
            stored = list(folder.glob("*.eml"))
            assert len(stored) == 1
            message = read_eml(stored[0])
            assert message["Subject"] == subject
            assert message["Message-ID"] == "<thu-thu@sangkien.example>"
        finally:
            sink.send_signal(signal.SIGINT)
            out, err = sink.communicate(timeout=20)
    assert sink.returncode == 0, err
    assert "Traceback" not in err
    assert f"Hộp thư thử đang nhận thư tại 127.0.0.1:{port}, lưu vào {folder}." in out
    assert "Đã dừng hộp thư thử." in out
    assert not list(folder.glob(".*.part"))


def test_the_smtp_sink_stops_cleanly_on_sigterm_too(tmp_path: Path) -> None:
    """A service manager stops the sink with SIGTERM: same clean exit and message as Ctrl-C."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SANGKIEN_")}
    env["SANGKIEN_DATA_DIR"] = str(tmp_path / "var")
    command = [str(SANGKIEN), "smtp-sink", "--port", str(port)]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as sink:
        _wait_for_port(port, sink)
        sink.send_signal(signal.SIGTERM)
        out, err = sink.communicate(timeout=20)
    assert sink.returncode == 0, err
    assert "Traceback" not in err
    assert "Đã dừng hộp thư thử." in out
