"""The deployments' run forms in Vietnamese: what the Prefect UI builds from a parameter schema.

Prefect 3.9 titles every flow parameter with its Python name (``cycle``, ``as_of``) and drops the
description given in ``Annotated[..., Field(...)]``; an optional value is an ``anyOf`` with
``null``, which the form shows as a second input, "Property is type None". So each deployment's
schema is rewritten here once: the title and description of each parameter come from its
``Field``, and ``null`` leaves every ``anyOf`` (an empty field is then left out of the run's
parameters and the flow's default applies). Nested forms (``models.forms``) carry their own
Vietnamese titles; their optional fields are rewritten the same way.
"""

from __future__ import annotations

import inspect
from typing import Annotated, Any, get_args, get_origin

from pydantic.fields import FieldInfo

NULL = {"type": "null"}


def _field_info(annotation: object) -> FieldInfo | None:
    if get_origin(annotation) is not Annotated:
        return None
    infos = [meta for meta in get_args(annotation)[1:] if isinstance(meta, FieldInfo)]
    return infos[-1] if infos else None


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with ``null`` gone from its ``anyOf`` (one choice left: that choice itself)."""
    choices = schema.get("anyOf")
    if not isinstance(choices, list) or NULL not in choices:
        return schema
    kept = [choice for choice in choices if choice != NULL]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if rest.get("default", 0) is None:
        del rest["default"]
    return rest | kept[0] if len(kept) == 1 else rest | {"anyOf": kept}


def _properties(schema: dict[str, Any]) -> None:
    for name, prop in list(schema.get("properties", {}).items()):
        schema["properties"][name] = _without_null(prop)


def vietnamese_schema(function: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The parameter schema of ``function`` with each parameter's own title and description."""
    signature = inspect.signature(function, eval_str=True)
    for name, parameter in signature.parameters.items():
        prop = schema.get("properties", {}).get(name)
        info = _field_info(parameter.annotation)
        if prop is None or info is None:
            continue
        if info.title:
            prop["title"] = info.title
        if info.description:
            prop["description"] = info.description
    _properties(schema)
    for definition in schema.get("definitions", {}).values():
        _properties(definition)
    return schema
