"""The one settings object: everything sangkien reads from the environment.

Variables carry the prefix ``SANGKIEN_`` and nest with ``__`` (``SANGKIEN_SMTP__HOST``).
Nothing else in the code base reads ``os.environ``. ``load_settings`` validates once per set of
``SANGKIEN_*`` values and caches the result: every caller sees the same object, and a process
whose environment changes (a test, a stack that points served runs at its sink) sees the change.
Time zones are not a setting: "today" is always the day in the cycle's own zone (its file says
which; ``Asia/Ho_Chi_Minh`` by default).
"""

from __future__ import annotations

import os
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SmtpSettings(BaseModel):
    """Where notices go; with no host the local SMTP sink is used (notices issue)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str | None = None
    port: int = Field(default=1025, ge=1, le=65535)
    username: str | None = None
    password: SecretStr | None = None
    starttls: bool = False
    sender: str = "noreply@sangkien.example"
    timeout: float = Field(default=30.0, gt=0, le=600)
    # Connections kept open to the server; also the most messages a killed deliverer can leave
    # accepted but not yet marked sent (each connection marks its message before the next).
    connections: int = Field(default=4, ge=1, le=32)
    # How long a claimed notice is reserved for its deliverer; after that another takes it.
    lease_seconds: float = Field(default=300.0, gt=0, le=86_400)


class ImapSettings(BaseModel):
    """The authority's mailbox that units reply to (the collector reads it); with no host, none.

    ``schedule`` is the cron of the ``collect-replies`` deployment, in the cycle's timezone: every
    15 minutes of working hours, Monday to Friday, by default.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)  # 993 with SSL, 143 without
    username: str | None = None
    password: SecretStr | None = None
    ssl: bool = True
    folder: str = "INBOX"
    done_folder: str = "Sáng kiến/Đã xử lý"  # "/" is the server's hierarchy delimiter
    rejected_folder: str = "Sáng kiến/Không tiếp nhận"
    timeout: float = Field(default=60.0, gt=0, le=600)
    schedule: str = "*/15 7-17 * * 1-5"
    max_message_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)

    @property
    def resolved_port(self) -> int:
        """The configured port, or the IMAP default for the transport."""
        return self.port or (993 if self.ssl else 143)

    @property
    def mailbox(self) -> str:
        """The mailbox as the ledger names it: ``user@host:port/folder``."""
        return f"{self.username or ''}@{self.host or ''}:{self.resolved_port}/{self.folder}"


class DocumentsSettings(BaseModel):
    """The documents service (``sangkien documents serve``): where it listens, and the address
    artifacts link to (``public_url``, when browsers reach it through another name)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(default=4201, ge=1, le=65535)
    public_url: str | None = None

    @property
    def url(self) -> str:
        """Where a browser opens the service."""
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")


class Settings(BaseSettings):
    """Process-wide settings, validated once."""

    model_config = SettingsConfigDict(
        env_prefix="SANGKIEN_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    smtp: SmtpSettings = SmtpSettings()
    imap: ImapSettings = ImapSettings()
    documents: DocumentsSettings = DocumentsSettings()
    # Off: flows queue notices but leave delivery to a separate run (and benchmarks leave it out).
    deliver_notices: bool = True
    # "user:password" the Prefect API (and its UI) requires; needed to listen beyond 127.0.0.1.
    api_auth: SecretStr | None = None
    # The only folder the import-submissions flow reads files from (default: <data dir>/intake).
    intake_dir: Path | None = None
    # The checkout a worker runs deployed flows from (default: the one the package is installed from).
    checkout: Path | None = None

    @cached_property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sangkien.sqlite3').resolve()}"

    @property
    def sender_domain(self) -> str:
        """The domain Message-IDs are made in: the sender address's."""
        return self.smtp.sender.rpartition("@")[2] or "sangkien.example"

    def out_folder(self, year: int) -> Path:
        """Where a cycle's documents are written: ``<data dir>/out/<year>/``."""
        return self.data_dir / "out" / str(year)

    @property
    def intake_folder(self) -> Path:
        """Where files for the import-submissions flow must be (uploads land here too)."""
        return self.intake_dir or self.data_dir / "intake"

    @property
    def mail_folder(self) -> Path:
        """Where the local SMTP sink keeps what it receives."""
        return self.data_dir / "mail"


def load_settings() -> Settings:
    """The settings of the environment as it is now (validated once per set of values)."""
    values = tuple(sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("SANGKIEN_")))
    return _settings(values)


@lru_cache(maxsize=8)
def _settings(_values: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()
