"""The local stack of the embedded default: a Prefect server with its UI, and the SMTP sink.

``LocalStack`` starts ``prefect server start`` (data under ``var/prefect``, analytics off) on
127.0.0.1:4200 unless an API already answers there, and the sink when no SMTP host is set;
``stop`` ends exactly what it started, so Ctrl-C leaves no process behind.

The API is closed to other origins: CORS allows only the UI's own origin and CSRF protection is
on, so a page in any other tab of a browser cannot drive it. Listening beyond 127.0.0.1 needs
``SANGKIEN_API_AUTH`` ("user:password"): the API and the UI then ask for it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from aiosmtpd.controller import Controller

from models.settings import Settings
from notifications.mail.sink import start_sink

SINK_PORT = 1025


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    return host in ("localhost", "::1") or host.startswith("127.")


def api_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a Prefect API answers its health check at ``url``."""
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:  # noqa: S310 - our own URL
            return bool(response.status == 200)
    except OSError:
        return False


@dataclass
class LocalStack:
    """Start what is missing; stop what was started."""

    settings: Settings
    host: str = "127.0.0.1"
    port: int = 4200
    public_url: str | None = None  # where browsers reach the UI, when not http://host:port
    server: subprocess.Popen[bytes] | None = None
    sink: Controller | None = None
    environment: dict[str, str] = field(default_factory=dict)
    _saved: dict[str, str | None] = field(default_factory=dict)

    @property
    def api_url(self) -> str:
        """The API this stack uses: PREFECT_API_URL when set, else its own server's."""
        return (
            self.environment.get("PREFECT_API_URL")
            or os.environ.get("PREFECT_API_URL")
            or (f"http://{self.host}:{self.port}/api")
        )

    @property
    def ui_url(self) -> str:
        """Where an operator opens the UI."""
        return (self.public_url or self.api_url.removesuffix("/api")).rstrip("/")

    def server_environment(self, home: Path) -> dict[str, str]:
        """The server's settings: its home, its UI's API address, a closed API."""
        env = {
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            # The UI calls the API at this address; it assumes port 4200 otherwise.
            "PREFECT_UI_API_URL": f"{self.ui_url}/api",
            "PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS": self.ui_url,
            "PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED": "true",
        }
        auth = self.settings.api_auth
        if auth is not None:
            env["PREFECT_SERVER_API_AUTH_STRING"] = auth.get_secret_value()
        elif not is_loopback(self.host):
            raise RuntimeError(
                f"không mở máy chủ Prefect tại {self.host} khi chưa đặt SANGKIEN_API_AUTH (tên:mật_khẩu)"
            )
        return env

    def start(self, timeout: float = 120) -> LocalStack:
        """Bring up the server (unless one answers) and the sink (unless SMTP is configured)."""
        home = (self.settings.data_dir / "prefect").resolve()
        home.mkdir(parents=True, exist_ok=True)
        if not api_answers(self.api_url):
            env = os.environ | self.server_environment(home)
            prefect = Path(sys.executable).parent / "prefect"
            log = (home / "server.log").open("ab")
            self.server = subprocess.Popen(  # noqa: S603 - our own environment's prefect
                [str(prefect), "server", "start", "--host", self.host, "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            deadline = time.monotonic() + timeout
            while not api_answers(self.api_url):
                if self.server.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}")
                time.sleep(0.5)
        self.environment = {"PREFECT_API_URL": self.api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        if self.settings.api_auth is not None:
            self.environment["PREFECT_API_AUTH_STRING"] = self.settings.api_auth.get_secret_value()
        if not self.settings.smtp.host:
            self.sink = start_sink(self.settings.mail_folder, port=SINK_PORT)
            self.environment |= {"SANGKIEN_SMTP__HOST": "127.0.0.1", "SANGKIEN_SMTP__PORT": str(SINK_PORT)}
        self._saved = {key: os.environ.get(key) for key in self.environment}
        os.environ.update(self.environment)  # flow runs served from here inherit them
        return self

    def stop(self) -> None:
        """Stop the sink and the server if this stack started them; restore the environment."""
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved = {}
        if self.sink is not None:
            self.sink.stop()
            self.sink = None
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait()
        self.server = None

    def __enter__(self) -> LocalStack:
        return self if self.environment else self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
