"""Each document kind through LibreOffice: it converts to PDF headless, and the PDF's text holds
the header lines and the subject, on the number of pages expected.

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
from sqlalchemy.orm import Session

from models.config import load_cycle_config
from models.cycles import open_cycle
from models.db import make_engine
from models.imports import import_file
from models.schema_migrations import upgrade
from notifications.documents import render_kind
from tests.conftest import VINH_LINH
from tests.notifications.document_year import YEAR_END, complete_year

KINDS = {
    "escalation": (date(2024, 10, 8), None, "V/v báo cáo kết quả áp dụng sáng kiến"),
    "unit-report": (YEAR_END, "VL-VP", "Kết quả xây dựng và áp dụng sáng kiến cải cách hành chính năm 2024"),
    "minutes": (date(2024, 12, 10), None, "Họp xét công nhận sáng kiến cải cách hành chính năm 2024"),
    "decision": (YEAR_END, None, "Về việc công nhận sáng kiến cải cách hành chính năm 2024"),
    "annual-report": (YEAR_END, None, "Kết quả xây dựng, áp dụng sáng kiến cải cách hành chính năm 2024"),
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
    engine = make_engine(f"sqlite:///{folder / 'year.sqlite3'}")
    upgrade(engine)
    config = load_cycle_config(VINH_LINH)
    docx: dict[str, Path] = {}
    with Session(engine) as session:
        cycle, _ = open_cycle(session, config, "test")
        import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="test")
        complete_year(session, cycle, folder)
        for kind, (day, unit, _subject) in KINDS.items():
            docx[kind] = render_kind(session, cycle, kind, day, folder / "out", unit).docx
    engine.dispose()
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "pdf"),
            *map(str, docx.values()),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {kind: folder / "pdf" / (path.stem + ".pdf") for kind, path in docx.items()}


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def _text(pdf: Path, first: int = 1, last: int = 0) -> str:
    args = ["pdftotext", "-layout", "-f", str(first)] + (["-l", str(last)] if last else [])
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
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
    assert KINDS[kind][2] in first
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
