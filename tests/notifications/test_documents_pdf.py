"""Each document kind through LibreOffice: it converts to PDF headless, and the PDF's text holds
the header lines and the subject, on the number of pages expected (the same files as the
samples under docs/samples/).

Conversion is slow, so the five kinds are rendered and converted once for the module. Without
``soffice`` the tests are skipped with that reason, except under CI (env ``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from deployments.document_samples import render_samples, to_pdf
from notifications.documents.docx import write_docx
from notifications.documents.kinds import DOCUMENTS
from notifications.documents.official import Block, OfficialDocument, Signature, Table

SUBJECTS = {
    "escalation": "V/v báo cáo kết quả áp dụng sáng kiến",
    "unit-report": "Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm 2024",
    "minutes": "Họp xét công nhận sáng kiến cải cách hành chính năm 2024",
    "decision": "Về việc công nhận sáng kiến cải cách hành chính năm 2024",
    "proposal": "Về việc đề nghị công nhận sáng kiến cải cách hành chính năm 2024",
    "annual-report": "Kết quả xây dựng, áp dụng sáng kiến cải cách hành chính năm 2024",
    "outline": "Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm 2024",
    "certificate": "Sáng kiến cải cách hành chính năm 2024",
}


def _tools() -> None:
    missing = [tool for tool in ("soffice", "pdftotext", "pdfinfo") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (Debian: libreoffice-writer, poppler-utils)"
        if os.environ.get("CI"):
            pytest.fail(reason + " but CI is set")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every kind rendered from the completed bundled year and converted to PDF in one run."""
    _tools()
    folder = tmp_path_factory.mktemp("documents")
    docx = render_samples(folder)
    return dict(zip(docx, to_pdf(list(docx.values()), folder), strict=True))


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def _text(pdf: Path, first: int = 1, last: int = 0) -> str:
    args = ["pdftotext", "-layout", "-f", str(first)] + (["-l", str(last)] if last else [])
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_each_document_converts_with_its_header_and_subject_on_page_one(
    kind: str, pdfs: dict[str, Path]
) -> None:
    """Page one shows the national title and motto, the issuer, a number line and the subject."""
    pdf = pdfs[kind]
    first = " ".join(_text(pdf, 1, 1).split())
    if kind == "outline":  # an attachment: its own title, no header of its own
        assert first.startswith(f"ĐỀ CƯƠNG BÁO CÁO {SUBJECTS[kind]}")
        assert "Số:" not in first
        return
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số:" in first
    assert "Vĩnh Linh, ngày" in first
    assert SUBJECTS[kind] in first
    assert _pages(pdf) >= 1


@pytest.mark.slow
def test_escalation_letter_is_two_pages_numbered_from_the_second(pdfs: dict[str, Path]) -> None:
    """As the seed: the letter runs onto a second page, which (only) carries its page number;
    the list of its 34 addressees follows on a page of its own."""
    pdf = pdfs["escalation"]
    assert _pages(pdf) == 3
    assert _text(pdf, 2, 2).lstrip().startswith("2")
    assert not _text(pdf, 1, 1).lstrip().startswith("1")
    assert "Thái Văn Thành" in _text(pdf, 2, 2)
    assert "DANH SÁCH CƠ QUAN, ĐƠN VỊ" in _text(pdf, 3, 3)


@pytest.mark.slow
def test_certificate_is_exactly_one_page(pdfs: dict[str, Path]) -> None:
    """A Giấy chứng nhận prints on one A4 page, with whom it certifies and the signer."""
    pdf = pdfs["certificate"]
    assert _pages(pdf) == 1
    text = " ".join(_text(pdf).split())
    assert "GIẤY CHỨNG NHẬN SÁNG KIẾN" in text
    assert "Ông (Bà): Lê Thị Thu Hà" in text
    assert "Nguyễn Văn Hải" in text


@pytest.mark.slow
def test_decision_annex_starts_on_its_own_page(pdfs: dict[str, Path]) -> None:
    """The signature ends the decision; the annex list follows on a new page."""
    pdf = pdfs["decision"]
    pages = _pages(pdf)
    assert pages >= 2
    annex = " ".join(_text(pdf, 2, pages).split())
    assert "DANH SÁCH SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH ĐƯỢC CÔNG NHẬN NĂM 2024" in annex
    assert "Kèm theo Quyết định số 05/QĐ-UBND" in annex


def _annex_of(rows: int) -> OfficialDocument:
    """A decision whose annex has ``rows`` rows, each long enough to wrap over several lines,
    its first and last words marking where it starts and ends."""
    annex = Table(
        header=("TT", "Tên sáng kiến", "Đơn vị"),
        rows=tuple(
            (
                f"{n:03d}",
                f"Đầu{n:03d} " + "giải pháp cải cách thủ tục hành chính " * 3 + f"Cuối{n:03d}",
                "UBND xã",
            )
            for n in range(1, rows + 1)
        ),
        widths=(0.1, 0.7, 0.2),
    )
    return OfficialDocument(
        slug="phu-luc-300",
        governing_body="",
        issuer="ỦY BAN NHÂN DÂN\nHUYỆN VĨNH LINH",
        number="/QĐ-UBND",
        place="Vĩnh Linh",
        issued_on=date(2024, 12, 20),
        doc_type="QUYẾT ĐỊNH",
        subject="Về việc công nhận sáng kiến",
        addressees=(),
        blocks=(Block("body", "Danh sách kèm theo."), Block("table", name="annex")),
        signature=Signature(("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH", "Nguyễn Văn A"),
        recipients=("Lưu: VT, NV.",),
        tables={"annex": annex},
        dated=False,
    )


@pytest.mark.slow
def test_a_300_row_annex_keeps_each_row_on_one_page_with_the_header_on_every_page(tmp_path: Path) -> None:
    """LibreOffice lays the annex over many pages: every row starts and ends on the same page,
    and every page the table runs onto begins with its header row."""
    _tools()
    docx = tmp_path / "phu-luc-300.docx"
    docx.write_bytes(write_docx(_annex_of(300)))
    (pdf,) = to_pdf([docx], tmp_path)
    pages = _pages(pdf)
    assert pages >= 10
    seen = set()
    for page in range(1, pages + 1):
        words = _text(pdf, page, page).split()
        starts = {w for w in words if w.startswith("Đầu")}
        ends = {w for w in words if w.startswith("Cuối")}
        assert {s.removeprefix("Đầu") for s in starts} == {e.removeprefix("Cuối") for e in ends}, page
        if page > 1 and starts:
            first = words.index(min(starts))
            assert words[words.index("Tên") : words.index("Tên") + 3] == ["Tên", "sáng", "kiến"], page
            assert words.index("Tên") < first, page
        seen |= starts
    assert len(seen) == 300
