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
from pathlib import Path

import pytest

from deployments.document_samples import render_samples, to_pdf
from notifications.documents.kinds import DOCUMENTS

SUBJECTS = {
    "escalation": "V/v báo cáo kết quả áp dụng sáng kiến",
    "unit-report": "Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm 2024",
    "minutes": "Họp xét công nhận sáng kiến cải cách hành chính năm 2024",
    "decision": "Về việc công nhận sáng kiến cải cách hành chính năm 2024",
    "annual-report": "Kết quả xây dựng, áp dụng sáng kiến cải cách hành chính năm 2024",
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
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Độc lập - Tự do - Hạnh phúc" in first
    assert "Số:" in first
    assert "Vĩnh Linh, ngày" in first
    assert SUBJECTS[kind] in first
    assert _pages(pdf) >= 1


@pytest.mark.slow
def test_escalation_letter_is_two_pages_numbered_from_the_second(pdfs: dict[str, Path]) -> None:
    """As the seed: the letter runs onto a second page, which (only) carries its page number."""
    pdf = pdfs["escalation"]
    assert _pages(pdf) == 2
    assert _text(pdf, 2, 2).lstrip().startswith("2")
    assert not _text(pdf, 1, 1).lstrip().startswith("1")
    assert "Thái Văn Thành" in _text(pdf, 2, 2)


@pytest.mark.slow
def test_decision_annex_starts_on_its_own_page(pdfs: dict[str, Path]) -> None:
    """The signature ends the decision; the annex list follows on a new page."""
    pdf = pdfs["decision"]
    pages = _pages(pdf)
    assert pages >= 2
    annex = " ".join(_text(pdf, 2, pages).split())
    assert "DANH SÁCH SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH ĐƯỢC CÔNG NHẬN NĂM 2024" in annex
    assert "Kèm theo Quyết định số 05/QĐ-UBND" in annex
