"""No dead kind: every registered notice, document, obligation and submission kind has what it
needs (templates, a Vietnamese label, a builder), code that produces it, and a test that names it."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from models.cycle import load_cycle_config
from models.cycle.config import Numbering
from models.imports import import_kinds
from models.intake import OBLIGATIONS, SUBMISSIONS
from notifications.documents.kinds import DOCUMENTS
from notifications.notices.kinds import NOTICES, NoticeKind
from notifications.templating import TEMPLATES
from tests.conftest import REPO, VINH_LINH

PRODUCTION = [
    p
    for package in ("models", "notifications", "tasks", "flows", "deployments")
    for p in (REPO / package).rglob("*.py")
    if p.name != "kinds.py"
]
TESTS = [p for p in (REPO / "tests").rglob("*.py") if p.name != Path(__file__).name]


def _mentioned(patterns: list[str], files: list[Path]) -> bool:
    found = re.compile("|".join(re.escape(p) for p in patterns))
    return any(found.search(f.read_text(encoding="utf-8")) for f in files)


def _vietnamese_label(label: str, code: str) -> None:
    assert label
    assert label != code
    assert label == unicodedata.normalize("NFC", label)
    assert any(ord(c) > 127 for c in label), f"{label!r} is not Vietnamese"


@pytest.mark.parametrize("kind", list(NoticeKind))
def test_every_notice_kind_is_alive(kind: NoticeKind) -> None:
    """Both templates, a label, code that queues it, a test that names it."""
    spec = NOTICES[kind]
    for template in spec.templates:
        assert (TEMPLATES / template).is_file(), template
    _vietnamese_label(spec.label, spec.code)
    assert _mentioned([f"NoticeKind.{kind.name}"], PRODUCTION), f"nothing queues {kind.value}"
    assert _mentioned([f"NoticeKind.{kind.name}", f'"{kind.value}"'], TESTS), f"no test names {kind.value}"


@pytest.mark.parametrize("code", list(DOCUMENTS))
def test_every_document_kind_is_alive(code: str) -> None:
    """A builder, a label, a series and a signer the configuration has, a test that names it."""
    spec = DOCUMENTS[code]
    assert callable(spec.builder)
    _vietnamese_label(spec.label, spec.code)
    assert spec.series is None or spec.series in Numbering.model_fields
    assert spec.signer is None or spec.signer in load_cycle_config(VINH_LINH).signers
    assert _mentioned([f'"{code}"'], TESTS), f"no test renders {code}"


@pytest.mark.parametrize("code", list(OBLIGATIONS))
def test_every_obligation_is_alive(code: str) -> None:
    """Labels, a registered submission kind, the call's item templates, a deadline in the bundled
    cycle, and a test that names it."""
    ob = OBLIGATIONS[code]
    for label in (ob.labels.table, ob.labels.notice, ob.labels.long, ob.labels.receipt):
        _vietnamese_label(label, code)
    assert ob.submission in SUBMISSIONS
    assert ob.kind.obligation == code
    for suffix in (".txt.j2", ".html.j2"):
        assert (TEMPLATES / f"{ob.call_item}{suffix}").is_file()
    assert code in load_cycle_config(VINH_LINH).deadlines.dates
    assert _mentioned([f'"{code}"'], TESTS)


@pytest.mark.parametrize("code", list(SUBMISSIONS))
def test_every_submission_kind_is_an_import_kind(code: str) -> None:
    """Importable by its code, with the unit and the day it was sent among its columns."""
    kind = SUBMISSIONS[code]
    assert code in import_kinds()
    assert {"unit_code", "submitted_on"} <= set(kind.columns)
    for header in kind.columns.values():
        _vietnamese_label(header, code)
