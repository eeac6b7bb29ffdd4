"""Fuzzing the ways text comes in (CSV, xlsx and JSON files) and goes out (the .docx writer), with
Hypothesis, a bounded number of generated inputs each so CI's time holds.

For every generated file: the importer either refuses it with located errors (``ImportRejected``)
and leaves the database as it was, or stores rows that all pass the text gate; nothing else, no
traceback. For every generated document text: the writer either refuses it naming the field
(``InvalidInput``) or writes a .docx that opens and says the text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit
from models.errors import ImportRejected, InvalidInput
from models.imports import import_file
from models.text import clean_text
from notifications.documents.docx import write_docx
from notifications.documents.official import Block, OfficialDocument, Signature, table

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Any code point but lone surrogates (a file cannot carry them encoded), weighted to the awkward.
awkward = st.sampled_from(
    ["\u200b", "\u202e", "\ufffe", "\x0b", "\x00", "\r\n", "=?utf-8?q?x?=", "sangkien-rows-", '"', ","]
)
text = st.lists(st.one_of(st.characters(exclude_categories=["Cs"]), awkward), max_size=40).map("".join)
HEADER = ["code", "name", "kind", "email"]


def _import(session: Session, cycle: Cycle, path: Path) -> None:
    """Import ``path`` as units: refused with nothing changed, or stored rows that pass the gate."""
    before = session.scalar(select(func.count()).select_from(Unit))
    savepoint = session.begin_nested()
    try:
        import_file(session, cycle, path, "units", today=date(2024, 12, 31), actor="fuzz")
    except ImportRejected as refused:
        errors = refused.errors
    else:
        errors = []
    if errors:
        savepoint.rollback()
        assert all(e.row >= 1 for e in errors)
        assert session.scalar(select(func.count()).select_from(Unit)) == before
        return
    for name in session.scalars(select(Unit.name)):
        assert clean_text(name, multiline=False) == name
    savepoint.rollback()


@FUZZ
@given(rows=st.lists(st.lists(text, min_size=0, max_size=5), max_size=6))
def test_generated_csv_files(session: Session, cycle: Cycle, tmp_path: Path, rows: list[list[str]]) -> None:
    """Any CSV under the units header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = tmp_path / "don-vi.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")
    _import(session, cycle, path)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


@FUZZ
@given(items=st.lists(st.dictionaries(st.sampled_from([*HEADER, "x"]), json_value, max_size=5), max_size=5))
def test_generated_json_files(
    session: Session, cycle: Cycle, tmp_path: Path, items: list[dict[str, object]]
) -> None:
    """Any array of objects with any values, NaN and nesting included."""
    path = tmp_path / "don-vi.json"
    path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    _import(session, cycle, path)


cell = st.one_of(
    st.none(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False, allow_infinity=False), text
)


@FUZZ
@given(rows=st.lists(st.lists(cell, max_size=6), max_size=6))
def test_generated_xlsx_files(
    session: Session, cycle: Cycle, tmp_path: Path, rows: list[list[object]]
) -> None:
    """Any workbook openpyxl can write under the units header."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(HEADER)
    for row in rows:
        try:
            sheet.append(row)
        except (ValueError, IllegalCharacterError):  # openpyxl refuses them: no such file exists
            continue
    path = tmp_path / "don-vi.xlsx"
    try:
        book.save(path)
    except ValueError:
        return
    _import(session, cycle, path)


@FUZZ
@given(name=text, title=text, subject=text, body=text, cells=st.lists(text, min_size=2, max_size=2))
def test_generated_document_texts(name: str, title: str, subject: str, body: str, cells: list[str]) -> None:
    """The writer refuses a value naming its field, or writes a .docx that opens with the text."""
    try:
        document = OfficialDocument(
            slug="fuzz",
            governing_body="",
            issuer="Ủy ban nhân dân huyện Vĩnh Linh",
            number="01/UBND-NV",
            place="Vĩnh Linh",
            issued_on=date(2024, 10, 8),
            doc_type="BÁO CÁO",
            subject=subject or "Báo cáo",
            addressees=(),
            blocks=(Block("body", "Mở đầu."), Block("table", name="t")),
            signature=Signature(("TM. ỦY BAN NHÂN DÂN",), title or "CHỦ TỊCH", name or "Thái Văn Thành"),
            recipients=("Lưu: VT, NV.",),
            tables={"t": table(["TT", "Nội dung"], [[1, cells[0]], [2, body]], [1, 5], "nội dung")},
        )
        data = write_docx(document)
    except InvalidInput as refused:
        reason = str(refused)
    else:
        reason = ""
    if reason:
        assert ": có " in reason
        return
    opened = Document(io.BytesIO(data))
    words = [p.text for p in opened.paragraphs] + [
        c.text for t in opened.tables for r in t.rows for c in r.cells
    ]
    assert not re.search(r"sangkien-rows-[0-9a-f]{32}", "\n".join(words))  # no marker left behind
    assert document.signature is not None
    assert document.signature.name in "\n".join(words)


@pytest.mark.parametrize("value", ["\ufffe", "\u202e", "\x0b"])
def test_the_writer_refuses_what_a_docx_cannot_carry(value: str) -> None:
    """The three the fuzzer finds most: the field is named."""
    with pytest.raises(InvalidInput, match="người ký"):
        Signature(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", f"Thái{value}Văn Thành")
