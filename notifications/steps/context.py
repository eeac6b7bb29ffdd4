"""What every step of the cycle is given besides the database: who acts, and the settings that
say where documents go and in which domain Message-IDs are made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from models.settings import Settings, load_settings


@dataclass(frozen=True, slots=True)
class StepContext:
    """The actor a step records in the audit log, and the process's settings."""

    actor: str
    settings: Settings = field(default_factory=load_settings)

    @property
    def domain(self) -> str:
        """The domain of the Message-IDs of notices the step queues."""
        return self.settings.sender_domain

    def folder(self, year: int) -> Path:
        """Where the step writes the documents of the cycle of ``year``."""
        return self.settings.out_folder(year)
