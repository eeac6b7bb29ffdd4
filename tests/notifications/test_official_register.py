"""What an official reads, for the bundled 2024 year and for another authority's 2025 year: every
notice kind (text and HTML parts, from the replayed year and from the rendering cases), every
document kind, and the notices table. None addresses units as "quý", none writes an arrow or a
year twice, no e-mail carries a leader's signature, and no table shows a kind's code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.db import Notice
from models.review import tally
from notifications.notices.drafting import base_context
from notifications.notices.kinds import NOTICES
from notifications.notices.rendering import render_notice
from notifications.notices.reports import notice_records, notice_table
from tests.notifications.official_years import Year, bundled, derived
from tests.notifications.test_rendering import CASES, map_strings, visible

REPEATED_YEAR = re.compile(r"năm (\d{4}),? năm \1")
FORBIDDEN = ("quý cơ quan", "→", "xin bỏ qua thư này", "vui lòng trả lời thư", "đơn vị mình", "record-review")


@pytest.fixture(params=["bundled", "derived"])
def year(request: pytest.FixtureRequest, session: Session, tmp_path: Path) -> Year:
    """Each year, replayed."""
    return bundled(session, tmp_path) if request.param == "bundled" else derived(session, tmp_path)


def _faults(text: str) -> list[str]:
    found = [word for word in FORBIDDEN if word in text.lower()]
    found += [m.group(0) for m in REPEATED_YEAR.finditer(text)]
    return found


def _notices(session: Session, year: Year) -> Iterator[tuple[str, str, str]]:
    """(kind, recipient, text) of both parts of every queued notice, and of every rendering case
    over the cycle's own facts (the kinds a replay does not send: extensions, mailbox answers)."""
    for n in session.scalars(select(Notice).where(Notice.cycle_id == year.cycle.id)):
        yield n.kind, n.recipient_name, n.subject + "\n" + n.body_text
        yield n.kind, n.recipient_name, visible(n.body_html)
    shift = str(year.cycle.year)
    for case in CASES.values():
        own = map_strings(case.own, lambda s: s.replace("2024", shift))
        criteria = [c.model_dump() for c in year.cycle.configuration.review.criteria]
        context = {**base_context(year.cycle), "criteria": criteria, **own, "recipient_name": case.recipient}
        rendered = render_notice(case.kind, context)
        yield case.kind, case.recipient, rendered.subject + "\n" + rendered.text
        yield case.kind, case.recipient, visible(rendered.html)


def test_every_notice_is_in_the_register_of_a_superior_and_signed_by_the_standing_office(
    session: Session, year: Year
) -> None:
    """Both parts of every kind: no 'quý', arrow, repeated year, colloquial phrase or form code;
    the standing office signs (name, telephone, address), never a leader or a TM. block."""
    kinds = set()
    office = year.cycle.configuration.authority
    for kind, recipient, text in _notices(session, year):
        kinds.add(kind)
        assert _faults(text) == [], (kind, text)
        signed = text.replace(recipient, "")
        for leader in year.leaders:
            assert leader not in signed, (kind, leader)
        assert "TM." not in signed, kind
        assert "KT." not in signed, kind
        assert office.home_affairs.upper() in text, kind
        assert f"Điện thoại: {office.standing_office.phone}" in text, kind
    assert kinds == set(NOTICES)


def test_a_not_recognized_initiative_states_each_reason_once(session: Session, year: Year) -> None:
    """Members who write the same reason word for word: the unit reads it once."""
    refused = [
        n.body_text
        for n in session.scalars(
            select(Notice).where(Notice.cycle_id == year.cycle.id, Notice.kind == "decision")
        )
        if "không được đề nghị công nhận" in n.body_text
    ]
    assert refused
    # the council's sheets do repeat a reason: without stating each once, this would fail
    raw = [t.reasons for t in tally(session, year.cycle) if t.outcome == "not_recognized"]
    assert any(len(r) > len(set(r)) for r in raw)
    for text in refused:
        reasons = [line for line in text.splitlines() if line.startswith("  - ")]
        assert reasons
        assert len(reasons) == len(set(reasons))


def test_every_document_reads_without_code_arrows_or_repeated_years(session: Session, year: Year) -> None:
    """Each document kind, paragraphs and table cells, as python-docx reads them back."""
    assert set(year.documents) == {
        "escalation",
        "unit-report",
        "minutes",
        "proposal",
        "decision",
        "certificate",
        "annual-report",
        "outline",
    }
    for kind, path in year.documents.items():
        document = Document(str(path))
        words = [p.text for p in document.paragraphs]
        words += [c.text for t in document.tables for r in t.rows for c in r.cells]
        text = "\n".join(words)
        assert _faults(text) == [], kind
        assert str(year.cycle.year) in text, kind


def test_the_notices_table_labels_every_kind_in_vietnamese(session: Session, year: Year) -> None:
    """`notices list` and `export notices`: the kind column never shows a code."""
    header, body = notice_table(notice_records(session, year.cycle.id))
    column = header.index("Loại thư")
    shown = {row[column] for row in body}
    assert shown
    assert not shown & set(NOTICES)
    assert shown <= {spec.label for spec in NOTICES.values()}
    assert "Xác nhận đề nghị gia hạn" in {spec.label for spec in NOTICES.values()}
