"""The one settings object: everything sangkien reads from the environment.

Variables carry the prefix ``SANGKIEN_`` and nest with ``__`` (``SANGKIEN_SMTP__HOST``).
Nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

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


class Settings(BaseSettings):
    """Process-wide settings, validated once."""

    model_config = SettingsConfigDict(
        env_prefix="SANGKIEN_", env_nested_delimiter="__", frozen=True, extra="ignore"
    )

    data_dir: Path = Path("var")
    database_url: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    smtp: SmtpSettings = SmtpSettings()
    # Off: flows queue notices but leave delivery to a separate run (and benchmarks leave it out).
    deliver_notices: bool = True

    @cached_property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sangkien.sqlite3').resolve()}"

    @cached_property
    def zone(self) -> ZoneInfo:
        """The timezone that defines 'today' for submissions and sweeps."""
        return ZoneInfo(self.timezone)


def load_settings() -> Settings:
    """Read the environment now (tests call it after changing variables)."""
    return Settings()
