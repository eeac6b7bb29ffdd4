"""Reading a cycle file: TOML, validated as ``CycleConfig``; every problem named by its key."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.cycle.config import CycleConfig
from models.errors import InvalidInput, describe


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "thiếu khóa bắt buộc"
    if error["type"] == "extra_forbidden":
        return "khóa không được nhận (viết sai tên?)"
    return describe(error)[1]


def _where(loc: tuple[Any, ...]) -> str:
    """The key as the file writes it (a deadline is ``deadlines.propose``)."""
    parts = [str(p) for p in loc]
    if parts[:2] == ["deadlines", "dates"]:
        parts = ["deadlines", *parts[2:]]
    return ".".join(parts) or "(tệp)"


def load_cycle_config(path: Path) -> CycleConfig:
    """Read and validate a cycle file; the roster path is made relative to the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"{path}: không có tệp này") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path}: không phải tệp TOML UTF-8 hợp lệ ({exc})") from exc
    try:
        config = CycleConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(err['loc'])}: {_message(err)}" for err in exc.errors())
        raise InvalidInput(f"{path}: {problems}") from exc
    roster = config.roster if config.roster.is_absolute() else path.parent / config.roster
    return config.model_copy(update={"roster": roster})
