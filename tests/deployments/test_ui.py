"""The Prefect UI in a real browser: a replayed cycle's run and its compliance artifact are there.

Headless Chromium from Debian (``/usr/bin/chromium``), driven by Playwright through
``executable_path``: Playwright's own browser download is not possible here. Skipped with that
reason where Chromium is not installed (``.ci/run`` installs it). The replay runs in its own
process (``tests.deployments.replay_once``), so this test process keeps no Prefect workers bound
to a server that is gone when pytest ends.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deployments.stack import LocalStack
from deployments.synthetic import SyntheticShape, generate
from models.settings import Settings, SmtpSettings
from tests.conftest import REPO
from tests.notifications.smtp_servers import Recorder, free_port, smtp_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_ui_shows_the_annual_cycle_run_and_its_compliance_artifact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start a real server, replay a small synthetic year, open the UI and find both."""
    from playwright.sync_api import sync_playwright

    config = generate(tmp_path / "cycle", SyntheticShape(units=12, initiatives_per_unit=1, year=2025))
    recorder = Recorder()
    with smtp_server(recorder) as smtp_port:
        monkeypatch.setenv("SANGKIEN_DATA_DIR", str(tmp_path / "var"))
        monkeypatch.setenv("SANGKIEN_DATABASE_URL", f"sqlite:///{tmp_path / 'ui.sqlite3'}")
        monkeypatch.setenv("SANGKIEN_SMTP__HOST", "127.0.0.1")
        monkeypatch.setenv("SANGKIEN_SMTP__PORT", str(smtp_port))
        settings = Settings(data_dir=tmp_path / "var", smtp=SmtpSettings(host="127.0.0.1", port=smtp_port))
        with LocalStack(settings, port=free_port()) as stack:
            replay = subprocess.run(
                [sys.executable, "-m", "tests.deployments.replay_once", str(config)],
                cwd=REPO,
                env=os.environ | {"PREFECT_API_URL": stack.api_url, "PYTHONPATH": str(REPO)},
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            assert replay.returncode == 0, replay.stderr[-3000:]
            assert json.loads(replay.stdout.strip().splitlines()[-1])["year"] == 2025
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(f"{stack.ui_url}/runs", wait_until="networkidle")
                page.get_by_text("annual-cycle").first.wait_for(timeout=60_000)
                page.screenshot(path=str(tmp_path / "runs.png"))
                page.goto(f"{stack.ui_url}/artifacts/key/compliance-2025", wait_until="networkidle")
                page.get_by_text("Tình trạng thực hiện chu kỳ 2025").first.wait_for(timeout=60_000)
                page.locator("a[href*='/artifacts/artifact/']").first.click()  # the latest version
                try:
                    page.get_by_text("M000001").first.wait_for(timeout=60_000)  # a unit's row of the table
                finally:
                    page.screenshot(path=str(tmp_path / "artifact.png"), full_page=True)
                browser.close()
    assert (tmp_path / "artifact.png").stat().st_size > 0
    assert len(recorder.messages) > 0
