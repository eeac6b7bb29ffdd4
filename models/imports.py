"""Import kinds and their entry points: open a cycle from its file, import any kind of file, store
the rows of a form.

An import kind is what ``sangkien import KIND FILE`` takes: the roster (units), every submission
kind of ``models.intake.kinds`` (initiatives, reports, replication, and any registered later) and
the council's score sheets (reviews). Each names its schema, its columns and how its rows are
stored; the CLI, the flows and the forms dispatch through ``import_kind``. Each entry point runs
inside the caller's session and stores all of a file or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

from pydantic import BaseModel
from sqlalchemy.orm import Session

from models.cycle import Cycle, load_cycle_config, open_cycle
from models.errors import ImportRejected, InvalidInput, RowError
from models.intake import (
    OBLIGATIONS,
    SUBMISSIONS,
    UNIT_COLUMNS,
    IntakeResult,
    ReviewIn,
    SourceRow,
    SubmissionKind,
    UnitIn,
    header_fits,
    iter_rows,
    json_kinds,
    parse_rows,
    read_data,
    read_header,
    required_columns,
    store_submissions,
    upsert_units,
)
from models.review import REVIEW_COLUMNS, store_reviews
from models.text import parse_date

Items = list[tuple[int, BaseModel]]
# (session, cycle, items, file name, today, actor, problems found while parsing) -> what was stored
Store = Callable[[Session, Cycle, Items, str, date, str, list[RowError]], IntakeResult]


@dataclass(frozen=True, slots=True)
class ImportKind:
    """What one ``sangkien import KIND`` reads and how it stores it."""

    code: str
    schema: type[BaseModel]
    columns: Mapping[str, str]
    store: Store
    submission: SubmissionKind | None = None  # set for kinds that fulfil an obligation


def _units(
    session: Session, cycle: Cycle, items: Items, file: str, _today: date, actor: str, prior: list[RowError]
) -> IntakeResult:
    return upsert_units(session, cycle, cast(list[tuple[int, UnitIn]], items), file, actor, prior)


def _reviews(
    session: Session, cycle: Cycle, items: Items, file: str, _today: date, actor: str, prior: list[RowError]
) -> IntakeResult:
    return store_reviews(session, cycle, cast(list[tuple[int, ReviewIn]], items), file, actor, prior)


def _submission(kind: SubmissionKind) -> ImportKind:
    def store(
        session: Session,
        cycle: Cycle,
        items: Items,
        file: str,
        today: date,
        actor: str,
        prior: list[RowError],
    ) -> IntakeResult:
        return store_submissions(session, cycle, kind, items, file, today, actor, prior)

    return ImportKind(kind.code, kind.schema, kind.columns, store, kind)


def import_kinds() -> dict[str, ImportKind]:
    """Every import kind, the roster first and the score sheets last (read at call time, so a kind
    registered later is there too)."""
    kinds = {"units": ImportKind("units", UnitIn, UNIT_COLUMNS, _units)}
    kinds |= {code: _submission(kind) for code, kind in SUBMISSIONS.items()}
    kinds["reviews"] = ImportKind("reviews", ReviewIn, REVIEW_COLUMNS, _reviews)
    return kinds


_LABELS = {"units": "Danh sách đơn vị", "reviews": "Phiếu chấm điểm của Hội đồng"}


def import_kind_label(code: str) -> str:
    """How an officer names the kind: 'Danh sách đơn vị'; a submission kind by its obligation."""
    kind = import_kinds().get(code)
    if kind is None or kind.submission is None:
        return _LABELS.get(code, code)
    obligation = OBLIGATIONS.get(kind.submission.obligation)
    return obligation.labels.table if obligation else code


def import_kind(code: str) -> ImportKind:
    """The import kind of ``code``; an unknown one is the user's mistake, named with the choices."""
    kinds = import_kinds()
    if code not in kinds:
        raise InvalidInput(f"loại dữ liệu {code!r} không có; hãy chọn: {', '.join(kinds)}", field="kind")
    return kinds[code]


def confined(path: Path, folder: Path) -> Path:
    """``path`` if it lies in ``folder`` once links are followed; a file elsewhere is refused
    (a flow started through the API reads only the intake folder, never any file of the worker)."""
    resolved, allowed = path.resolve(), folder.resolve()
    if not resolved.is_relative_to(allowed):
        raise InvalidInput(
            f"chỉ nhận tệp trong thư mục nhận tệp {allowed}",
            field="path",
            fix="hãy đặt tệp vào thư mục đó (hoặc tải tệp lên) rồi ghi {field} là đường dẫn trong đó",
        )
    return resolved


def _sent_between(row: SourceRow, after: date | None, until: date) -> bool:
    try:
        sent = parse_date(row.cells.get("submitted_on", until))
    except ValueError:
        return True  # validation will name the bad date
    return sent <= until and (after is None or sent > after)


def store_items(
    session: Session, cycle: Cycle, kind: str, items: Items, file: str, *, today: date, actor: str
) -> IntakeResult:
    """Store already-parsed rows of ``kind`` (a form is a file of one row named ``file``)."""
    return import_kind(kind).store(session, cycle, items, file, today, actor, [])


def import_file(
    session: Session,
    cycle: Cycle,
    path: Path,
    kind: str,
    *,
    today: date,
    actor: str,
    replay: bool = False,
    after: date | None = None,
) -> IntakeResult:
    """Read, validate and store one file of ``kind``; raises ``ImportRejected`` with every error.

    ``replay`` takes only the rows dated on or before ``today`` (a year replayed day by day) and,
    with ``after``, dated after it: the day before in the replay took those, so each row is
    checked and stored once, on the day it arrives, not again on every later day.
    """
    spec = import_kind(kind)
    name, errors = path.name, list[RowError]()
    # Rows are parsed as they are read: the parsed items are kept, the cells are not.
    rows = iter_rows(path, spec.columns, required_columns(spec.schema), errors, json_kinds(spec.schema))
    if replay:
        rows = (row for row in rows if _sent_between(row, after, today))
    items = parse_rows(rows, spec.schema, name, errors)
    return spec.store(session, cycle, items, name, today, actor, sorted(errors, key=lambda e: e.row))


def other_units(items: Items, unit_code: str, file: str) -> list[RowError]:
    """A row of another unit in ``unit_code``'s file is refused: a unit sends only its own."""
    return [
        RowError(
            file,
            number,
            "unit_code",
            f"dòng của đơn vị {code} trong tệp của đơn vị {unit_code}; mỗi đơn vị chỉ gửi hồ sơ của mình "
            f"— hãy xóa dòng này hoặc ghi mã {unit_code}",
        )
        for number, item in items
        if (code := getattr(item, "unit_code", unit_code)) != unit_code
    ]


def import_data(
    session: Session,
    cycle: Cycle,
    name: str,
    data: bytes,
    kind: str,
    *,
    today: date,
    actor: str,
    unit_code: str | None = None,
) -> IntakeResult:
    """``import_file`` of a file's bytes (an attachment named ``name``); with ``unit_code``, a row
    of any other unit refuses the file."""
    spec = import_kind(kind)
    rows = read_data(name, data, spec.columns, required_columns(spec.schema), json_kinds(spec.schema))
    errors = list[RowError]()
    items = parse_rows(rows, spec.schema, name, errors)
    if unit_code is not None:
        errors.extend(other_units(items, unit_code, name))
        items = [(n, item) for n, item in items if getattr(item, "unit_code", unit_code) == unit_code]
    return spec.store(session, cycle, items, name, today, actor, errors)


def detect_kind(name: str, data: bytes, kinds: Iterable[str]) -> str | None:
    """Which of ``kinds`` a file is, by its header row (None when none fits, or it cannot be read)."""
    try:
        header = read_header(name, data)
    except ImportRejected:
        return None
    for code in kinds:
        spec = import_kind(code)
        if header_fits(header, spec.columns, required_columns(spec.schema)):
            return code
    return None


def open_cycle_from_file(
    session: Session, config_path: Path, *, actor: str
) -> tuple[Cycle, bool, IntakeResult]:
    """Open (or refresh) the cycle of a configuration file and load its roster."""
    config = load_cycle_config(config_path)
    cycle, created = open_cycle(session, config, actor)
    try:
        result = import_file(session, cycle, config.roster, "units", today=config.opens_on, actor=actor)
    except ImportRejected as exc:
        if not config.roster.exists():
            raise ImportRejected(
                [RowError(str(config_path), 1, "roster", (f"không có tệp danh sách đơn vị {config.roster}"))]
            ) from exc
        raise
    return cycle, created, result
