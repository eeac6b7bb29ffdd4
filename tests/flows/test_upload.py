"""Files in from the browser: the documents service's upload (``POST /nhap-tep``) answers every
wrong upload with its page and a Vietnamese reason naming the file, and starts no run; a right one
is stored and starts ``import-submissions/file`` with the form's values.

Each upload is posted over real HTTP to a real service on the Prefect test harness. The run
itself, and a file whose bad row fails it, are driven in a real browser by
``tests/deployments/test_ui_workplace.py``.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment

from deployments.documents_service import DocumentsServer, documents_service
from flows.open_cycle import open_cycle
from models.intake.formats import MAX_FILE_BYTES
from models.settings import DocumentsSettings, Settings
from tests.flows.conftest import World
from tests.notifications.smtp_servers import free_port

CSV = "unit_code,results,submitted_on\nVL-VP,Đã áp dụng,\n".encode()


def _post(
    origin: str, fields: dict[str, str], file: tuple[str, bytes] | None, sender: str | None = None
) -> tuple[int, str]:
    """A multipart POST as the upload page's form sends it: the status and the page's text."""
    boundary = uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    if file is not None:
        name, content = file
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{origin}/nhap-tep", data=body, method="POST")  # noqa: S310
    request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
    request.add_header("Origin", sender or origin)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the test's server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _runs() -> int:
    with get_client(sync_client=True) as client:
        return len(client.read_flow_runs())


@pytest.fixture
def service(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DocumentsServer]:
    """The service on an opened 2024 cycle; its request threads reach the harness's server (the
    context it was started in), not a temporary server of their own."""
    open_cycle()
    settings = Settings(
        data_dir=tmp_path / "service-var",
        database_url=f"sqlite:///{tmp_path / 'flows.sqlite3'}",
        documents=DocumentsSettings(port=free_port()),
    )
    with documents_service(settings) as server:
        yield server


@pytest.mark.parametrize(
    ("fields", "file", "says"),
    [
        ({"cycle": "2024", "kind": "reports"}, None, "chưa chọn tệp"),
        (
            {"cycle": "2024", "kind": "reports"},
            ("bao-cao.exe", CSV),
            "tệp bao-cao.exe: chỉ nhận tệp xlsx, csv hoặc json",
        ),
        (
            {"cycle": "2024", "kind": "diem"},
            ("bao-cao.csv", CSV),
            "không có loại dữ liệu diem; hãy chọn trong danh sách",
        ),
        ({"cycle": "", "kind": "reports"}, ("bao-cao.csv", CSV), "hãy chọn chu kỳ"),
        ({"cycle": "2031", "kind": "reports"}, ("bao-cao.csv", CSV), "2031"),
        (
            {"cycle": "2024", "kind": "reports"},
            ("<img src=x onerror=alert(1)>.exe", CSV),
            "tệp &lt;img src=x onerror=alert(1)&gt;.exe: chỉ nhận",
        ),
        (
            {"cycle": "2024", "kind": "reports"},
            ("lớn.csv", b"x" * (MAX_FILE_BYTES + 70_000)),
            "quá lớn",
        ),
    ],
    ids=["no-file", "wrong-type", "unknown-kind", "no-cycle", "unknown-cycle", "markup-name", "oversized"],
)
def test_a_wrong_upload_is_refused_with_its_reason_and_starts_no_run(
    service: DocumentsServer, fields: dict[str, str], file: tuple[str, bytes] | None, says: str
) -> None:
    """The page comes back (400) with the reason; no run is started."""
    before = _runs()
    status, page = _post(service.origin, fields, file)
    assert status == 400
    assert says in page
    assert "<img" not in page
    assert "Traceback" not in page
    assert _runs() == before


def test_an_upload_from_another_site_is_refused(service: DocumentsServer) -> None:
    """Only this service's own page may post a file."""
    status, page = _post(
        service.origin, {"cycle": "2024", "kind": "reports"}, ("a.csv", CSV), "http://evil.example"
    )
    assert status == 403
    assert "Chỉ nhận tệp gửi từ trang này" in page


def test_an_upload_with_no_import_flow_served_says_whom_to_ask(service: DocumentsServer) -> None:
    """The file is kept; the officer is told the import flow is not served, not shown an empty page."""
    status, page = _post(service.origin, {"cycle": "2024", "kind": "reports"}, ("bao-cao.csv", CSV))
    assert status == 400
    assert "tệp bao-cao.csv đã được lưu nhưng máy chủ Prefect chưa có luồng nhập tệp" in page
    assert "sangkien serve" in page


def test_an_upload_starts_the_import_with_the_forms_values(service: DocumentsServer) -> None:
    """The deployment's schema is enforced: the kind goes as its select shows it, the file by id."""
    from deployments.documents_service import engine_of
    from flows.import_submissions import import_submissions
    from models.db import StoredDocument, session_scope

    deployment = import_submissions.to_deployment(name="file")
    assert isinstance(deployment, RunnerDeployment)
    deployment.apply()  # created, not served: the run waits, and is read back as created
    status, page = _post(service.origin, {"cycle": "2024", "kind": "reports"}, ("bao-cao.csv", CSV))
    assert status == 200, page
    assert "Đã nhận tệp bao-cao.csv" in page
    run_id = page.split('id="run-link" href="', 1)[1].split('"', 1)[0].rsplit("/", 1)[-1]
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(UUID(run_id))
    assert run.parameters["kind"] == "Báo cáo kết quả"
    assert run.parameters["cycle"] == 2024
    with session_scope(engine_of(service.settings)) as session:
        stored = session.get(StoredDocument, run.parameters["upload_id"])
        assert stored is not None
        assert stored.content == CSV
        assert stored.file_name.endswith("/bao-cao.csv")
