"""Mailbox benchmark: 1,000 units' replies collected from a real Dovecot and taken in, against
importing the same 1,000 files from disk with the code of ``sangkien import``, in the same run.

A synthetic province of 1,000 units; each unit's reply carries its call workbook filled with
three initiatives. The disk side imports each file in its own transaction and queues its
receipt, as one ``sangkien import`` per file does (in one process: 1,000 interpreter starts
would measure Python, not the import; a few real runs of the console script give its cost per
file). The mailbox side runs the collector over the 1,000 messages APPENDed to Dovecot (their
delivery is not timed). Both use a fresh SQLite database. Prints messages per second and the
ratio; the machines here are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from imapclient import IMAPClient

from deployments.mailserver import dovecot
from deployments.synthetic import SyntheticShape, generate
from models.cycle import Cycle, cycle_units, find_cycle, load_cycle_config, open_cycle
from models.db import make_engine, session_scope, upgrade
from models.imports import import_file
from models.intake import INITIATIVES, WorkbookIdentity
from models.settings import ImapSettings
from notifications.inbox import collect_replies
from notifications.sheets.workbooks import submission_workbook
from notifications.steps import StepContext, intake_file

RECEIVED = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)
TODAY = date(2025, 6, 10)
ROW = {
    "solution_type": "tác nghiệp",
    "field": "thủ tục hành chính",
    "authors": "Nguyễn Thị Hoa | Công chức Tư pháp - Hộ tịch | 60; Lê Văn Nam | Công chức Văn phòng | 40",
    "solution": "Dán mã QR lên phiếu hẹn để người dân tự tra cứu tình trạng hồ sơ.",
    "effects": "Giảm 40% số lượt người dân hỏi trực tiếp về tình trạng hồ sơ.",
    "replicable": "có",
}


def _engine_with_cycle(folder: Path, config_path: Path) -> tuple[str, int]:
    url = f"sqlite:///{folder / 'sangkien.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    config = load_cycle_config(config_path)
    with session_scope(engine) as session:
        cycle, _ = open_cycle(session, config, "bench")
        import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="bench")
        cycle_id = cycle.id
    engine.dispose()
    return url, cycle_id


def _replies(url: str, cycle_id: int, files: Path) -> list[tuple[Path, bytes]]:
    """Each unit's filled workbook on disk, and its reply."""
    engine = make_engine(url)
    made = []
    with session_scope(engine) as session:
        cycle = session.get_one(Cycle, cycle_id)
        for unit in cycle_units(session, cycle_id).values():
            rows = [
                {**ROW, "unit_code": unit.code, "title": f"Sáng kiến số {n} của {unit.name}"}
                for n in (1, 2, 3)
            ]
            identity = WorkbookIdentity("initiatives", cycle.year, cycle.authority.code, unit.code)
            book = submission_workbook(INITIATIVES, "Sáng kiến", rows, {}, identity)
            path = files / f"de-xuat-sang-kien-{cycle.year}-{unit.code}.xlsx"
            path.write_bytes(book)
            message = EmailMessage()
            message["From"], message["To"] = str(unit.email), "noivu@mau.example.org"
            message["Subject"], message["Message-ID"] = (
                "Re: đề xuất sáng kiến",
                make_msgid(domain="mau.example.org"),
            )
            message.set_content("Đơn vị gửi hồ sơ đề xuất sáng kiến kèm theo.")
            message.add_attachment(
                book,
                maintype="application",
                subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                filename=path.name,
            )
            made.append((path, message.as_bytes()))
    engine.dispose()
    return made


def _from_disk(url: str, year: int, paths: list[Path]) -> float:
    """Seconds to import every file as ``sangkien import`` does, one transaction each."""
    engine = make_engine(url)
    started = time.perf_counter()
    for path in paths:
        with session_scope(engine) as session:
            cycle = find_cycle(session, year)
            intake_file(session, cycle, path, "initiatives", TODAY, StepContext(f"cli:import {path.name}"))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def _console_script(url: str, year: int, paths: list[Path]) -> float:
    """Seconds per file for real runs of the console script (interpreter start included)."""
    env = {**os.environ, "SANGKIEN_DATABASE_URL": url}
    script = str(Path(sys.executable).parent / "sangkien")
    started = time.perf_counter()
    for path in paths:
        command = [script, "import", "initiatives", str(path), "--cycle", str(year), "--today", str(TODAY)]
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603 - our own script
    return (time.perf_counter() - started) / len(paths)


def main() -> None:
    """Measure both ways in is one run and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=1_000)
    parser.add_argument("--script-runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        shape = SyntheticShape(units=args.replies)
        config_path = generate(root / "province", shape)
        (root / "disk").mkdir()
        (root / "mail").mkdir()
        (root / "files").mkdir()
        disk_url, disk_cycle = _engine_with_cycle(root / "disk", config_path)
        mail_url, mail_cycle = _engine_with_cycle(root / "mail", config_path)
        replies = _replies(disk_url, disk_cycle, root / "files")
        disk_seconds = _from_disk(disk_url, shape.year, [path for path, _ in replies])
        with dovecot(spares=1) as server:
            imap = ImapSettings(
                host="127.0.0.1",
                port=server.port,
                username=server.username,
                ssl=False,
                timeout=60,
                password=server.password,
            )
            client = IMAPClient("127.0.0.1", port=server.port, ssl=False, timeout=60)
            client.login(server.username, server.password)
            started = time.perf_counter()
            for _, raw in replies:
                client.append("INBOX", raw, msg_time=RECEIVED)
            append_seconds = time.perf_counter() - started
            client.logout()
            engine = make_engine(mail_url)
            started = time.perf_counter()
            collected = collect_replies(engine, mail_cycle, imap, date(2025, 6, 30), "mau.example.org")
            mail_seconds = time.perf_counter() - started
            engine.dispose()
        script_runs = [path for path, _ in replies[: args.script_runs]]
        (root / "script").mkdir()
        script_url, _ = _engine_with_cycle(root / "script", config_path)
        per_script = _console_script(script_url, shape.year, script_runs) if script_runs else 0.0
    count = len(replies)
    disk_rate = count / disk_seconds
    lines = [
        f"{count} replies (one workbook of 3 initiatives each) from a synthetic province of {count} units",
        (
            f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        ),
        f"collected: {collected.outcomes}, rows {collected.stored}, answers queued {collected.notices}",
        f"{'way in':<52}{'seconds':>10}{'msg/s':>10}",
        f"{'mailbox: collect-replies from Dovecot':<52}{mail_seconds:>10.1f}{count / mail_seconds:>10.1f}",
        f"{'disk: sangkien import code, a transaction per file':<52}{disk_seconds:>10.1f}{disk_rate:>10.1f}",
        f"ratio mailbox / disk (msg/s): {disk_seconds / mail_seconds:.2f}x",
        f"APPEND of the {count} messages to Dovecot (not timed above): {append_seconds:.1f} s",
        f"sangkien import as a console script, {len(script_runs)} runs: {per_script:.2f} s per file",
    ]
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
