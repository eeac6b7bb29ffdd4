"""The documents service (``sangkien documents serve``; ``up`` and ``demo`` start it too): the
cycle's documents, read-only from the database, and the upload of an import file.

Artifacts in the Prefect UI link here: a browser refuses ``file://`` links, and with workers on
other machines the files are not on the UI's machine; the database is where every worker stores
them (``models.db.documents``). Routes:

- ``/`` the cycles; ``/chu-ky/<year>`` one cycle's documents; ``/tai-lieu/<id>/<name>`` a document;
- ``/nhap-tep`` the upload form; a POST stores the file (the CLI's limits) and starts the
  ``import-submissions/file`` deployment on it, linking the run.

Listening beyond 127.0.0.1 needs ``SANGKIEN_API_AUTH`` ("user:password"), asked as HTTP Basic.
An upload must come from this service's own page (its Origin), so no other site can post one.
"""

from __future__ import annotations

import base64
import contextvars
import hashlib
import hmac
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.parser import BytesParser
from email.policy import HTTP
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx
from prefect.exceptions import ObjectNotFound, PrefectHTTPStatusError
from sqlalchemy import Engine, select

from deployments.stack import is_loopback
from models.cycle import Cycle, find_cycle
from models.db import (
    UPLOAD,
    StoredDocument,
    cycle_documents,
    ensure_schema,
    make_engine,
    session_scope,
    store_document,
)
from models.errors import InvalidInput
from models.forms import shown
from models.imports import import_kind_label, import_kinds
from models.intake.formats import MAX_FILE_BYTES
from models.settings import Settings, load_settings
from notifications.documents.pages import CycleLink, DocumentLine, cycle_page, index_page, upload_page

LOG = logging.getLogger(__name__)
UPLOADS = (".xlsx", ".csv", ".json")
IMPORT_DEPLOYMENT = "import-submissions/file"


class Refused(Exception):  # noqa: N818 - a request refused with a Vietnamese reason
    """An upload this service does not accept; the message tells the officer why."""


@cache
def _engine(url: str) -> Engine:
    engine = make_engine(url)
    ensure_schema(engine)
    return engine


def engine_of(settings: Settings) -> Engine:
    """The service's engine for the configured database (one per process, migrated)."""
    return _engine(settings.resolved_database_url)


def _cycles(settings: Settings) -> list[CycleLink]:
    with session_scope(engine_of(settings)) as session:
        cycles = session.scalars(select(Cycle).order_by(Cycle.year.desc())).all()
        return [CycleLink(c.year, c.name, c.authority.code, c.authority.name) for c in cycles]


def _ui_url() -> str | None:
    from prefect.settings import PREFECT_UI_URL

    return PREFECT_UI_URL.value() or None


class Handler(BaseHTTPRequestHandler):
    """One request; the settings are the server's."""

    server: DocumentsServer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are not worth a terminal line each."""

    def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header(
            "Content-Security-Policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _html(self, page: str, status: int = HTTPStatus.OK) -> None:
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")

    def _authorised(self) -> bool:
        auth = self.server.settings.api_auth
        if auth is None:
            return True
        expected = "Basic " + base64.b64encode(auth.get_secret_value().encode()).decode()
        if hmac.compare_digest(self.headers.get("Authorization", ""), expected):
            return True
        self._send(
            HTTPStatus.UNAUTHORIZED,
            "Cần đăng nhập.".encode(),
            "text/plain; charset=utf-8",
            {"WWW-Authenticate": 'Basic realm="sangkien", charset="UTF-8"'},
        )
        return False

    def do_GET(self) -> None:
        """The index, a cycle's page, a document, or the upload form."""
        if not self._authorised():
            return
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        settings = self.server.settings
        if not parts:
            self._html(index_page(_cycles(settings), _ui_url()))
        elif parts[0] == "chu-ky" and len(parts) == 2 and parts[1].isdigit():
            authority = parse_qs(url.query).get("co-quan", [None])[0]
            self._cycle(int(parts[1]), authority)
        elif parts[0] == "tai-lieu" and len(parts) >= 2 and parts[1].isdigit():
            self._document(int(parts[1]))
        elif parts == ["nhap-tep"]:
            self._html(self._upload_form())
        else:
            self._send(HTTPStatus.NOT_FOUND, "Không có trang này.".encode(), "text/plain; charset=utf-8")

    def _cycle(self, year: int, authority: str | None) -> None:
        settings = self.server.settings
        with session_scope(engine_of(settings)) as session:
            try:
                cycle = find_cycle(session, year, authority)
            except InvalidInput as exc:
                self._send(HTTPStatus.NOT_FOUND, str(exc).encode(), "text/plain; charset=utf-8")
                return
            lines = [
                DocumentLine(
                    d.kind,
                    d.number,
                    d.file_name,
                    len(d.content),
                    d.updated_at,
                    f"/tai-lieu/{d.id}/{quote(d.file_name)}",
                )
                for d in cycle_documents(session, cycle.id)
            ]
            timezone = cycle.timezone
        self._html(cycle_page(year, lines, timezone, _ui_url()))

    def _document(self, document_id: int) -> None:
        settings = self.server.settings
        with session_scope(engine_of(settings)) as session:
            found = session.get(StoredDocument, document_id)
            if found is None or found.kind == UPLOAD:
                self._send(
                    HTTPStatus.NOT_FOUND, "Không có văn bản này.".encode(), "text/plain; charset=utf-8"
                )
                return
            body, media, name = found.content, found.media_type, found.file_name
        disposition = "inline" if media.startswith("text/html") else "attachment"
        self._send(
            HTTPStatus.OK,
            body,
            media,
            {
                "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "no-store",
            },
        )

    def _upload_form(self, **outcome: str) -> str:
        kinds = [(code, import_kind_label(code)) for code in import_kinds()]
        return upload_page(
            _cycles(self.server.settings), kinds, MAX_FILE_BYTES // 1_048_576, _ui_url(), **outcome
        )

    def do_POST(self) -> None:
        """An upload: stored, and the import started on it."""
        if not self._authorised():
            return
        if urlsplit(self.path).path.rstrip("/") != "/nhap-tep":
            self._send(HTTPStatus.NOT_FOUND, "Không có trang này.".encode(), "text/plain; charset=utf-8")
            return
        origin = self.headers.get("Origin")
        if origin not in (None, self.server.origin):
            self._send(
                HTTPStatus.FORBIDDEN, "Chỉ nhận tệp gửi từ trang này.".encode(), "text/plain; charset=utf-8"
            )
            return
        try:
            self._html(self._upload_form(**self._take_upload()))
        except Refused as exc:
            self._html(self._upload_form(error=str(exc)), HTTPStatus.BAD_REQUEST)

    def _discard(self, length: int) -> None:
        """Read and drop a refused body of up to four times the limit; a bigger one is cut off."""
        if length > 4 * MAX_FILE_BYTES:
            self.close_connection = True
            return
        while length > 0:
            length -= len(self.rfile.read(min(length, 1 << 16)) or b"\0" * length)

    def _take_upload(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_FILE_BYTES + 65_536:
            self._discard(length)  # read, so the browser shows the reason rather than a reset
            raise Refused(
                f"tệp quá lớn ({length / 1_048_576:.1f} MB); tối đa {MAX_FILE_BYTES // 1_048_576} MB"
            )
        body = self.rfile.read(length)
        media = self.headers.get("Content-Type", "")
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {media}\r\n\r\n".encode() + body)
        fields: dict[str, str] = {}
        name, content = "", b""
        for part in message.iter_parts() if message.is_multipart() else ():
            field = part.get_param("name", header="content-disposition")
            if field == "file":
                name = Path(part.get_filename() or "").name
                payload = part.get_payload(decode=True)
                content = payload if isinstance(payload, bytes) else b""
            elif isinstance(field, str):
                fields[field] = str(part.get_content()).strip()
        return start_import(
            self.server.settings, fields.get("cycle", ""), fields.get("kind", ""), name, content
        )


def start_import(settings: Settings, year: str, kind: str, name: str, content: bytes) -> dict[str, str]:
    """Store an uploaded file and start the import on it; what the page shows (the run's link)."""
    from prefect.client.schemas.objects import FlowRun
    from prefect.deployments import run_deployment

    if not name:
        raise Refused("chưa chọn tệp; hãy chọn tệp xlsx, csv hoặc json")
    if Path(name).suffix.lower() not in UPLOADS:
        raise Refused(f"tệp {name}: chỉ nhận tệp xlsx, csv hoặc json")
    if len(content) > MAX_FILE_BYTES:
        raise Refused(
            f"tệp {name} quá lớn; tối đa {MAX_FILE_BYTES // 1_048_576} MB, hãy chia thành nhiều tệp"
        )
    if kind not in import_kinds():
        raise Refused(f"không có loại dữ liệu {kind[:40]}; hãy chọn trong danh sách")
    if not year.isdigit():
        raise Refused("hãy chọn chu kỳ")
    with session_scope(engine_of(settings)) as session:
        try:
            cycle = find_cycle(session, int(year))
        except InvalidInput as exc:
            raise Refused(str(exc)) from None
        prefix = hashlib.sha256(content).hexdigest()[:12]
        stored = store_document(session, cycle.id, UPLOAD, f"{prefix}/{name}", content)
    try:
        run = run_deployment(
            IMPORT_DEPLOYMENT,
            # The form's value for the kind: its Vietnamese label (the deployment's schema is its select).
            parameters={"cycle": int(year), "kind": shown(import_kind_label(kind)), "upload_id": stored.id},
            timeout=0,
        )
    except ObjectNotFound:
        raise Refused(
            f"tệp {name} đã được lưu nhưng máy chủ Prefect chưa có luồng nhập tệp ({IMPORT_DEPLOYMENT});"
            " hãy báo cán bộ kỹ thuật chạy sangkien serve hoặc sangkien deploy, rồi gửi lại tệp"
        ) from None
    except (httpx.HTTPError, PrefectHTTPStatusError) as exc:
        LOG.warning("import of upload %s not started: %r", stored.id, exc)
        raise Refused(
            f"tệp {name} đã được lưu nhưng không kết nối được máy chủ Prefect; hãy thử lại sau ít phút"
        ) from None
    if not isinstance(run, FlowRun):
        raise TypeError("run_deployment returned a coroutine in a sync context")
    ui = _ui_url() or ""
    return {"run_url": f"{ui}/runs/flow-run/{run.id}", "run_name": run.name, "file_name": name}


class DocumentsServer(ThreadingHTTPServer):
    """The HTTP server, holding the settings its handlers read.

    Each request runs in a copy of the context the server was made in: a new thread starts with
    an empty one, where Prefect's settings are those read from the environment at import, not
    those of the code that started the service (``temporary_settings``, a profile)."""

    daemon_threads = True

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.context = contextvars.copy_context()
        host, port = settings.documents.host, settings.documents.port
        if not is_loopback(host) and settings.api_auth is None:
            raise RuntimeError(
                f"không mở dịch vụ văn bản tại {host} khi chưa đặt SANGKIEN_API_AUTH (tên:mật_khẩu)"
            )
        super().__init__((host, port), Handler)
        self.origin = (settings.documents.public_url or f"http://{host}:{self.server_address[1]}").rstrip("/")

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """One request, in the server's context (see the class)."""
        self.context.copy().run(super().process_request_thread, request, client_address)


@contextmanager
def documents_service(settings: Settings | None = None) -> Iterator[DocumentsServer]:
    """The service running in a thread of this process while the block runs."""
    server = DocumentsServer(settings or load_settings())
    thread = threading.Thread(target=server.serve_forever, name="documents-service", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
