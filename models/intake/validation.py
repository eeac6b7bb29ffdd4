"""Turning Pydantic's findings into located, Vietnamese messages an officer can act on."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from models.errors import RowError, describe
from models.intake.reading import SourceRow

M = TypeVar("M", bound=BaseModel)


def parse_rows(
    rows: Iterable[SourceRow], schema: type[M], file: str, errors: list[RowError]
) -> list[tuple[int, M]]:
    """Each row validated against ``schema``; problems are appended to ``errors``."""
    parsed: list[tuple[int, M]] = []
    for row in rows:
        try:
            parsed.append((row.number, schema.model_validate(row.cells)))
        except ValidationError as exc:
            errors.extend(RowError(file, row.number, *describe(e)) for e in exc.errors())
    return parsed


def required_columns(schema: type[BaseModel]) -> frozenset[str]:
    """The fields a file must have a column for."""
    return frozenset(name for name, f in schema.model_fields.items() if f.is_required())


def json_kinds(schema: type[BaseModel]) -> dict[str, frozenset[str]]:
    """The JSON types each field takes besides text: numbers for numeric fields, true/false for
    yes/no fields; a number or true in a text field is refused, never turned into text."""
    kinds: dict[str, frozenset[str]] = {}
    for name, field in schema.model_fields.items():
        shown = repr(field.annotation)
        accepted = {"text"}
        if "bool" in shown:
            accepted.add("bool")
        if any(t in shown for t in ("int", "Decimal", "float")):
            accepted.add("number")
        kinds[name] = frozenset(accepted)
    return kinds
