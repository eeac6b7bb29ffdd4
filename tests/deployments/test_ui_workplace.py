"""The Prefect UI as an officer's workplace, in a real browser against a real server and the served
deployments: a Vietnamese run form, a sweep whose logs tell what it did, the chair's approval (the
recommendation shown, a bad date refused in Vietnamese, a valid one decided), the decision opened
from its artifact, and a file uploaded from the browser whose bad row fails the run in one line.

Headless Chromium from Debian, driven by Playwright through ``executable_path``; skipped where it
is not installed. ``sangkien up`` runs as an operator starts it, on free ports. The year is
replayed in its own process up to the recognition's pause, which the test answers from the
browser. With ``SANGKIEN_UI_SHOTS=docs/ui`` the screenshots are written there (the README's
operator's guide shows them).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from deployments.synthetic import SyntheticShape, generate
from models.cycle import load_cycle_config
from models.intake import ResultReport
from models.review import Decision
from tests.conftest import REPO
from tests.deployments.test_ui import CHROMIUM, FLAGS
from tests.notifications.smtp_servers import Recorder, free_port, smtp_server

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Workplace:
    """What the test drives: the UI's address, the documents service's, the database, a folder."""

    ui: str
    documents: str
    database: str
    shots: Path
    config: Path
    replay: subprocess.Popen[str]
    recognition: UUID  # the paused recognize-initiatives run

    def shot(self, page: Any, name: str) -> None:
        """A full-page screenshot, kept for the operator's guide."""
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)


def start(deployment: str, parameters: dict[str, Any]) -> UUID:
    """Start a run of a served deployment (``flow/deployment``), as the UI's Run button does."""
    from prefect.deployments import run_deployment

    # Playwright's sync API runs an event loop in this thread: ask for the sync call outright.
    run = run_deployment(deployment, parameters=parameters, timeout=0, _sync=True)  # type: ignore[call-arg]
    return run.id  # type: ignore[union-attr]


def wait_final(run_id: UUID, timeout: float = 300) -> Any:
    """The run once it is final (or paused): its state."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            state = client.read_flow_run(run_id).state
            if state is not None and (state.is_final() or state.is_paused()):
                return state
            assert time.monotonic() < deadline, f"run {run_id} still {state}"
            time.sleep(1)


def open_run(page: Any, place: Workplace, run_id: UUID, tab: str | None = None) -> None:
    """The run's page in the UI, on ``tab`` (Logs, Artifacts, ...) when given."""
    page.goto(f"{place.ui}/runs/flow-run/{run_id}", wait_until="networkidle")
    if tab:
        page.get_by_role("tab", name=tab).first.click()
        page.wait_for_load_state("networkidle")


def deployment_id(name: str) -> UUID:
    """The id of a served deployment, for its run form's address."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return client.read_deployment_by_name(name).id


@pytest.fixture
def workplace(tmp_path: Path) -> Iterator[Workplace]:
    """``sangkien up`` (a Prefect server, the deployments served, the documents service) on
    temporary ports and folders, and a synthetic year replayed up to its decision's pause."""
    config = generate(tmp_path / "cycle", SyntheticShape(units=12, initiatives_per_unit=1, year=2025))
    database = f"sqlite:///{tmp_path / 'ui.sqlite3'}"
    shots = Path(os.environ.get("SANGKIEN_UI_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    ui_port, documents_port = free_port(), free_port()
    api_url = f"http://127.0.0.1:{ui_port}/api"
    with smtp_server(Recorder()) as smtp_port:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {
            "PYTHONPATH": str(REPO),
            "SANGKIEN_DATA_DIR": str(tmp_path / "var"),
            "SANGKIEN_DATABASE_URL": database,
            "SANGKIEN_SMTP__HOST": "127.0.0.1",
            "SANGKIEN_SMTP__PORT": str(smtp_port),
            "SANGKIEN_DOCUMENTS__PORT": str(documents_port),
        }
        up_log = tmp_path / "up.log"
        up = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "sangkien"),
                "up",
                "--config",
                str(config),
                "--port",
                str(ui_port),
            ],
            cwd=REPO,
            env=env | {"PREFECT_HOME": str(tmp_path / "prefect-client")},
            stdout=up_log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        replay: subprocess.Popen[str] | None = None
        try:
            deadline = time.monotonic() + 900
            while "import-submissions" not in up_log.read_text(errors="replace"):
                assert up.poll() is None, "sangkien up stopped: " + up_log.read_text(errors="replace")[-2000:]
                assert time.monotonic() < deadline, "sangkien up did not start"
                time.sleep(1)
            replay = subprocess.Popen(
                [sys.executable, "-m", "tests.deployments.replay_once", str(config), "--chair-in-browser"],
                cwd=REPO,
                env=env | {"PREFECT_API_URL": api_url},
                stdout=subprocess.PIPE,
                stderr=(tmp_path / "replay.log").open("w"),
                text=True,
                start_new_session=True,
            )
            # This process's client talks to that server (without it, Prefect would start a
            # temporary server of its own for the test's API calls).
            with temporary_settings(updates={PREFECT_API_URL: api_url}):
                paused = _paused_form(replay, tmp_path / "replay.log", deadline)
                yield Workplace(
                    api_url.removesuffix("/api"),
                    f"http://127.0.0.1:{documents_port}",
                    database,
                    shots,
                    config,
                    replay,
                    paused,
                )
        finally:
            for process in (replay, up):
                if process is not None and process.poll() is None:
                    os.killpg(process.pid, 15)
                    process.wait(timeout=60)


def _paused_form(replay: subprocess.Popen[str], log: Path, deadline: float) -> UUID:
    """The recognition run once it has paused with its form saved."""
    from deployments.approvals import paused_form, paused_recognitions

    while True:
        assert replay.poll() is None, log.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "the replay did not reach the recognition's pause"
        for run_id in paused_recognitions():
            if paused_form(run_id) is not None:
                return run_id
        time.sleep(2)


def _decisions(database: str) -> int:
    engine = create_engine(database)
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Decision)) or 0)


def _resume_form(page: Any, place: Workplace) -> Any:
    """The paused run's page with its Resume dialog open: the chair's form."""
    open_run(page, place, place.recognition)
    page.get_by_role("button", name="Resume").first.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_text("Phê duyệt quyết định công nhận sáng kiến").first.wait_for(timeout=60_000)
    return dialog


def _fill(dialog: Any, label: str, value: str) -> None:
    # ``has`` is matched inside each property: a locator from the page, not from the dialog.
    label_of = dialog.page.locator(".schema-form-property__label", has_text=label)
    field = dialog.locator(".schema-form-property", has=label_of).first
    box = field.locator("textarea, input").first
    box.fill(value)


def _paused_again(place: Workplace, says: str, timeout: float = 120) -> None:
    """Wait until the run has paused again with a description that ``says`` it."""
    from deployments.approvals import paused_form

    deadline = time.monotonic() + timeout
    while True:
        # Off Playwright's thread (its event loop would turn Prefect's sync calls into coroutines),
        # with this thread's settings (the stack's API URL).
        with ThreadPoolExecutor(1) as pool:
            form = pool.submit(copy_context().run, paused_form, place.recognition).result()
        if form is not None and says in form.description:
            return
        assert place.replay.poll() is None, "the replay ended instead of asking again"
        assert time.monotonic() < deadline, f"the form did not come back saying {says!r}"
        time.sleep(1)


def _reports(database: str) -> int:
    engine = create_engine(database)
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(ResultReport)) or 0)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_an_officer_works_the_cycle_from_the_browser(workplace: Workplace, tmp_path: Path) -> None:
    """Form, sweep logs, the decision's document, an upload with a bad row: what the pages show."""
    from playwright.sync_api import sync_playwright

    place = workplace
    last = load_cycle_config(place.config).deadlines.last
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="vi-VN")
        try:
            # 1. The run form of a submission: Vietnamese titles and choices.
            form = deployment_id("submit-initiative/form")
            page.goto(f"{place.ui}/deployments/deployment/{form}/run", wait_until="networkidle")
            for title in ("Đề xuất sáng kiến", "Năm của chu kỳ", "Mã đơn vị", "Loại giải pháp", "Lĩnh vực"):
                page.get_by_text(title, exact=True).first.wait_for(timeout=60_000)
            assert page.get_by_text("Property is type").count() == 0
            choice = page.locator(
                ".schema-form-property",
                has=page.locator(".schema-form-property__label", has_text="Loại giải pháp"),
            ).last
            control = choice.locator(".p-select-button__control").first
            control.scroll_into_view_if_needed()
            control.press("ArrowDown")  # opens Prefect's select (a click alone did not, headless)
            options = page.get_by_role("option")
            options.first.wait_for(timeout=10_000)
            assert options.all_inner_texts() == [
                "Kỹ thuật",
                "Quản lý",
                "Tác nghiệp",
                "Ứng dụng tiến bộ kỹ thuật",
            ]
            place.shot(page, "form")
            page.keyboard.press("Escape")

            # 2. A sweep: its name says the day, its logs say what it sent, in Vietnamese.
            day = last.fromordinal(last.toordinal() + 1)
            sweep = start("deadline-sweep/daily", {"cycle": 2025, "as_of": day.isoformat()})
            assert wait_final(sweep).is_completed()
            open_run(page, place, sweep)
            page.get_by_text(f"quet-han-{day.isoformat()}").first.wait_for(timeout=60_000)
            page.get_by_text(f"Quét hạn ngày {day:%d/%m/%Y}").first.wait_for(timeout=60_000)
            page.get_by_text(re.compile(r"^Đã gửi \d+ thư")).first.wait_for(timeout=60_000)
            place.shot(page, "logs")

            # 3. The paused recognition: its name, and the council's recommendation in the form.
            config = load_cycle_config(place.config)
            # Tall enough for the dialog to show the description above the fields, as a chair
            # on a desktop screen sees it (at 900 px the description is a sliver above them).
            page.set_viewport_size({"width": 1440, "height": 1400})
            dialog = _resume_form(page, place)
            page.get_by_text("cong-nhan-2025").first.wait_for(timeout=60_000)
            dialog.get_by_text("Hội đồng sáng kiến đề nghị công nhận").first.wait_for()
            for paper in ("bien-ban", "to-trinh"):
                assert dialog.locator(f"a[href^='{place.documents}/tai-lieu/'][href*='{paper}']").count() == 1
            assert dialog.get_by_text("Đề nghị công nhận", exact=True).count() >= 1  # a row of the table
            dialog.get_by_text("Hội đồng sáng kiến đề nghị công nhận").first.scroll_into_view_if_needed()
            place.shot(page, "approval")

            # 4. A date before the council's review: the form comes back in Vietnamese, nothing stored.
            number = f"07/{config.numbering.decision_suffix}"
            _fill(dialog, "Số quyết định", number)
            _fill(dialog, "Ngày ký", "01/01/2025")
            dialog.get_by_role("button", name="Submit").click()
            _paused_again(place, "Chưa ban hành được")
            dialog = _resume_form(page, place)
            refusal = dialog.get_by_text("trước ngày Hội đồng xét xong").first
            refusal.wait_for(timeout=60_000)
            refusal.scroll_into_view_if_needed()
            place.shot(page, "approval-refused")
            assert _decisions(place.database) == 0

            # 5. A valid approval: the year goes on to its decision.
            signed = datetime.now(ZoneInfo(config.timezone)).date()
            _fill(dialog, "Số quyết định", number)
            _fill(dialog, "Ngày ký", f"{signed:%d/%m/%Y}")
            dialog.get_by_role("button", name="Submit").click()
            out, _ = place.replay.communicate(timeout=600)
            assert place.replay.returncode == 0, out[-2000:]
            assert json.loads(out.strip().splitlines()[-1])["decision"] == number
            assert _decisions(place.database) == 1

            # 6. The decision, one click away from its artifact: a .docx served with its media type.
            page.set_viewport_size({"width": 1440, "height": 900})
            page.goto(f"{place.ui}/artifacts/key/decision-2025", wait_until="networkidle")
            page.get_by_text("Quyết định công nhận sáng kiến năm 2025").first.wait_for(timeout=60_000)
            page.get_by_role("link", name=re.compile(r"^[0-9a-f]{8}$")).first.click()  # its latest version
            page.wait_for_load_state("networkidle")
            link = page.locator(f"a[href^='{place.documents}/tai-lieu/'][href$='.docx']").first
            link.wait_for(timeout=60_000)
            place.shot(page, "artifacts")
            response = page.request.get(str(link.get_attribute("href")))
            assert response.status == 200
            assert response.headers["content-type"] == DOCX
            assert response.body()[:2] == b"PK"
            page.goto(f"{place.documents}/chu-ky/2025", wait_until="networkidle")
            page.get_by_text("Quyết định công nhận sáng kiến (bản Word để ký)").first.wait_for()
            place.shot(page, "documents")

            # 7. A CSV with one bad row, uploaded: a failed run naming the row, nothing stored.
            before = _reports(place.database)
            upload = tmp_path / "bao-cao.csv"
            upload.write_text(
                "unit_code,results,submitted_on\n"
                "M000001,Đã áp dụng tại Bộ phận Một cửa,\n"
                "X99999,Đã áp dụng,\n",
                encoding="utf-8",
            )
            page.goto(f"{place.documents}/nhap-tep", wait_until="networkidle")
            page.select_option("#cycle", "2025")
            page.select_option("#kind", label="Báo cáo kết quả")
            page.set_input_files("#file", str(upload))
            place.shot(page, "upload")
            page.get_by_role("button", name="Nhập tệp").click()
            run_link = page.locator("#run-link")
            run_link.wait_for(timeout=60_000)
            run_id = UUID(str(run_link.get_attribute("href")).rsplit("/", 1)[-1])
            state = wait_final(run_id)
            assert state.is_failed()
            assert "bao-cao.csv:3" in state.message
            assert "X99999" in state.message
            run_link.click()
            page.wait_for_load_state("networkidle")
            page.get_by_text("bao-cao.csv:3").first.wait_for(timeout=60_000)
            assert page.get_by_text("Traceback").count() == 0
            place.shot(page, "upload-failed")
            assert _reports(place.database) == before
        except Exception:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)  # what went wrong
            (tmp_path / "failure.html").write_text(page.content(), encoding="utf-8")
            raise
        finally:
            browser.close()
