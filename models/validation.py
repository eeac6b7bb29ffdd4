"""Turning Pydantic's findings into located, Vietnamese messages an officer can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from models.errors import RowError
from models.reading import SourceRow

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "bắt buộc, không được để trống",
    "string_too_short": "quá ngắn (tối thiểu {min_length} ký tự)",
    "string_too_long": "quá dài (tối đa {max_length} ký tự)",
    "too_short": "phải có ít nhất {min_length} mục",
    "too_long": "có quá nhiều mục (tối đa {max_length})",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "decimal_parsing": "phải là số (dùng dấu chấm thập phân)",
    "decimal_max_places": "tối đa {decimal_places} chữ số thập phân",
    "decimal_max_digits": "quá nhiều chữ số",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "greater_than": "phải lớn hơn {gt}",
    "extra_forbidden": "trường không được nhận",
    "literal_error": "phải là một trong: {expected}",
    "finite_number": "phải là một số hữu hạn",
    "date_from_datetime_inexact": "phải là một ngày, không kèm giờ",
}


def describe(error: Any) -> tuple[str, str]:
    """The column and the Vietnamese message of one Pydantic error."""
    column = str(error["loc"][0]) if error["loc"] else "-"
    kind = error["type"]
    if kind == "value_error":
        return column, str(error["ctx"]["error"])
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
        kind = "string_" + kind  # a length checked after a text cleaner reads as a list length
    template = _MESSAGES.get(kind)
    if template is None:
        return column, f"giá trị không hợp lệ ({error['msg']})"
    return column, template.format(**error.get("ctx", {}))


def parse_rows(
    rows: list[SourceRow], schema: type[M], file: str, errors: list[RowError]
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
