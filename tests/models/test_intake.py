"""Intake of initiatives, result reports and replication reports, from files and from forms.

Each test imports real files (CSV, JSON, xlsx) through ``models.imports.import_file`` or calls the
``store_*`` functions the way a form does, then checks what an officer would check: the rows in
the tables, the audit log, and the ``FILE:ROW:COLUMN`` of every refusal.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deployments.synthetic import SyntheticShape, generate
from models.cycle import Cycle, ReplicatedInitiative, Unit
from models.db import AuditEntry, Base
from models.errors import ImportRejected
from models.imports import import_file as import_any
from models.imports import import_kind, open_cycle_from_file
from models.intake import (
    Initiative,
    InitiativeAuthor,
    InitiativeIn,
    IntakeResult,
    ReplicationIn,
    ReplicationReport,
    ReportIn,
    ResultReport,
)
from tests.builders import store_initiatives, store_replication, store_reports
from tests.conftest import TODAY, VINH_LINH_DATA, write_csv

ACTOR = "nhap-thu"
FORM = "biểu mẫu"

INITIATIVE_COLUMNS = (
    "unit_code",
    "title",
    "solution_type",
    "field",
    "authors",
    "first_applied_on",
    "scope",
    "before",
    "solution",
    "novelty",
    "effects",
    "replicable",
    "submitted_on",
)
REPORT_COLUMNS = (
    "unit_code",
    "initiative_title",
    "organisation",
    "results",
    "assessment",
    "proposals",
    "submitted_on",
)
REPLICATION_COLUMNS = (
    "unit_code",
    "replicated_code",
    "started_on",
    "how_applied",
    "dossiers",
    "results",
    "problems",
    "submitted_on",
)
COLUMNS = {"initiatives": INITIATIVE_COLUMNS, "reports": REPORT_COLUMNS, "replication": REPLICATION_COLUMNS}

ZALO_TITLE = "Nhóm Zalo hỗ trợ nghiệp vụ hộ tịch cho công chức cấp xã"
QR_TITLE = "Lấy số thứ tự bằng mã QR tại Bộ phận Một cửa"


def initiative(
    unit_code: str = "VL-TP",
    title: str = ZALO_TITLE,
    submitted_on: str = "2024-06-14",
    **changes: str,
) -> dict[str, str]:
    """The cells of one initiative row as a unit fills them in."""
    cells = {
        "unit_code": unit_code,
        "title": title,
        "solution_type": "operational",
        "field": "procedures",
        "authors": "Võ Thị Ngọc Ánh | Chuyên viên | 70; Võ Văn Toàn | Trưởng phòng | 30",
        "first_applied_on": "2024-01-22",
        "scope": "Phòng Tư pháp và công chức Tư pháp - Hộ tịch của 18 xã, thị trấn.",
        "before": "Vướng mắc về hộ tịch ở cấp xã được giải đáp chậm, qua công văn.",
        "solution": "Lập nhóm Zalo nghiệp vụ, chuyên viên trả lời trong ngày.",
        "novelty": "Lần đầu áp dụng tại huyện.",
        "effects": "Giải đáp 298 tình huống; thời gian trả lời giảm từ 5 ngày còn 1 ngày.",
        "replicable": "có",
        "not_excluded": "có",
        "submitted_on": submitted_on,
    }
    return cells | changes


def report(
    unit_code: str = "VL-TP", initiative_title: str = ZALO_TITLE, submitted_on: str = "2024-10-15"
) -> dict[str, str]:
    """The cells of one result-report row."""
    return {
        "unit_code": unit_code,
        "initiative_title": initiative_title,
        "organisation": "Lãnh đạo phòng giao nhiệm vụ cụ thể cho từng chuyên viên.",
        "results": "Đã giải đáp 298 tình huống nghiệp vụ.",
        "assessment": "Hiệu quả, dễ nhân rộng.",
        "proposals": "Đề nghị công nhận sáng kiến.",
        "submitted_on": submitted_on,
    }


def replication(
    unit_code: str = "19363", replicated_code: str = "NR01", submitted_on: str = "2024-10-17"
) -> dict[str, str]:
    """The cells of one replication-report row."""
    return {
        "unit_code": unit_code,
        "replicated_code": replicated_code,
        "started_on": "2024-04-08",
        "how_applied": "Hướng dẫn người dân quan tâm Zalo OA khi đến Bộ phận Một cửa.",
        "dossiers": "412",
        "results": "412 hồ sơ được báo kết quả qua Zalo OA.",
        "problems": "",
        "submitted_on": submitted_on,
    }


def csv_line(cells: list[str]) -> str:
    """One CSV line, quoted the way a spreadsheet program saves it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def write_rows(path: Path, kind: str, *rows: dict[str, str]) -> Path:
    """An import file of ``kind`` in the format its suffix names (csv, json or xlsx)."""
    columns = import_kind(kind).columns
    if path.suffix == ".csv":
        return write_csv(path, ",".join(columns), *(csv_line([r.get(c, "") for c in columns]) for r in rows))
    if path.suffix == ".json":
        path.write_text(json.dumps(list(rows), ensure_ascii=False), encoding="utf-8")
        return path
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        cells: list[object] = []
        for column in columns:
            value = row.get(column, "")
            # Spreadsheets hold dates as date cells, not text.
            cells.append(date.fromisoformat(value) if column.endswith("_on") and value else value or None)
        sheet.append(cells)
    book.save(path)
    return path


def import_file(session: Session, cycle: Cycle, path: Path, kind: str, today: date = TODAY) -> IntakeResult:
    """Import as the CLI does, with today's date fixed."""
    return import_any(session, cycle, path, kind, today=today, actor=ACTOR)


def rejected(session: Session, cycle: Cycle, path: Path, kind: str, today: date = TODAY) -> list[str]:
    """The ``FILE:ROW:COLUMN: message`` lines of a refused import."""
    with pytest.raises(ImportRejected) as refusal:
        import_file(session, cycle, path, kind, today)
    return [str(e) for e in refusal.value.errors]


def count(session: Session, table: type[Base]) -> int:
    """Rows in a table."""
    return session.scalar(select(func.count()).select_from(table)) or 0


def form(cells: dict[str, str]) -> dict[str, str]:
    """The fields a form submits: the ones filled in (as the file reader drops empty cells)."""
    return {name: value for name, value in cells.items() if value}


def initiative_in(**changes: str) -> InitiativeIn:
    """An initiative as a form submits it."""
    return InitiativeIn.model_validate(form(initiative(**changes)))


def stored_initiative(session: Session, title: str) -> Initiative:
    """The stored initiative of that exact title."""
    return session.scalars(select(Initiative).where(Initiative.title == title)).one()


def unit_id(session: Session, code: str) -> int:
    """The id of the current version of a unit."""
    return session.scalars(select(Unit.id).where(Unit.code == code)).one()


def audit(session: Session, entity: str) -> list[AuditEntry]:
    """The audit entries of one entity, oldest first."""
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id))
    )


# --- a good file -----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_good_file_stores_initiatives_with_authors_and_shares(
    session: Session, cycle: Cycle, tmp_path: Path, suffix: str
) -> None:
    """A good file in any accepted format stores each initiative with its ordered authors and shares."""
    path = write_rows(
        tmp_path / f"sang-kien{suffix}",
        "initiatives",
        initiative(),
        initiative(
            "19363",
            QR_TITLE,
            "2024-07-02",
            authors="Nguyễn Đức Thắng | Chủ tịch UBND | 50,5; Lê Thị Mai | Công chức | 49.5",
            solution_type="ứng dụng tiến bộ kỹ thuật",
            field="Chính phủ số",
            replicable="không",
        ),
    )

    result = import_file(session, cycle, path, "initiatives")

    assert (result.kind, result.stored, result.unchanged, result.late) == ("initiatives", 2, 0, 0)
    zalo = stored_initiative(session, ZALO_TITLE)
    assert zalo.cycle_id == cycle.id
    assert zalo.unit_id == unit_id(session, "VL-TP")
    assert (zalo.solution_type, zalo.field, zalo.replicable) == ("operational", "procedures", True)
    assert zalo.submitted_on == date(2024, 6, 14)
    assert zalo.first_applied_on == date(2024, 1, 22)
    assert zalo.days_late == 0
    assert zalo.recognition_status == "proposed"
    assert [(a.position, a.name, a.title, a.share) for a in zalo.authors] == [
        (1, "Võ Thị Ngọc Ánh", "Chuyên viên", Decimal(70)),
        (2, "Võ Văn Toàn", "Trưởng phòng", Decimal(30)),
    ]
    qr = stored_initiative(session, QR_TITLE)
    assert qr.unit_id == unit_id(session, "19363")
    assert (qr.solution_type, qr.field, qr.replicable) == ("applied_technology", "digital_government", False)
    assert [a.share for a in qr.authors] == [Decimal("50.5"), Decimal("49.5")]
    assert count(session, Initiative) == 2
    assert count(session, InitiativeAuthor) == 4


def test_stored_initiatives_are_audited_with_unit_date_and_lateness(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Every stored initiative gets one audit entry naming the actor, the unit, the date and lateness."""
    path = write_rows(
        tmp_path / "sang-kien.csv", "initiatives", initiative(), initiative("19363", QR_TITLE, "2024-09-09")
    )

    import_file(session, cycle, path, "initiatives")

    entries = audit(session, "initiative")
    assert [(e.actor, e.action, e.before) for e in entries] == [(ACTOR, "submit", None)] * 2
    by_id = {e.entity_id: e.after for e in entries}
    zalo = stored_initiative(session, ZALO_TITLE)
    qr = stored_initiative(session, QR_TITLE)
    assert by_id[zalo.id] == {
        "unit": "VL-TP",
        "title": ZALO_TITLE,
        "submitted_on": "2024-06-14",
        "days_late": 0,
    }
    assert by_id[qr.id] == {"unit": "19363", "title": QR_TITLE, "submitted_on": "2024-09-09", "days_late": 5}


def test_bundled_vinh_linh_files_store_every_row_linked_to_its_initiative(
    session: Session, cycle: Cycle
) -> None:
    """The bundled 2024 initiatives, reports and replication files store every row; reports point to
    the initiative they name, and lateness is counted against each obligation's deadline."""
    initiatives = import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives")
    reports = import_file(session, cycle, VINH_LINH_DATA / "reports.csv", "reports")
    replicated = import_file(session, cycle, VINH_LINH_DATA / "replication.csv", "replication")

    assert (initiatives.stored, initiatives.late) == (40, 5)  # 19402's 04/09 was the last day
    assert (reports.stored, reports.late) == (38, 4)
    assert (replicated.stored, replicated.late) == (81, 15)
    assert count(session, Initiative) == 40
    assert count(session, ResultReport) == 38
    assert count(session, ReplicationReport) == 81
    linked = session.execute(
        select(
            ResultReport.unit_id, Initiative.unit_id, ResultReport.initiative_key, Initiative.title_key
        ).join(Initiative, Initiative.id == ResultReport.initiative_id)
    ).all()
    assert len(linked) == 38
    assert all(r_unit == i_unit and r_key == i_key for r_unit, i_unit, r_key, i_key in linked)
    replication_units = set(
        session.scalars(select(Unit.kind).join(ReplicationReport, ReplicationReport.unit_id == Unit.id))
    )
    assert replication_units == {"commune", "office"}
    assert [e.action for e in audit(session, "result_report")] == ["submit"] * 38
    assert [e.action for e in audit(session, "replication_report")] == ["submit"] * 81


# --- lateness and dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted_on", "stored_on", "late"),
    [
        ("2024-09-09", date(2024, 9, 9), 5),
        ("09/09/2024", date(2024, 9, 9), 5),
        ("2024-08-31", date(2024, 8, 31), 0),
        ("31/08/2024", date(2024, 8, 31), 0),
        ("2024-09-04", date(2024, 9, 4), 0),
        ("2024-09-05", date(2024, 9, 5), 1),
        ("2024-01-15", date(2024, 1, 15), 0),
    ],
)
def test_initiative_lateness_counts_days_after_inclusive_deadline(
    session: Session, cycle: Cycle, submitted_on: str, stored_on: date, late: int
) -> None:
    """The 31/08/2024 deadline ("no later than") fell in the National Day break and ran to 04/09:
    04/09 is on time, 09/09 is 5 days late; the cycle's opening day is accepted."""
    result = store_initiatives(
        session,
        cycle,
        [(1, initiative_in(submitted_on=submitted_on, first_applied_on=""))],
        FORM,
        TODAY,
        ACTOR,
    )

    row = stored_initiative(session, ZALO_TITLE)
    assert (row.submitted_on, row.days_late) == (stored_on, late)
    assert (result.stored, result.late) == (1, 1 if late else 0)


@pytest.mark.parametrize(("today", "late"), [(date(2024, 7, 1), 0), (date(2024, 9, 6), 2)])
def test_empty_submitted_on_means_the_day_of_the_import(
    session: Session, cycle: Cycle, tmp_path: Path, today: date, late: int
) -> None:
    """A row without submitted_on is dated the ``today`` of the import, and late from it."""
    path = write_rows(tmp_path / "khong-ngay.csv", "initiatives", initiative(submitted_on=""))

    import_file(session, cycle, path, "initiatives", today=today)

    row = stored_initiative(session, ZALO_TITLE)
    assert (row.submitted_on, row.days_late) == (today, late)


def test_submission_before_the_cycle_opens_is_refused(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """A row dated 14/01/2024, the day before the cycle opened on 15/01/2024, is refused."""
    path = write_rows(
        tmp_path / "som.csv", "initiatives", initiative(submitted_on="2024-01-14", first_applied_on="")
    )

    assert rejected(session, cycle, path, "initiatives") == [
        "som.csv:2:submitted_on: ngày gửi 14/01/2024 trước ngày mở chu kỳ 15/01/2024"
    ]
    assert count(session, Initiative) == 0


def test_submission_dated_after_today_is_refused(session: Session, cycle: Cycle) -> None:
    """A form dated tomorrow is refused as in the future, naming today."""
    with pytest.raises(ImportRejected) as refusal:
        store_initiatives(
            session, cycle, [(1, initiative_in(submitted_on="2024-07-02"))], FORM, date(2024, 7, 1), ACTOR
        )

    assert [str(e) for e in refusal.value.errors] == [
        f"{FORM}:1:submitted_on: ngày gửi 02/07/2024 ở tương lai (hôm nay 01/07/2024)"
    ]
    assert count(session, Initiative) == 0


def test_first_applied_after_submitted_is_refused_naming_the_column(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """An initiative must have been applied before it is proposed: a first-applied date after the
    submission date is refused at the first_applied_on column (every error names its column)."""
    path = write_rows(
        tmp_path / "ap-dung.csv",
        "initiatives",
        initiative(first_applied_on="2024-07-01", submitted_on="2024-06-14"),
    )

    errors = rejected(session, cycle, path, "initiatives")

    assert len(errors) == 1
    assert errors[0].startswith("ap-dung.csv:2:first_applied_on: ngày áp dụng lần đầu sau ngày gửi")
    assert count(session, Initiative) == 0


def test_first_applied_after_the_import_day_is_refused_when_submitted_on_is_empty(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """With an empty submitted_on the submission is dated the day of the import, so an initiative
    first applied after that day has not been applied yet and is refused like a dated one."""
    path = write_rows(
        tmp_path / "ap-dung.csv", "initiatives", initiative(first_applied_on="2024-07-01", submitted_on="")
    )

    with pytest.raises(ImportRejected) as refusal:
        import_file(session, cycle, path, "initiatives", today=date(2024, 6, 14))

    assert [(e.row, e.column) for e in refusal.value.errors] == [(2, "first_applied_on")]
    assert count(session, Initiative) == 0


# --- units -------------------------------------------------------------------------------------


def test_unknown_unit_code_is_refused(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """A unit code no roster has is refused at its row and column."""
    path = write_rows(tmp_path / "sai-ma.csv", "initiatives", initiative(), initiative("VL-XYZ", QR_TITLE))

    errors = rejected(session, cycle, path, "initiatives")

    assert len(errors) == 1
    assert errors[0].startswith("sai-ma.csv:3:unit_code: không có đơn vị mã VL-XYZ")
    assert count(session, Initiative) == 0


def test_unit_of_another_cycle_is_refused_as_outside_the_cycle(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A unit enrolled only in another authority's cycle exists but is outside the 2024 cycle."""
    config = generate(tmp_path / "mau", SyntheticShape(units=3, initiatives_per_unit=1))
    open_cycle_from_file(session, config, actor=ACTOR)
    path = write_rows(tmp_path / "ngoai.csv", "initiatives", initiative("M000001"))

    assert rejected(session, cycle, path, "initiatives") == [
        "ngoai.csv:2:unit_code: đơn vị M000001 không thuộc chu kỳ 2024; hãy kiểm tra mã đơn vị"
    ]
    assert count(session, Initiative) == 0


def test_unit_on_record_but_not_enrolled_is_refused_as_outside_the_cycle(
    session: Session, cycle: Cycle
) -> None:
    """A unit row that was never enrolled in the cycle cannot submit to it."""
    session.add(Unit(code="VL-KHAC", name="Ban Dân tộc", kind="agency", valid_from=date(2024, 1, 15)))
    session.flush()

    with pytest.raises(ImportRejected) as refusal:
        store_initiatives(session, cycle, [(1, initiative_in(unit_code="VL-KHAC"))], FORM, TODAY, ACTOR)

    assert [str(e) for e in refusal.value.errors] == [
        f"{FORM}:1:unit_code: đơn vị VL-KHAC không thuộc chu kỳ 2024; hãy kiểm tra mã đơn vị"
    ]


# --- duplicates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ZALO_TITLE,
            unicodedata.normalize("NFD", "  NHÓM ZALO HỖ TRỢ   nghiệp vụ hộ tịch CHO công chức cấp xã "),
        ),
        (
            "Tiếp nhận hồ sơ lưu động tại xã Vĩnh Thủy và Vĩnh Hòa",
            "TIẾP NHẬN HỒ SƠ LƯU ĐỘNG TẠI XÃ VĨNH THUỶ VÀ VĨNH HOÀ",
        ),
    ],
    ids=["nfd-upper-spaces", "old-tone-placement"],
)
def test_duplicate_title_within_the_file_is_refused_naming_both_rows(
    session: Session, cycle: Cycle, tmp_path: Path, first: str, second: str
) -> None:
    """The same unit and title, the second spelled in NFD, upper case and extra spaces (or with the
    old tone placement "Thuỷ"/"Hoà"), is a duplicate: refused at the second row, naming the first."""
    path = write_rows(
        tmp_path / "trung.csv",
        "initiatives",
        initiative(title=first),
        initiative("19363", QR_TITLE),
        initiative(title=second, effects="Khác nội dung."),
    )

    assert rejected(session, cycle, path, "initiatives") == [
        "trung.csv:4:title: sáng kiến cùng tên của cùng đơn vị trùng với dòng 2"
    ]
    assert count(session, Initiative) == 0


def test_same_title_from_two_units_is_not_a_duplicate(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Duplicates are per unit: two units may propose initiatives of the same title."""
    path = write_rows(tmp_path / "hai-don-vi.csv", "initiatives", initiative(), initiative("19363"))

    assert import_file(session, cycle, path, "initiatives").stored == 2
    assert count(session, Initiative) == 2


def test_importing_the_same_files_twice_stores_them_once(session: Session, cycle: Cycle) -> None:
    """A second import of the same initiatives, reports and replication files stores nothing new,
    counts every row as unchanged, and succeeds."""
    files = [
        ("initiatives.csv", "initiatives"),
        ("reports.csv", "reports"),
        ("replication.csv", "replication"),
    ]
    first = [import_file(session, cycle, VINH_LINH_DATA / name, kind) for name, kind in files]
    tables: list[type[Base]] = [Initiative, InitiativeAuthor, ResultReport, ReplicationReport, AuditEntry]
    before = {t.__tablename__: count(session, t) for t in tables}

    second = [import_file(session, cycle, VINH_LINH_DATA / name, kind) for name, kind in files]

    assert [(r.stored, r.unchanged) for r in first] == [(40, 0), (38, 0), (81, 0)]
    assert [(r.stored, r.updated, r.unchanged, r.late) for r in second] == [
        (0, 0, 40, 0),
        (0, 0, 38, 0),
        (0, 0, 81, 0),
    ]
    assert {t.__tablename__: count(session, t) for t in tables} == before


def test_different_row_with_a_stored_title_is_refused_as_duplicate(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A later row with the title of a stored initiative of the unit but other content is refused,
    naming the stored initiative; the stored one is unchanged."""
    import_file(
        session, cycle, write_rows(tmp_path / "dot-1.csv", "initiatives", initiative()), "initiatives"
    )
    stored = stored_initiative(session, ZALO_TITLE)
    changed = initiative(title=ZALO_TITLE.upper(), effects="Giảm thời gian trả lời còn nửa ngày.")
    path = write_rows(tmp_path / "dot-2.csv", "initiatives", changed)

    errors = rejected(session, cycle, path, "initiatives")

    assert len(errors) == 1
    assert errors[0].startswith(
        f"dot-2.csv:2:title: sáng kiến cùng tên của cùng đơn vị đã được nhận trước đây (số {stored.id})"
    )
    assert count(session, Initiative) == 1
    assert stored_initiative(session, ZALO_TITLE).effects == initiative()["effects"]


# --- all or nothing ------------------------------------------------------------------------------


def test_one_bad_row_among_a_hundred_stores_nothing(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """100 good rows and, at spreadsheet row 57, an unknown unit: nothing is stored and the one
    error names ``FILE:57:unit_code``."""
    codes = sorted(session.scalars(select(Unit.code)))
    rows = [
        initiative(codes[n % len(codes)], f"Sáng kiến số {n + 1} về số hóa hồ sơ tại Bộ phận Một cửa")
        for n in range(101)
    ]
    rows[55] = initiative("VL-KHONG-CO", "Sáng kiến của một đơn vị không có thật")
    path = write_rows(tmp_path / "nhieu-dong.csv", "initiatives", *rows)

    errors = rejected(session, cycle, path, "initiatives")

    assert len(errors) == 1
    assert errors[0].startswith("nhieu-dong.csv:57:unit_code: không có đơn vị mã VL-KHONG-CO")
    assert count(session, Initiative) == 0
    assert count(session, InitiativeAuthor) == 0
    assert audit(session, "initiative") == []


def test_parsing_and_database_errors_are_reported_together_sorted_by_row(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Errors found while parsing (bad code, shares not adding up) and while checking against the
    database (unknown unit, future date) come in one refusal, in row order; nothing is stored."""
    path = write_rows(
        tmp_path / "nhieu-loi.csv",
        "initiatives",
        initiative("VL-XYZ"),
        initiative(title="Sáng kiến loại sai", solution_type="sáng chế"),
        initiative(title="Sáng kiến gửi ngày mai", submitted_on="2025-01-01"),
        initiative(title="Sáng kiến chia sai tỷ lệ", authors="Võ Văn Toàn | Trưởng phòng | 90"),
        initiative(title="Sáng kiến hợp lệ duy nhất"),
    )

    with pytest.raises(ImportRejected) as refusal:
        import_file(session, cycle, path, "initiatives")

    errors = refusal.value.errors
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("nhieu-loi.csv", 2, "unit_code"),
        ("nhieu-loi.csv", 3, "solution_type"),
        ("nhieu-loi.csv", 4, "submitted_on"),
        ("nhieu-loi.csv", 5, "authors"),
    ]
    assert "không có đơn vị mã VL-XYZ" in errors[0].message
    assert "loại giải pháp 'sáng chế' không hợp lệ" in errors[1].message
    assert "ở tương lai" in errors[2].message
    assert "phải bằng 100%" in errors[3].message
    assert str(refusal.value).splitlines() == [str(e) for e in errors]
    assert count(session, Initiative) == 0


@pytest.mark.parametrize(("suffix", "row"), [(".csv", 3), (".xlsx", 3), (".json", 2)])
def test_errors_name_the_row_as_the_file_shows_it(
    session: Session, cycle: Cycle, tmp_path: Path, suffix: str, row: int
) -> None:
    """The second data row is row 3 of a spreadsheet (the header is row 1) and object 2 of JSON."""
    path = write_rows(tmp_path / f"dong{suffix}", "initiatives", initiative(), initiative("VL-XYZ", QR_TITLE))

    errors = rejected(session, cycle, path, "initiatives")

    assert [e.split(": ")[0] for e in errors] == [f"dong{suffix}:{row}:unit_code"]
    assert count(session, Initiative) == 0


# --- result reports ------------------------------------------------------------------------------


def test_report_is_linked_to_the_initiative_it_names(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """A report naming one of the unit's initiatives (in other case and spacing) is stored linked
    to it and late from the 22/10/2024 deadline."""
    import_file(session, cycle, write_rows(tmp_path / "sk.csv", "initiatives", initiative()), "initiatives")
    named = "  " + ZALO_TITLE.upper().replace(" ", "  ") + " "
    path = write_rows(
        tmp_path / "bao-cao.csv", "reports", report(initiative_title=named, submitted_on="2024-10-25")
    )

    result = import_file(session, cycle, path, "reports")

    row = session.scalars(select(ResultReport)).one()
    assert row.initiative_id == stored_initiative(session, ZALO_TITLE).id
    assert row.unit_id == unit_id(session, "VL-TP")
    assert (row.submitted_on, row.days_late) == (date(2024, 10, 25), 3)
    assert row.results == "Đã giải đáp 298 tình huống nghiệp vụ."
    assert (result.stored, result.late) == (1, 1)
    [entry] = audit(session, "result_report")
    assert entry.entity_id == row.id
    assert entry.after == {
        "unit": "VL-TP",
        "initiative_id": row.initiative_id,
        "submitted_on": "2024-10-25",
        "days_late": 3,
    }


def test_report_naming_an_initiative_the_unit_does_not_have_is_refused(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A report may name only the unit's own initiatives: another unit's title is refused."""
    import_file(session, cycle, write_rows(tmp_path / "sk.csv", "initiatives", initiative()), "initiatives")
    path = write_rows(tmp_path / "bao-cao.csv", "reports", report(), report("19363", ZALO_TITLE))

    errors = rejected(session, cycle, path, "reports")

    assert len(errors) == 1
    assert errors[0].startswith("bao-cao.csv:3:initiative_title: đơn vị 19363 không có sáng kiến tên")
    assert count(session, ResultReport) == 0


def test_general_report_with_empty_initiative_title_is_accepted(session: Session, cycle: Cycle) -> None:
    """A report that names no initiative is a general report of the unit, stored unlinked."""
    item = ReportIn.model_validate(form(report("19363", "", "2024-10-22")))

    result = store_reports(session, cycle, [(1, item)], FORM, TODAY, ACTOR)

    row = session.scalars(select(ResultReport)).one()
    assert (row.initiative_id, row.initiative_key, row.days_late) == (None, "", 0)
    assert row.unit_id == unit_id(session, "19363")
    assert (result.stored, result.late) == (1, 0)


# --- replication reports -------------------------------------------------------------------------


def test_replication_by_commune_and_office_is_stored_against_the_catalogue(
    session: Session, cycle: Cycle
) -> None:
    """A commune and the Office report on catalogue items; each row points to its catalogue entry."""
    items = [
        (1, ReplicationIn.model_validate(form(replication()))),
        (2, ReplicationIn.model_validate(form(replication("VL-VP", "NR05", "2024-10-23")))),
    ]

    result = store_replication(session, cycle, items, FORM, TODAY, ACTOR)

    rows = {
        (code, unit, dossiers, late)
        for code, unit, dossiers, late in session.execute(
            select(
                ReplicatedInitiative.code, Unit.code, ReplicationReport.dossiers, ReplicationReport.days_late
            )
            .join(ReplicatedInitiative, ReplicatedInitiative.id == ReplicationReport.replicated_id)
            .join(Unit, Unit.id == ReplicationReport.unit_id)
        )
    }
    assert rows == {("NR01", "19363", 412, 0), ("NR05", "VL-VP", 412, 1)}
    assert (result.stored, result.late) == (2, 1)
    assert len(audit(session, "replication_report")) == 2


def test_replication_from_an_agency_is_refused(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Only the Office and communes report replication: a specialist agency is refused."""
    path = write_rows(tmp_path / "nhan-rong.csv", "replication", replication(), replication("VL-TP"))

    errors = rejected(session, cycle, path, "replication")

    assert len(errors) == 1
    assert errors[0].startswith("nhan-rong.csv:3:unit_code: đơn vị VL-TP không phải Văn phòng HĐND và UBND")
    assert count(session, ReplicationReport) == 0


def test_unknown_replicated_code_is_refused_listing_the_valid_codes(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A code outside the cycle's catalogue is refused; the message lists NR01 to NR05."""
    path = write_rows(tmp_path / "nhan-rong.json", "replication", replication(replicated_code="NR09"))

    assert rejected(session, cycle, path, "replication") == [
        (
            "nhan-rong.json:1:replicated_code: mã NR09 không có trong danh mục nhân rộng của chu kỳ; "
            "các mã hợp lệ: NR01, NR02, NR03, NR04, NR05"
        )
    ]
    assert count(session, ReplicationReport) == 0


# --- text --------------------------------------------------------------------------------------


def test_decomposed_vietnamese_is_stored_precomposed(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Text typed in NFD (macOS, some web forms) is stored in NFC, in titles, authors and reports."""
    nfd = unicodedata.normalize("NFD", ZALO_TITLE)
    assert nfd != ZALO_TITLE
    path = write_rows(
        tmp_path / "nfd.csv",
        "initiatives",
        initiative(
            title=nfd,
            authors=unicodedata.normalize("NFD", "Võ Thị Ngọc Ánh | Chuyên viên | 100"),
        ),
    )
    import_file(session, cycle, path, "initiatives")
    reports = write_rows(tmp_path / "nfd-bc.csv", "reports", report(initiative_title=nfd))
    import_file(session, cycle, reports, "reports")

    row = stored_initiative(session, ZALO_TITLE)
    assert [(a.name, a.title) for a in row.authors] == [("Võ Thị Ngọc Ánh", "Chuyên viên")]
    assert unicodedata.is_normalized("NFC", row.title_key)
    linked = session.scalars(select(ResultReport)).one()
    assert linked.initiative_id == row.id
    assert linked.initiative_key == row.title_key


def test_markup_is_stored_verbatim_as_text(session: Session, cycle: Cycle) -> None:
    """Markup in a submission is kept as typed: escaping is the renderer's job, not the store's."""
    title = "<b>Một cửa</b> & <script>alert('x')</script>"
    solution = 'Dùng thẻ <i>QR</i> & "mã" <img src=x onerror=alert(1)>'

    store_initiatives(
        session, cycle, [(1, initiative_in(title=title, solution=solution))], FORM, TODAY, ACTOR
    )

    row = stored_initiative(session, title)
    assert (row.title, row.solution) == (title, solution)
