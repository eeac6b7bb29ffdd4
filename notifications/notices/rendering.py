"""Rendering notices from the Jinja2 pairs under ``notifications/templates/``.

Each kind has ``KIND.txt.j2`` (which also sets ``subject``) and ``KIND.html.j2``. The HTML
environment escapes every value (markup in a unit's text stays text); both refuse an undefined
variable, so a missing fact is an error, never an empty gap in a letter. Rendering is pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, StrictUndefined

from models.text import nfc
from notifications.notices.kinds import notice_spec
from notifications.templating import environment

_SPACES = re.compile(r"\s+")


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
    return environment(
        autoescape=html,  # on for HTML; the text part is plain text, never a page
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


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
    text_template, html_template = notice_spec(kind).templates
    context = _nfc_all(context)
    module = _TEXT.get_template(text_template).make_module(dict(context))
    subject = _SPACES.sub(" ", str(getattr(module, "subject", ""))).strip()
    if not subject:
        raise ValueError(f"template {kind}.txt.j2 sets no subject")
    text = str(module).strip() + "\n"
    html = _HTML.get_template(html_template).render({**context, "subject": subject})
    return RenderedNotice(nfc(subject), nfc(text), nfc(html))
