"""Certificates filled in from one drawn form (``certificate_form``) are the certificates drawn
whole: the same document XML and HTML for every author; two of one decision differ only in the
author's fields; an author's markup and decomposed Vietnamese come out escaped and in NFC."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from docx import Document
from sqlalchemy.orm import Session

from deployments.document_samples import complete_year
from models.cycle import Cycle
from models.intake import Initiative, InitiativeAuthor
from models.review import Decision, existing_decision
from notifications.documents.certificate import Holder, author_fields, certificate_of
from notifications.documents.docx import write_docx
from notifications.documents.files import DocumentFiles, render_html
from notifications.documents.kinds import DOCUMENTS, DocumentKind
from notifications.documents.official import printed
from notifications.documents.render import render_certificates

HOSTILE = '<b>&"'
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ngọc Ánh")


@pytest.fixture
def year(session: Session, cycle: Cycle, tmp_path: Path) -> Cycle:
    """The bundled year up to its decision (05/QĐ-UBND of 20/12/2024)."""
    return complete_year(session, cycle, tmp_path)


def _decision(session: Session, year: Cycle) -> Decision:
    decision = existing_decision(session, year)
    assert decision is not None
    return decision


def _document_xml(docx: bytes | Path) -> str:
    with zipfile.ZipFile(docx if isinstance(docx, Path) else io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _drawn_whole(session: Session, year: Cycle, decision: Decision, author_id: int) -> tuple[str, str]:
    """The document XML and HTML of the certificate drawn on its own (``documents render``)."""
    paper = DOCUMENTS[DocumentKind.CERTIFICATE].paper(session, year, decision.issued_on)
    doc = certificate_of(paper, author_id)
    return _document_xml(write_docx(doc)), render_html(doc)


def _check_same_as_drawn_whole(
    session: Session, year: Cycle, decision: Decision, written: list[tuple[Holder, DocumentFiles]]
) -> None:
    for holder, files in written:
        xml, html = _drawn_whole(session, year, decision, holder.author_id)
        assert _document_xml(files.docx) == xml
        assert files.html.read_text(encoding="utf-8") == html


def test_every_filled_in_certificate_is_the_certificate_drawn_whole(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """For each author: the same document XML and the same HTML page as drawn one by one."""
    decision = _decision(session, year)
    written = render_certificates(session, year, decision, tmp_path / "gcn")
    assert len(written) > 1
    _check_same_as_drawn_whole(session, year, decision, written)


def test_two_certificates_of_one_decision_differ_only_in_the_author_s_fields(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """With each author's printed fields taken out, two certificates are the same XML."""
    decision = _decision(session, year)
    written = render_certificates(session, year, decision, tmp_path / "gcn")
    shapes: dict[int, list[str]] = {}
    for holder, files in written:
        author = session.get_one(InitiativeAuthor, holder.author_id)
        initiative = session.get_one(Initiative, author.initiative_id)
        fields = author_fields(author, initiative, sole=len(initiative.authors) == 1)
        xml = _document_xml(files.docx)
        shown = {name: escape(printed(str(v))) for name, v in fields.items() if name != "facts"}
        # Each field in the words around it, so that a share "40" is not taken out of a year.
        anchored = [
            (f"Ông (Bà): {shown['name']}<", "Ông (Bà): «name»<"),
            (f"Là {shown['role']} (tỷ lệ đóng góp {shown['share']}%)", "Là «role» («share»%)"),
            (f">“{shown['initiative']}”<", ">“«initiative»”<"),
            (f">Sáng kiến {shown['application']} đã", ">Sáng kiến «application» đã"),
        ]
        facts = enumerate(fields["facts"])
        anchored += [(f">{escape(printed(line))}<", f">«fact {i}»<") for i, line in facts]
        for value, mark in anchored:
            assert xml.count(value) == 1, value
            xml = xml.replace(value, mark)
        shapes.setdefault(len(fields["facts"]), []).append(xml)
    compared = [xmls for xmls in shapes.values() if len(xmls) > 1]
    assert compared
    for xmls in compared:
        assert all(xml == xmls[0] for xml in xmls)


def test_an_author_s_markup_is_escaped_and_decomposed_vietnamese_comes_out_nfc(
    session: Session, year: Cycle, tmp_path: Path
) -> None:
    """``<b>&"`` and an NFD name read back as typed, in NFC, in the .docx and the HTML page; the
    certificate is still the one drawn whole."""
    decision = _decision(session, year)
    first = session.get_one(Initiative, sorted(decision.initiative_ids)[0])
    author = first.authors[0]
    author.name = f"{HOSTILE} {NFD_NAME}"
    author.workplace = f"Phòng {HOSTILE} & <Nội vụ>"
    first.title = f"Sáng kiến {HOSTILE} {unicodedata.normalize('NFD', 'Một cửa liên thông')}"
    session.flush()
    written = render_certificates(session, year, decision, tmp_path / "gcn")
    files = next(f for h, f in written if h.author_id == author.id)
    name = unicodedata.normalize("NFC", f"{HOSTILE} {NFD_NAME}")
    text = [p.text for p in Document(str(files.docx)).paragraphs]
    assert f"Ông (Bà): {name}" in text
    assert any(f"Nơi công tác: Phòng {HOSTILE} & <Nội vụ>" in t for t in text)
    assert '“Sáng kiến <b>&" Một cửa liên thông”' in text
    page = files.html.read_text(encoding="utf-8")
    assert "Ông (Bà): &lt;b&gt;&amp;&#34; Nguyễn Thị Ngọc Ánh" in page
    assert HOSTILE not in page
    for rendition in (_document_xml(files.docx), page):
        assert unicodedata.is_normalized("NFC", rendition)
    _check_same_as_drawn_whole(session, year, decision, written)
