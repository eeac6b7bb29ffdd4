"""Rendering notices from the Jinja2 pairs under ``notifications/templates/``.

Each kind has ``KIND.txt.j2`` (which also sets ``subject``) and ``KIND.html.j2``. The HTML
environment escapes every value (markup in a unit's text stays text); both refuse an undefined
variable, so a missing fact is an error, never an empty gap in a letter. Rendering is pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Undefined

from models.text import nfc

TEMPLATES = Path(__file__).parent.parent / "templates"
NOTICE_KINDS = (
    "call_for_proposals",
    "receipt",
    "reminder",
    "overdue",
    "escalation",
    "review_request",
    "more_information",
    "decision",
    "score",
    "extension_receipt",
    "extension_decision",
)
_SPACES = re.compile(r"\s+")


def ngay(value: date | Undefined) -> str:
    """A date as Vietnamese documents write it: 04/09/2024 (a missing date names itself)."""
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises UndefinedError naming the variable
    return f"{value:%d/%m/%Y}"


def ngay_chu(value: date | Undefined) -> str:
    """The place-and-date line's date: 'ngày 08 tháng 10 năm 2024' (Decree 30/2020: leading
    zero for days below 10 and for months 1 and 2)."""
    if isinstance(value, Undefined):
        str(value)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def so(value: Decimal | int | float | Undefined) -> str:
    """A number as Vietnamese writes it: 0,5 and 2 (a decimal comma, no trailing zeros)."""
    if isinstance(value, Undefined):
        str(value)
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",")


def _nfc_all(value: Any) -> Any:
    """The context in NFC throughout, before any filter measures or cuts a string."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, Mapping):
        return {k: _nfc_all(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc_all(v) for v in value]
    return value


def _environment(*, html: bool) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,  # noqa: S701 - on for HTML; the text part is plain text, never a page
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["ngay"] = ngay
    env.filters["so"] = so
    env.filters["ngay_chu"] = ngay_chu
    return env


_TEXT = _environment(html=False)
_HTML = _environment(html=True)


@dataclass(frozen=True, slots=True)
class RenderedNotice:
    """A notice as it will be sent: one-line subject, plain text and HTML bodies, all NFC."""

    subject: str
    text: str
    html: str


def render_notice(kind: str, context: Mapping[str, Any]) -> RenderedNotice:
    """Render the pair of ``kind`` with ``context``; the subject is one line, whatever the input."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"unknown notice kind {kind!r}")
    context = _nfc_all(context)
    module = _TEXT.get_template(f"{kind}.txt.j2").make_module(dict(context))
    subject = _SPACES.sub(" ", str(getattr(module, "subject", ""))).strip()
    if not subject:
        raise ValueError(f"template {kind}.txt.j2 sets no subject")
    text = str(module).strip() + "\n"
    html = _HTML.get_template(f"{kind}.html.j2").render({**context, "subject": subject})
    return RenderedNotice(nfc(subject), nfc(text), nfc(html))
