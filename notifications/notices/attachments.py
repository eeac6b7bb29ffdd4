"""The files a notice names, made at send time: each kind's workbook built once per cycle and
stamped per unit, official documents read once, council score sheets per member.

Building a workbook with openpyxl costs about 100 ms, which made a 5,000-unit call for proposals
(two workbooks for the Office and the communes) go out at 17 messages a second. A kind's workbook
depends on the unit only through its code, so it is built once with a placeholder code and each
unit's copy is that template's zip with the placeholder replaced, XML-escaped, in the parts that
hold it (the code cells and the ``sangkien.unit`` property): about 2 ms. A ``SendCache`` lives for
one delivery run, so a catalogue changed since is picked up by the next run.

An official document sent with notices (the escalation letter) is read from the document store,
once per run: the sweep that wrote it may have run on another machine.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle
from models.db import StoredDocument
from models.intake import SUBMISSIONS, Initiative, WorkbookIdentity
from models.review import assignments
from notifications.documents.outline import outline_docx
from notifications.mail.messages import Attachment
from notifications.sheets.workbooks import review_workbook, submission_workbook

PLACEHOLDER = "SANGKIEN-UNIT-CODE-PLACEHOLDER"
SHARED = ("document", "outline", "stored")  # the same bytes for every notice that names them


class WorkbookTemplate:
    """A workbook built for a placeholder unit; ``for_unit`` writes one unit's code into it.

    The zip is written here rather than by ``zipfile``: the parts without the placeholder are
    compressed once, and only the two that hold it are compressed per unit.
    """

    def __init__(self, content: bytes) -> None:
        marker = PLACEHOLDER.encode()
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            parts = [(info.filename, book.read(info)) for info in book.infolist()]
        self.parts: list[tuple[bytes, bytes | _Packed]] = [
            (name.encode(), data if marker in data else _pack(data)) for name, data in parts
        ]
        if all(isinstance(data, _Packed) for _, data in self.parts):
            raise ValueError("the template does not hold the placeholder unit code")

    def for_unit(self, unit_code: str) -> bytes:
        """The unit's workbook: the template with its code in every place the placeholder was."""
        marker, code = PLACEHOLDER.encode(), escape(unit_code, {'"': "&quot;"}).encode()
        out, directory = bytearray(), bytearray()
        for name, data in self.parts:
            packed = data if isinstance(data, _Packed) else _pack(data.replace(marker, code), level=1)
            # Local header: version 20, no flags, deflate, the DOS date of 1980-01-01.
            fields = (20, 0, 8, 0, 0x21, packed.crc, len(packed.data), packed.size, len(name))
            directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, len(out))
            directory += name
            out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0) + name + packed.data
        end = struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(self.parts), len(self.parts), len(directory), len(out), 0
        )
        return bytes(out + directory + end)


@dataclass(frozen=True, slots=True)
class _Packed:
    """A zip part compressed (raw deflate), with its CRC-32 and size."""

    data: bytes
    crc: int
    size: int


def _pack(data: bytes, level: int = 6) -> _Packed:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return _Packed(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


@dataclass
class SendCache:
    """What one delivery run makes once: each (kind, cycle)'s template, each document's bytes."""

    templates: dict[tuple[str, int, str], WorkbookTemplate] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)

    def ready(self, specs: Sequence[dict[str, Any]]) -> bool:
        """Whether every file of ``specs`` can be made without the database."""
        return all(
            _template_key(s) in self.templates
            if s["kind"] in SUBMISSIONS
            else s["kind"] in SHARED and _document_key(s) in self.documents
            for s in specs
        )

    def outline(self, session: Session, cycle_id: int, replicates: bool, unit_kind: str = "") -> bytes:
        """The cycle's report outline (with or without the replication section, for a unit
        kind's catalogue items), written once."""
        spec = {"kind": "outline", "cycle_id": cycle_id, "replicates": replicates, "unit_kind": unit_kind}
        key = _document_key(spec)
        if key not in self.documents:
            cycle = session.get_one(Cycle, cycle_id)
            config = cycle.configuration.model_dump_json()
            self.documents[key] = outline_docx(config, cycle.year, replicates, unit_kind)
        return self.documents[key]

    def template(self, session: Session, kind: str, cycle_id: int, unit_kind: str = "") -> WorkbookTemplate:
        """The kind's workbook of the cycle (for units of ``unit_kind``, when its rows depend on
        it), built on first use."""
        key = _template_key({"kind": kind, "cycle_id": cycle_id, "unit_kind": unit_kind})
        if key not in self.templates:
            workbook = SUBMISSIONS[kind].workbook
            if workbook is None:
                raise ValueError(f"{kind!r} has no workbook")
            if workbook.kind_rows is not None and key[2]:
                rows, notes = workbook.kind_rows(session, cycle_id, PLACEHOLDER, key[2])
            else:
                rows, notes = workbook.rows(session, cycle_id, PLACEHOLDER)
            cycle = session.get_one(Cycle, cycle_id)
            identity = WorkbookIdentity(kind, cycle.year, cycle.authority.code, PLACEHOLDER)
            built = submission_workbook(SUBMISSIONS[kind], workbook.sheet, rows, notes, identity)
            self.templates[key] = WorkbookTemplate(built)
        return self.templates[key]

    def stored(self, session: Session, document_id: int) -> bytes:
        """A document from the document store."""
        key = _document_key({"kind": "stored", "document_id": document_id})
        if key not in self.documents:
            self.documents[key] = session.get_one(StoredDocument, document_id).content
        return self.documents[key]

    def document(self, path: str) -> bytes:
        """An official document written when its notice was queued."""
        if path not in self.documents:
            self.documents[path] = Path(path).read_bytes()
        return self.documents[path]

    def stamped(self, specs: Sequence[dict[str, Any]]) -> list[Attachment]:
        """The files of ``specs`` when ``ready(specs)``."""
        return [
            Attachment(s["filename"], self.documents[_document_key(s)], shared=True)
            if s["kind"] in SHARED
            else Attachment(s["filename"], self.templates[_template_key(s)].for_unit(s["unit_code"]))
            for s in specs
        ]


def _template_key(spec: dict[str, Any]) -> tuple[str, int, str]:
    """Where a workbook template is kept: by kind and cycle, and by unit kind for a kind whose
    rows depend on it (a spec queued before unit kinds were kept has none: the whole catalogue)."""
    workbook = SUBMISSIONS[spec["kind"]].workbook
    by_kind = workbook is not None and workbook.kind_rows is not None
    return spec["kind"], spec["cycle_id"], str(spec.get("unit_kind") or "") if by_kind else ""


def _document_key(spec: dict[str, Any]) -> str:
    """Where a written file of ``spec`` is kept in the cache: a document by its path, the outline
    by its cycle and whether it has the replication section."""
    if spec["kind"] == "outline":
        return f"outline:{spec['cycle_id']}:{bool(spec['replicates'])}:{spec.get('unit_kind') or ''}"
    if spec["kind"] == "stored":
        return f"stored:{spec['document_id']}"
    return str(spec["path"])


def _review_sheet(session: Session, cycle_id: int, member_id: int) -> bytes:
    cycle = session.get_one(Cycle, cycle_id)
    member = session.get_one(CouncilMember, member_id)
    mine = sorted(i for i, members in assignments(session, cycle).items() if member_id in members)
    titles = dict(
        session.execute(select(Initiative.id, Initiative.title).where(Initiative.id.in_(mine))).tuples().all()
    )
    return review_workbook(member.name, [(i, titles[i]) for i in mine])


def resolve_attachments(
    session: Session, specs: Sequence[dict[str, Any]], cache: SendCache | None = None
) -> list[Attachment]:
    """Make the files a notice names (pass the run's ``cache`` to build each template once)."""
    cache = cache or SendCache()
    files = []
    for spec in specs:
        kind = spec["kind"]
        if kind in SUBMISSIONS and SUBMISSIONS[kind].workbook is not None:
            template = cache.template(session, kind, spec["cycle_id"], str(spec.get("unit_kind") or ""))
            content = template.for_unit(spec["unit_code"])
        elif kind == "review":
            content = _review_sheet(session, spec["cycle_id"], spec["member_id"])
        elif kind == "outline":
            unit_kind = str(spec.get("unit_kind") or "")
            content = cache.outline(session, spec["cycle_id"], bool(spec["replicates"]), unit_kind)
        elif kind == "stored":
            content = cache.stored(session, int(spec["document_id"]))
        elif kind == "document":
            content = cache.document(spec["path"])
        else:
            raise ValueError(f"unknown attachment kind {kind!r}")
        # A document or outline is the same bytes for the whole run: its MIME part is made once.
        files.append(Attachment(spec["filename"], content, shared=kind in SHARED))
    return files
