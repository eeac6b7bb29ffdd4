"""The .docx rendition of an official document, laid out as Decree 30/2020/NĐ-CP requires.

A4 portrait; margins 20/20/30/15 mm; Times New Roman, black; the two-column header table
(governing body and issuer with a short rule, number and "V/v" subject at left; national title and
motto with a rule, place and date at right); document type and subject; the body justified with
a first-line indent; recipients at left and the signature at right; page numbers centred at the
top from page 2. python-docx builds it from code: the layout is the decree's, the words come from
the templates, so there is no binary template to keep in step.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from notifications.documents.official import Block, OfficialDocument, Signature, Table

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15
LEFT_COLUMN_MM = 68
Deferred = dict[str, tuple[Table, list[int]]]  # marker -> a table's body rows and column widths
ROW_PROPERTIES = "<w:trPr><w:cantSplit/></w:trPr>"
ADDRESSEE_START_MM = 25  # where "Kính gửi:" starts; the recipients line up at the tab after it
ADDRESSEE_TAB_MM = 50
RUN_PROPERTIES = (
    f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}"/><w:b w:val="0"/><w:i w:val="0"/>'
    '<w:color w:val="000000"/><w:sz w:val="24"/></w:rPr>'
)


def _run(paragraph: Paragraph, text: str, size: float, *, bold: bool = False, italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run.font.color.rgb = RGBColor(0, 0, 0)


def _para(
    container: _Cell | DocxDocument,
    text: str = "",
    size: float = 14,
    *,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
) -> Paragraph:
    fresh = (
        isinstance(container, _Cell) and len(container.paragraphs) == 1 and not container.paragraphs[0].runs
    )
    paragraph: Paragraph = container.paragraphs[0] if fresh else container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(6 if indent else 0)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    for number, line in enumerate(text.split("\n")):
        if number:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        _run(paragraph, line, size, bold=bold, italic=italic)
    return paragraph


def _rule(cell: _Cell | DocxDocument, width_mm: float, column_mm: float) -> None:
    """A short horizontal rule: an empty paragraph's bottom border, indented to ``width_mm``."""
    paragraph = _para(cell, "", 2)
    side = Mm(max(0.0, (column_mm - width_mm) / 2))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _widths(grid: DocxTable, widths_mm: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice both honour the grid, not only the cells)."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _page_number_header(document: DocxDocument) -> None:
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(10)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.font.color.rgb = RGBColor(0, 0, 0)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(key), FONT)


def _header(document: DocxDocument, doc: OfficialDocument) -> None:
    grid = document.add_table(rows=1, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    right_mm = TEXT_WIDTH_MM - LEFT_COLUMN_MM
    _widths(grid, [LEFT_COLUMN_MM, right_mm])
    left, right = grid.rows[0].cells
    # Decree 30/2020, annex I: the governing body (none above a People's Committee) in capitals,
    # then the issuer in bold capitals, each line its own paragraph, a short rule under.
    for line in doc.governing_body.splitlines():
        _para(left, line.upper(), 13)
    for line in doc.issuer.splitlines():
        _para(left, line.upper(), 13, bold=True)
    _rule(left, 25, LEFT_COLUMN_MM)
    _para(left, doc.number_line, 13)
    if not doc.doc_type:
        _para(left, f"V/v {doc.subject}", 12)
    _para(right, NATIONAL_TITLE, 12, bold=True)
    _para(right, MOTTO, 13, bold=True)
    _rule(right, 62, right_mm)
    _para(right, doc.date_line, 14, italic=True)


def _marker(deferred: Deferred) -> str:
    """A marker for the next deferred table: random for each render, so no value can be one."""
    return f"sangkien-rows-{secrets.token_hex(16)}-{len(deferred)}"


def _table(document: DocxDocument, table: Table, deferred: Deferred) -> None:
    """The header row through python-docx; the body rows go straight into the saved XML
    (``_fill_rows``): a decision annex of 20,000 initiatives as python-docx objects took 48 s and
    a gigabyte, as XML text 1.8 s."""
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [TEXT_WIDTH_MM * share for share in table.widths]
    _widths(grid, widths)
    for cell, value in zip(grid.rows[0].cells, table.header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], value, 12, bold=True)
    # The header row repeats at the top of every page; no row is split across two pages.
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        header_row.append(OxmlElement(tag))
    if table.rows:
        marker = _marker(deferred)
        _run(grid.add_row().cells[0].paragraphs[0], marker, 12)
        deferred[marker] = (table, [Mm(width).twips for width in widths])
    _para(document, "", 6)


def _row_xml(values: tuple[str, ...], twips: list[int]) -> str:
    """One body row as python-docx would write it: fixed width, left-aligned 12 pt black Times,
    kept whole on one page (``w:cantSplit``)."""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr><w:p><w:pPr><w:jc w:val="left"/>'
        f'</w:pPr><w:r>{RUN_PROPERTIES}<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'
        for value, width in zip(values, twips, strict=True)
    )
    return f"<w:tr>{ROW_PROPERTIES}{cells}</w:tr>"


def _fill_rows(docx: bytes, deferred: Deferred) -> bytes:
    """Stream each table's body rows into ``word/document.xml`` in place of its marker row, one
    row at a time (the whole annex as one string took 600 MB at 10,000 units)."""
    if not deferred:
        return docx
    source, target = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, source.read(item))
                continue
            xml = source.read(item).decode("utf-8")
            for marker in deferred:  # each exactly once: no value of the document repeats one
                if xml.count(marker) != 1:
                    raise ValueError(f"table marker {marker} found {xml.count(marker)} times")
            with out.open(item.filename, "w") as stream:
                done = 0
                for marker, (table, twips) in deferred.items():
                    at = xml.index(f">{marker}<", done)
                    start = xml.rindex("<w:tr>", done, at)
                    stream.write(xml[done:start].encode("utf-8"))
                    for row in table.rows:
                        stream.write(_row_xml(row, twips).encode("utf-8"))
                    done = xml.index("</w:tr>", at) + len("</w:tr>")
                stream.write(xml[done:].encode("utf-8"))
    return target.getvalue()


def _block(document: DocxDocument, doc: OfficialDocument, block: Block, deferred: Deferred) -> None:
    if block.style == "body":
        _para(document, block.text, doc.body_size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    elif block.style == "h":
        _para(document, block.text, doc.body_size, bold=True)
    elif block.style == "s":
        _para(document, block.text, doc.body_size, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    elif block.style == "a":
        label, rest = block.label
        paragraph = _para(document, "", doc.body_size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        paragraph.runs[0].text = label
        paragraph.runs[0].bold = True
        _run(paragraph, rest, doc.body_size)
    elif block.style == "i":
        _para(document, block.text, doc.body_size, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    elif block.style == "c":
        _para(document, block.text, doc.body_size, italic=True)
    elif block.style == "break":
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif block.style == "table":
        _table(document, doc.tables[block.name], deferred)
    elif block.style == "image":
        paragraph = _para(document, "", 14)
        paragraph.add_run().add_picture(io.BytesIO(doc.images[block.name]), width=Mm(150))


def _signer(cell: _Cell, signature: Signature) -> None:
    for line in signature.authority_lines:
        _para(cell, line, 13, bold=True)
    _para(cell, signature.title, 13, bold=True)
    for _ in range(4):
        _para(cell, "", 13)
    _para(cell, signature.name, 14, bold=True)


def _recipients(container: _Cell | DocxDocument, doc: OfficialDocument) -> None:
    if not doc.recipients:
        return
    left_align = WD_ALIGN_PARAGRAPH.LEFT
    _para(container, "Nơi nhận:", 12, bold=True, italic=True, align=left_align)
    for item in doc.recipients:
        _para(container, f"- {item}", 11, align=left_align)


def _signature(document: DocxDocument, doc: OfficialDocument) -> None:
    if doc.signature is None:
        return
    grid = document.add_table(rows=1, cols=2)
    _widths(grid, [80, TEXT_WIDTH_MM - 80])
    grid.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a title never parts from its name
    left, right = grid.rows[0].cells
    if doc.cosigner is not None:  # two signers side by side, the recipients under them
        _signer(left, doc.cosigner)
        _signer(right, doc.signature)
        _recipients(document, doc)
        return
    _recipients(left, doc)
    _signer(right, doc.signature)


def _addressees(document: DocxDocument, doc: OfficialDocument) -> None:
    """ "Kính gửi:" and, for several, each recipient on its own line starting "- ", every one
    aligned under the first, at the tab stop after the colon (a hanging indent)."""
    prefix = "Kính gửi:"
    if len(doc.addressees) == 1:
        _para(document, f"{prefix} {doc.addressees[0]}", 14)
        return
    for number, item in enumerate(doc.addressees, start=1):
        end = "." if number == len(doc.addressees) else ";"
        text = f"{prefix}\t- {item}{end}" if number == 1 else f"- {item}{end}"
        fmt = _para(document, text, 14, align=WD_ALIGN_PARAGRAPH.LEFT).paragraph_format
        fmt.left_indent = Mm(ADDRESSEE_TAB_MM)
        if number == 1:
            fmt.first_line_indent = Mm(ADDRESSEE_START_MM - ADDRESSEE_TAB_MM)
            fmt.tab_stops.add_tab_stop(Mm(ADDRESSEE_TAB_MM))


def write_docx(doc: OfficialDocument) -> bytes:
    """The document as .docx bytes."""
    document = Document()
    deferred: Deferred = {}
    _setup(document)
    if doc.headed:
        _header(document, doc)
        _para(document, "", 8)
    if doc.doc_type:
        _para(document, doc.doc_type, 14, bold=True)
        _para(document, doc.subject, 14, bold=True)
        _rule(document, 40, TEXT_WIDTH_MM)
    if doc.addressees:
        _addressees(document, doc)
        _para(document, "", 8)
    signed = False
    for block in doc.blocks:
        if block.style == "signature":
            _signature(document, doc)
            signed = True
        else:
            _block(document, doc, block, deferred)
    if not signed:
        _signature(document, doc)
    _page_number_header(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fill_rows(buffer.getvalue(), deferred)
