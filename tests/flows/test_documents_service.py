"""Documents one click away, wherever the worker ran: the flows store what they render in the
database, and the documents service (another data directory, the same database) opens every
document the run's artifacts link to."""

from __future__ import annotations

import base64
import io
import re
import shutil
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from prefect.client.orchestration import get_client

from deployments.documents_service import DocumentsServer, documents_service
from flows.deadline_sweep import deadline_sweep
from flows.district_report import district_report
from flows.open_cycle import open_cycle
from models.db import MEDIA_TYPES
from models.settings import DocumentsSettings, Settings
from tests.flows.conftest import World
from tests.notifications.smtp_servers import free_port


def _get(url: str, auth: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - the test's own server
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def _links(origin: str) -> set[str]:
    """Every document link to `origin` of every artifact (link artifacts are Markdown links in the
    API). The harness's server is shared by the session, so other tests' links (to other ports)
    are left out."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts()
    pattern = re.escape(origin) + r"/tai-lieu/[^)]+"
    return {link for a in found for link in re.findall(r"\((" + pattern + r")\)", str(a.data))}


def test_a_worker_elsewhere_renders_and_the_service_opens_every_linked_document(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's files are gone from its disk; every link still opens, with its media type."""
    port = free_port()
    monkeypatch.setenv("SANGKIEN_DOCUMENTS__PORT", str(port))
    open_cycle()
    deadline_sweep(2024, date(2024, 10, 8))  # 30 days after the deadline: the escalation letter
    district_report(2024, date(2024, 12, 20))
    shutil.rmtree(world.data_dir / "out")  # nothing of the worker's disk is read
    links = _links(f"http://127.0.0.1:{port}")
    assert len(links) == 4  # the letter and the report, each as .docx and HTML
    elsewhere = Settings(
        data_dir=tmp_path / "service-var",
        database_url=f"sqlite:///{tmp_path / 'flows.sqlite3'}",
        documents=DocumentsSettings(port=port),
    )
    with documents_service(elsewhere) as server:
        assert server.origin == f"http://127.0.0.1:{port}"
        for link in links:
            assert link.startswith(server.origin + "/tai-lieu/")
            status, media, body = _get(link)
            assert status == 200, link
            assert media == MEDIA_TYPES[Path(link).suffix]
            if link.endswith(".docx"):
                document = Document(io.BytesIO(body))
                cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
                words = "\n".join([p.text for p in document.paragraphs] + cells)
                assert "ỦY BAN NHÂN DÂN" in words.upper()
                assert "Vĩnh Linh" in words
        status, media, page = _get(f"{server.origin}/chu-ky/2024")
        assert status == 200
        listing = page.decode("utf-8")
        assert "Văn bản chu kỳ 2024" in listing
        assert "Báo cáo sáng kiến của năm (bản Word để ký)" in listing
        assert "Công văn đôn đốc" in listing
        assert _get(f"{server.origin}/tai-lieu/99999/x.docx")[0] == 404


def test_the_service_beyond_loopback_asks_for_the_password(world: World, tmp_path: Path) -> None:
    """Bound beyond 127.0.0.1 it will not start without SANGKIEN_API_AUTH, and with it every page
    needs the password."""
    with pytest.raises(RuntimeError, match="SANGKIEN_API_AUTH"):
        DocumentsServer(
            Settings(data_dir=tmp_path, documents=DocumentsSettings(host="0.0.0.0", port=free_port()))  # noqa: S104
        )
    guarded = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'flows.sqlite3'}",
        api_auth="can-bo:mat-khau",
        documents=DocumentsSettings(port=free_port()),
    )
    with documents_service(guarded) as server:
        assert _get(f"{server.origin}/")[0] == 401
        assert _get(f"{server.origin}/", "can-bo:sai")[0] == 401
        assert _get(f"{server.origin}/", "can-bo:mat-khau")[0] == 200
