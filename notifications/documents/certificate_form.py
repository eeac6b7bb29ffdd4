"""Every author's certificate of a decision: drawn once as a form, filled in per author.

A decision of a province recognizes thousands of initiatives, and each author gets a certificate
(``certificate``). Drawing each one whole (the body template, python-docx, a zip of a dozen parts,
the HTML page) took 648 of the 706 seconds of a 1,000-unit year under cProfile (4,249 certificates).
All of a decision's certificates are the same page but for the author's fields, so the page is
drawn once, with a random token in place of each field, and each certificate is that page with
the author's values put in: XML-escaped in ``word/document.xml``, which is appended to a zip of
the other parts compressed once (compressing them again for each was 42 s of the 706), and
HTML-escaped in the page. Each value is first made what the body template prints (``printed``: the
text gate, one line, ``[[`` without its meaning), so a filled-in certificate is the certificate
drawn whole, the same document XML and HTML; a test keeps them equal.

The form is drawn once for each number of lines of the author's facts (one or two). A value the
form cannot hold as drawn (an empty one changes how python-docx writes its line) is drawn whole.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import escape as html_escape
from sqlalchemy import func, select

from models.intake import Initiative, InitiativeAuthor
from models.output import Output, write_outputs
from models.review import Decision
from notifications.documents.certificate import (
    Holder,
    author_fields,
    certificate_document,
    certificate_slug,
)
from notifications.documents.docx import write_docx
from notifications.documents.files import DocumentFiles, render_html, write_document
from notifications.documents.official import printed
from notifications.documents.paper import Paper

DOCUMENT_XML = "word/document.xml"
_SINGLE = ("name", "role", "share", "initiative", "application")


@dataclass(frozen=True, slots=True)
class _Form:
    """A certificate drawn with tokens: the .docx without its document XML, the XML, the page."""

    rest: bytes  # a zip of every other part, compressed once; each certificate appends its XML
    document: zipfile.ZipInfo
    xml: str
    html: str
    tokens: re.Pattern[str]
    names: tuple[str, ...]  # the field each token's number stands for


def _field_names(facts: int) -> tuple[str, ...]:
    return (*_SINGLE, *(f"facts{i}" for i in range(facts)))


def _values(fields: Mapping[str, Any]) -> dict[str, str]:
    """The author's fields as the body template prints them, one per token."""
    flat = {name: str(fields[name]) for name in _SINGLE}
    flat |= {f"facts{i}": line for i, line in enumerate(fields["facts"])}
    return {name: printed(value) for name, value in flat.items()}


def _draw(paper: Paper, decision: Decision, facts: int) -> _Form:
    """The decision's certificate with a token for each author's field, in both renditions."""
    tag = f"sangkien{secrets.token_hex(12)}x"  # random: no author's text can be one
    names = _field_names(facts)
    token = {name: f"{tag}{number}y" for number, name in enumerate(names)}
    fields = {name: token[name] for name in _SINGLE} | {"facts": [token[f"facts{i}"] for i in range(facts)]}
    doc = certificate_document(paper, decision, fields, "form")
    docx, html = write_docx(doc), render_html(doc)
    rest = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive, zipfile.ZipFile(rest, "w") as copy:
        for info in archive.infolist():
            if info.filename != DOCUMENT_XML:
                copy.writestr(info, archive.read(info))
        document, xml = archive.getinfo(DOCUMENT_XML), archive.read(DOCUMENT_XML).decode("utf-8")
    for text, where in ((xml, DOCUMENT_XML), (html, "HTML")):
        found = Counter(re.findall(f"{tag}\\d+y", text))
        if found != Counter(token.values()):
            raise ValueError(f"certificate form: the tokens in {where} are {dict(found)}")
    return _Form(rest.getvalue(), document, xml, html, re.compile(f"{tag}(\\d+)y"), names)


def _fill(form: _Form, values: Mapping[str, str]) -> tuple[bytes, bytes]:
    """The .docx and the HTML of one certificate: the form with ``values`` in place of tokens."""
    xml = form.tokens.sub(lambda m: xml_escape(values[form.names[int(m[1])]]), form.xml)
    html = form.tokens.sub(lambda m: str(html_escape(values[form.names[int(m[1])]])), form.html)
    target = io.BytesIO(form.rest)
    target.seek(0, io.SEEK_END)
    with zipfile.ZipFile(target, "a") as out:  # the other parts copied as they are, compressed
        part = zipfile.ZipInfo(DOCUMENT_XML, form.document.date_time)
        part.compress_type = form.document.compress_type
        out.writestr(part, xml.encode("utf-8"))
    return target.getvalue(), html.encode("utf-8")


def write_certificates(paper: Paper, decision: Decision, folder: Path) -> list[tuple[Holder, DocumentFiles]]:
    """A certificate for every author of ``decision``'s initiatives, in the annex's order, each
    in its own files under ``folder`` (a folder the system keeps: made, files replaced)."""
    ids = list(decision.initiative_ids)
    authors = dict(
        paper.session.execute(
            select(InitiativeAuthor.initiative_id, func.count())
            .where(InitiativeAuthor.initiative_id.in_(ids))
            .group_by(InitiativeAuthor.initiative_id)
        )
        .tuples()
        .all()
    )
    # Streamed: a national decision has tens of thousands of authors, each row needed once.
    rows = paper.session.execute(
        select(InitiativeAuthor, Initiative)
        .join(Initiative, Initiative.id == InitiativeAuthor.initiative_id)
        .where(Initiative.id.in_(ids))
        .order_by(Initiative.id, InitiativeAuthor.position)
        .execution_options(yield_per=500)
    ).tuples()
    forms: dict[int, _Form] = {}
    written = []
    for author, initiative in rows:
        fields = author_fields(author, initiative, sole=authors[initiative.id] == 1)
        slug = certificate_slug(paper.cycle.year, author.id)
        holder = Holder(author.id, author.name, author.email, initiative.unit_id)
        values = _values(fields)
        if not all(values.values()):
            written.append(
                (holder, write_document(certificate_document(paper, decision, fields, slug), folder))
            )
            continue
        facts = len(fields["facts"])
        if facts not in forms:
            forms[facts] = _draw(paper, decision, facts)
        docx, html = _fill(forms[facts], values)
        files = DocumentFiles(folder / f"{slug}.docx", folder / f"{slug}.html")
        write_outputs(
            [Output(files.docx, docx), Output(files.html, html)], overwrite=True, create_folders=True
        )
        written.append((holder, files))
    return written
