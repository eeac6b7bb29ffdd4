"""The bundled 2024 year brought to its end, and the sample pictures of each document kind.

``complete_year`` records what a year holds by December (submissions, the council's sheets, the
decision, folded scores) through the plain domain functions; the document tests use it too.
``python -m deployments.document_samples`` renders each kind, converts it to PDF with LibreOffice
and writes the first page as ``docs/samples/<kind>.png`` (needs soffice and pdftoppm).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from deployments.cli_stack import BUNDLED
from models.cycle import Cycle, cycle_units, load_cycle_config, open_cycle
from models.db import make_engine, upgrade
from models.imports import import_file
from models.intake import SUBMISSIONS
from models.review import Approval, council_sheets
from models.settings import load_settings
from notifications.documents.kinds import DOCUMENTS, DocumentKind
from notifications.documents.render import render_kind
from notifications.steps import StepContext, fold_step, intake_file, recognize_step, review_step

YEAR_END = date(2024, 12, 31)
DECIDED_ON = date(2024, 12, 20)
# The day each kind is drawn on, where the year's end is not the day (the seed letter's 08/10).
SAMPLE_DAYS: dict[str, date] = {
    DocumentKind.ESCALATION: date(2024, 10, 8),
    DocumentKind.MINUTES: date(2024, 12, 10),
    DocumentKind.PROPOSAL: date(2024, 12, 12),
}
SAMPLE_UNIT = "VL-VP"  # the Office: its report and outline have every section
# Kinds whose last page is drawn too, as <kind>-last.png: the escalation's annex of addressees.
LAST_PAGES = (DocumentKind.ESCALATION,)


def complete_year(session: Session, cycle: Cycle, folder: Path, data: Path | None = None) -> Cycle:
    """Take in the submissions (the bundled ones, or the CSV files in ``data``) and the council's
    sheets, record the decision, fold scores: the same steps as the year's flows, as plain calls.
    The year's end and the decision's day are those of the cycle's year."""
    data = data or load_cycle_config(BUNDLED).roster.parent
    year_end = YEAR_END.replace(year=cycle.year)
    ctx = StepContext("samples", load_settings().model_copy(update={"data_dir": folder / "year"}))
    for kind in SUBMISSIONS:
        if (data / f"{kind}.csv").exists():
            intake_file(session, cycle, data / f"{kind}.csv", kind, year_end, ctx)
    return close_year(session, cycle, folder, ctx)


def close_year(session: Session, cycle: Cycle, folder: Path, ctx: StepContext) -> Cycle:
    """The council's simulated sheets, the decision on the 20th of December, the folded scores."""
    config = cycle.configuration
    year_end, decided_on = YEAR_END.replace(year=cycle.year), DECIDED_ON.replace(year=cycle.year)
    review_step(session, cycle, year_end, ctx, council_sheets(session, cycle, folder / "sheets.csv"))
    signer = config.signers["decision"]
    recognize_step(session, cycle, Approval("05/QĐ-UBND", decided_on, signer.name, signer.title), ctx)
    fold_step(session, cycle, year_end, ctx)
    return cycle


def render_year(session: Session, cycle: Cycle, out: Path) -> dict[str, Path]:
    """Every document kind of a closed year as .docx (and HTML) under ``out``: the escalation and
    the minutes on their sample days, the others at the year's end, a unit's on the Office's."""
    offices = [code for code, unit in cycle_units(session, cycle.id).items() if unit.kind == "office"]
    written = {}
    for kind, spec in DOCUMENTS.items():
        day = SAMPLE_DAYS.get(kind, YEAR_END).replace(year=cycle.year)
        unit = (offices[0] if offices else None) if spec.needs_unit else None
        written[kind] = render_kind(session, cycle, kind, day, out, unit).docx
    return written


def render_samples(folder: Path) -> dict[str, Path]:
    """Every kind of the completed bundled year as .docx under ``folder`` (a fresh SQLite file)."""
    engine = make_engine(f"sqlite:///{folder / 'samples.sqlite3'}")
    upgrade(engine)
    config = load_cycle_config(BUNDLED)
    written = {}
    with Session(engine) as session:
        cycle, _ = open_cycle(session, config, "samples")
        import_file(session, cycle, config.roster, "units", today=config.opens_on, actor="samples")
        complete_year(session, cycle, folder)
        for kind, spec in DOCUMENTS.items():
            day, unit = SAMPLE_DAYS.get(kind, YEAR_END), SAMPLE_UNIT if spec.needs_unit else None
            written[kind] = render_kind(session, cycle, kind, day, folder / "out", unit).docx
    engine.dispose()
    return written


def to_pdf(files: list[Path], folder: Path) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice headless (one run, a private profile)."""
    profile = folder / "lo-profile"
    command = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf"]
    arguments = [*command, "--outdir", str(folder / "pdf"), *map(str, files)]
    subprocess.run(arguments, check=True, capture_output=True, timeout=300)  # noqa: S603 - as above
    return [folder / "pdf" / (f.stem + ".pdf") for f in files]


def main() -> None:
    """Write docs/samples/<kind>.png, the first page of each kind at 80 dpi (and the last page
    of ``LAST_PAGES`` as <kind>-last.png)."""
    if shutil.which("soffice") is None or shutil.which("pdftoppm") is None:
        sys.exit("soffice and pdftoppm are needed (Debian: libreoffice-writer, poppler-utils)")
    target = Path(__file__).resolve().parent.parent / "docs" / "samples"
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        docx = render_samples(folder)
        for kind, pdf in zip(docx, to_pdf(list(docx.values()), folder), strict=True):
            page = ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(target / kind)]
            subprocess.run(page, check=True)  # noqa: S603 - a fixed program on PATH, our own files
            if kind in LAST_PAGES:
                info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)  # noqa: S603, S607 - as above
                pages = next(
                    line.split()[1] for line in info.stdout.splitlines() if line.startswith("Pages:")
                )
                last = ["pdftoppm", "-png", "-r", "80", "-f", pages, "-l", pages, "-singlefile", str(pdf)]
                subprocess.run([*last, str(target / f"{kind}-last")], check=True)  # noqa: S603 - as above


if __name__ == "__main__":
    main()
