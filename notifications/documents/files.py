"""Writing an official document's files: the .docx to sign and issue, and the HTML to read.

The HTML comes from ``templates/documents/official_document.html.j2`` with autoescape on, so a
``<`` or ``&`` in a unit's text is shown as written; charts are embedded as data: URIs so the page
stands alone (for the Prefect UI and e-mail).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined

from models.output import Output, write_outputs
from models.text import nfc
from notifications.documents.docx import MOTTO, NATIONAL_TITLE, write_docx
from notifications.documents.official import OfficialDocument
from notifications.templating import environment

_HTML = environment(
    "documents", autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
)


@dataclass(frozen=True, slots=True)
class DocumentFiles:
    """Where a document was written."""

    docx: Path
    html: Path


def render_html(doc: OfficialDocument) -> str:
    """The HTML rendition of ``doc``."""
    images = {name: base64.b64encode(data).decode("ascii") for name, data in doc.images.items()}
    page = _HTML.get_template("official_document.html.j2").render(
        doc=doc, images=images, national_title=NATIONAL_TITLE, motto=MOTTO
    )
    return nfc(page)


def write_document(
    doc: OfficialDocument, folder: Path, *, managed: bool = True, force: bool = False
) -> DocumentFiles:
    """Write ``folder/<slug>.docx`` and ``.html`` together, atomically (``models.output``).

    In a folder the system keeps (``managed``: ``var/out/<year>/``) the folder is made and an
    earlier rendering of the same document is replaced; in a folder a user named, the folder
    must exist and an existing file is replaced only with ``force``.
    """
    docx = folder / f"{doc.slug}.docx"
    html = folder / f"{doc.slug}.html"
    outputs = [Output(docx, write_docx(doc)), Output(html, render_html(doc).encode("utf-8"))]
    write_outputs(outputs, overwrite=managed or force, create_folders=managed)
    return DocumentFiles(docx, html)


def chart_images(files: DocumentFiles) -> list[tuple[str, bytes]]:
    """The charts a written .docx holds (for image artifacts), read back from the file itself."""
    import zipfile

    with zipfile.ZipFile(files.docx) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("word/media/") and n.endswith(".png"))
        return [(Path(n).stem, archive.read(n)) for n in names]
