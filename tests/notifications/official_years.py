"""Two whole years to read as an official reads them: the bundled Vĩnh Linh 2024 cycle, and the
same cycle derived for another authority (Gio Linh, code TEST) and another year (2025), with no
code change. Each is opened, its year replayed through the steps (call, intake, sweeps, review,
recognition, scores), and every document kind rendered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from deployments.document_samples import SAMPLE_DAYS, complete_year
from models.cycle import Cycle, load_cycle_config
from models.settings import load_settings
from notifications.documents.kinds import DOCUMENTS
from notifications.documents.render import render_kind
from notifications.steps import StepContext, open_step, sweep_step
from tests.conftest import VINH_LINH, VINH_LINH_DATA


@dataclass(frozen=True)
class Year:
    """A replayed year: its cycle, its documents' .docx files, and whom it must never name."""

    cycle: Cycle
    documents: dict[str, Path]
    leaders: tuple[str, ...]


def derived_cycle(folder: Path, year: int = 2025) -> Path:
    """The bundled file as Gio Linh's (code TEST) of ``year``, its roster and submissions moved
    to that year."""

    def shift(text: str) -> str:
        return text.replace("2024", str(year))

    data = folder / "data"
    data.mkdir(parents=True)
    for csv in VINH_LINH_DATA.glob("*.csv"):
        (data / csv.name).write_text(shift(csv.read_text(encoding="utf-8")), encoding="utf-8")
    text = shift(VINH_LINH.read_text(encoding="utf-8"))
    text = text.replace('code = "464"', 'code = "TEST"').replace("huyện Vĩnh Linh", "huyện Gio Linh")
    text = text.replace('place_name = "Vĩnh Linh"', 'place_name = "Gio Linh"')
    text = text.replace("vinhlinh.example.org", "giolinh.example.org")
    text = text.replace("Thái Văn Thành", "Hồ Văn Mẫu")
    text = text.replace(f'roster = "vinh-linh-{year}/units.csv"', f'roster = "{data / "units.csv"}"')
    path = folder / f"gio-linh-{year}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def replay(session: Session, config_path: Path, folder: Path, data: Path | None = None) -> Year:
    """Open the cycle of ``config_path``, replay its year, render every document kind."""
    ctx = StepContext("test", load_settings().model_copy(update={"data_dir": folder / "var"}))
    cycle = open_step(session, config_path, ctx).cycle
    complete_year(session, cycle, folder, data)
    config = cycle.configuration
    day = min(config.deadlines.dates.values()) - timedelta(days=15)
    while day <= config.deadlines.last + timedelta(days=10):  # reminders, overdue, escalation
        sweep_step(session, cycle, day, ctx)
        day += timedelta(days=1)
    documents = {}
    for kind, spec in DOCUMENTS.items():
        sample_day = SAMPLE_DAYS.get(kind, date(2024, 12, 31)).replace(year=cycle.year)
        unit = "19402" if spec.needs_unit else None
        documents[kind] = render_kind(session, cycle, kind, sample_day, folder / "out", unit).docx
    leaders = tuple(s.name for s in config.signers.values()) + tuple(
        m.name for m in config.review.council if m.role.lower().startswith("chủ tịch")
    )
    return Year(cycle, documents, leaders)


def bundled(session: Session, folder: Path) -> Year:
    """The bundled 2024 year."""
    return replay(session, VINH_LINH, folder)


def derived(session: Session, folder: Path) -> Year:
    """The Gio Linh 2025 year."""
    path = derived_cycle(folder / "cycle")
    assert load_cycle_config(path).year == 2025
    return replay(session, path, folder, folder / "cycle" / "data")
