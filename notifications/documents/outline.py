"""The report outline (đề cương báo cáo, domain §4): what a unit's report of the year holds.

The directive asks units to report "theo đề cương đính kèm"; this is that attachment, sent as a
.docx with the call for proposals and with the escalation. It opens with its own title (no
header, no signature: it is an attachment, not a letter), lists sections I–V with what each
must say, and ends with the blank tables Biểu 01 (initiatives) and, for the units that owe the
replication report, Biểu 02 (one row per replicated initiative of the cycle's catalogue).
"""

from __future__ import annotations

from functools import lru_cache

from models.cycle import CycleConfig, cycle_units
from models.errors import InvalidInput
from models.intake import OBLIGATIONS
from notifications.documents.docx import write_docx
from notifications.documents.official import OfficialDocument, body_blocks, checked, table
from notifications.documents.paper import Paper, authority_of

INITIATIVE_COLUMNS = [
    "TT",
    "Tên sáng kiến",
    "Tác giả (họ tên, chức vụ, tỷ lệ đóng góp)",
    "Loại giải pháp",
    "Lĩnh vực",
    "Ngày áp dụng lần đầu",
    "Hiệu quả (số liệu cụ thể)",
]
REPLICATION_COLUMNS = ["TT", "Sáng kiến nhân rộng", "Ngày bắt đầu áp dụng", "Số hồ sơ", "Kết quả", "Khó khăn"]


def outline(config: CycleConfig, year: int, replicates: bool, unit_kind: str = "") -> OfficialDocument:
    """The outline of ``year``; section III and Biểu 02 only when ``replicates``, Biểu 02 with
    the catalogue items of ``unit_kind`` (every item without it)."""
    authority = authority_of(config)
    items = [item for item in config.replicated if not unit_kind or unit_kind in item.unit_kinds]
    blank = [["1", *[""] * 6], ["2", *[""] * 6], ["…", *[""] * 6]]
    tables = {
        "initiatives": table(INITIATIVE_COLUMNS, blank, [1, 5, 4, 2.5, 2.5, 2.5, 4.5], "đề cương"),
        "replication": table(
            REPLICATION_COLUMNS,
            [[f"{n:02d}", item.title, "", "", "", ""] for n, item in enumerate(items, start=1)],
            [1, 6, 2.5, 2, 4, 3.5],
            "replicated",
        ),
    }
    context = {
        "short": authority.short,
        "home_affairs": authority.home_affairs,
        "one_stop_shop": authority.one_stop_shop,
        "format_basis": checked("format_basis", config.format_basis) if config.format_basis else "",
        "year": year,
        "replicates": replicates and bool(items),
        "replicated": len(items),
    }
    return OfficialDocument(
        slug=f"de-cuong-bao-cao-sang-kien-{year}" + ("-nhan-rong" if context["replicates"] else ""),
        governing_body="",
        issuer=authority.issuer,
        number="",
        place=authority.place,
        issued_on=None,
        doc_type="ĐỀ CƯƠNG BÁO CÁO",
        subject=f"Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm {year}",
        addressees=(),
        blocks=body_blocks("report_outline", context),
        signature=None,
        recipients=(),
        tables=tables,
        headed=False,
    )


def report_outline(paper: Paper) -> OfficialDocument:
    """The outline as ``paper.unit`` receives it (with section III when it owes the replication
    report); without a unit, the whole outline."""
    replicates = True
    if paper.unit:
        unit = cycle_units(paper.session, paper.cycle.id).get(paper.unit)
        if unit is None:
            raise InvalidInput(
                f"không có đơn vị mã {paper.unit!r} trong chu kỳ {paper.cycle.year}",
                field="unit",
                fix="hãy kiểm tra {field}",
            )
        replicates = OBLIGATIONS["replication"].owed(unit.kind, paper.config)
        return outline(paper.config, paper.cycle.year, replicates, unit.kind if replicates else "")
    return outline(paper.config, paper.cycle.year, replicates)


def outline_filename(year: int) -> str:
    """The attachment's name, the same for every unit."""
    return f"de-cuong-bao-cao-sang-kien-{year}.docx"


@lru_cache(maxsize=16)
def outline_docx(config_json: str, year: int, replicates: bool, unit_kind: str = "") -> bytes:
    """The outline's .docx, built once per configuration and variant: a call to thousands of
    units attaches one of two files, not thousands of renderings."""
    return write_docx(outline(CycleConfig.model_validate_json(config_json), year, replicates, unit_kind))
