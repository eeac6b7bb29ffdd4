"""The roster: units imported by official code, enrolled in a cycle, versioned across cycles.

Also proves that nothing about Vĩnh Linh lives in code: a synthetic province of 300 units opens
and takes its submissions through the same functions.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from deployments.synthetic import SyntheticShape, generate
from models.cycle import Authority, CouncilMember, Cycle, CycleUnit, ReplicatedInitiative, Unit, roster
from models.db import AuditEntry, Base
from models.errors import ImportRejected
from models.imports import import_file, open_cycle_from_file
from models.intake import Initiative, ReplicationReport, ResultReport
from tests.conftest import VINH_LINH, VINH_LINH_DATA, write_csv

ACTOR = "nhap-danh-sach"
UNIT_COLUMNS = ("code", "name", "kind", "email", "head_name", "head_title", "parent_code")


def bundled_units() -> list[dict[str, str]]:
    """The rows of the bundled Vĩnh Linh 2024 roster."""
    with (VINH_LINH_DATA / "units.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_line(cells: list[str]) -> str:
    """One CSV line, quoted the way a spreadsheet program saves it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def write_units(path: Path, rows: list[dict[str, str]]) -> Path:
    """A units file with the canonical header."""
    return write_csv(path, ",".join(UNIT_COLUMNS), *(csv_line([r[c] for c in UNIT_COLUMNS]) for r in rows))


def changed_roster(path: Path, code: str, **changes: str) -> Path:
    """The bundled roster with one unit's cells changed."""
    rows = [row | changes if row["code"] == code else row for row in bundled_units()]
    return write_units(path, rows)


def config_2025(folder: Path, units: Path) -> Path:
    """The bundled configuration moved to 2025 (year, dates), with its own roster file."""
    text = VINH_LINH.read_text(encoding="utf-8")
    text = text.replace("year = 2024", "year = 2025").replace("năm 2024", "năm 2025")
    text = re.sub(r"\b2024-(\d\d-\d\d)\b", r"2025-\1", text)
    text = text.replace('roster = "vinh-linh-2024/units.csv"', f'roster = "{units.name}"')
    path = folder / "vinh-linh-2025.toml"
    path.write_text(text, encoding="utf-8")
    return path


def count(session: Session, table: type[Base]) -> int:
    """Rows in a table."""
    return session.scalar(select(func.count()).select_from(table)) or 0


def unit_audit(session: Session, action: str) -> list[AuditEntry]:
    """The audit entries of units for one action, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "unit", AuditEntry.action == action)
            .order_by(AuditEntry.id)
        )
    )


def test_opening_the_bundled_cycle_enrolls_its_34_units(session: Session) -> None:
    """Opening Vĩnh Linh 2024 from its file stores and enrolls 34 units, each audited once."""
    cycle, created, result = open_cycle_from_file(session, VINH_LINH, actor=ACTOR)

    assert created
    assert (cycle.year, cycle.authority.code, cycle.opens_on) == (2024, "464", date(2024, 1, 15))
    assert (result.kind, result.stored, result.updated, result.unchanged) == ("units", 34, 0, 0)
    assert count(session, Unit) == 34
    assert count(session, CycleUnit) == 34
    assert len(unit_audit(session, "create")) == 34
    assert all(
        u.valid_from == date(2024, 1, 15) and u.valid_to is None for u in session.scalars(select(Unit))
    )


def test_bundled_roster_has_18_communes_1_office_11_agencies_4_public_service_units(
    session: Session, cycle: Cycle
) -> None:
    """The 2024 roster enrolled in the cycle, by kind, with names and e-mails as given."""
    units = roster(session, cycle.id)

    assert len(units) == 34
    assert Counter(u.kind for u in units.values()) == {
        "commune": 18,
        "office": 1,
        "agency": 11,
        "public_service_unit": 4,
    }
    assert units["VL-VP"].name == "Văn phòng HĐND và UBND"
    assert units["VL-VP"].kind == "office"
    assert units["19426"].name == "UBND xã Vĩnh Ô"
    email = session.scalars(select(Unit.email).where(Unit.code == "VL-TP")).one()
    assert email == "tuphap@vinhlinh.example.org"


def test_reimporting_the_roster_unchanged_changes_nothing(session: Session, cycle: Cycle) -> None:
    """The same units file again counts 34 unchanged and adds no unit, enrolment or audit entry."""
    audited = count(session, AuditEntry)

    result = import_file(
        session, cycle, VINH_LINH_DATA / "units.csv", "units", today=cycle.opens_on, actor=ACTOR
    )

    assert (result.stored, result.updated, result.unchanged) == (0, 0, 34)
    assert count(session, Unit) == 34
    assert count(session, CycleUnit) == 34
    assert count(session, AuditEntry) == audited


def test_changed_email_updates_the_unit_in_place_with_an_audit_entry(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A unit that served in no other cycle is updated in place: same row, new e-mail (lower case),
    and an audit entry holding the before and after images."""
    before_id = session.scalars(select(Unit.id).where(Unit.code == "VL-TP")).one()
    path = changed_roster(tmp_path / "units.csv", "VL-TP", email="TuPhap.Moi@VinhLinh.example.org")

    result = import_file(session, cycle, path, "units", today=cycle.opens_on, actor=ACTOR)

    assert (result.stored, result.updated, result.unchanged) == (0, 1, 33)
    unit = session.scalars(select(Unit).where(Unit.code == "VL-TP")).one()
    assert unit.id == before_id
    assert unit.email == "tuphap.moi@vinhlinh.example.org"
    assert count(session, Unit) == 34
    [entry] = unit_audit(session, "update")
    assert (entry.entity_id, entry.actor) == (before_id, ACTOR)
    assert entry.before is not None
    assert entry.after is not None
    assert entry.before["email"] == "tuphap@vinhlinh.example.org"
    assert entry.after["email"] == "tuphap.moi@vinhlinh.example.org"
    assert entry.before["name"] == entry.after["name"] == "Phòng Tư pháp"


def test_invalid_email_is_refused_naming_row_and_column(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A malformed e-mail is refused at its spreadsheet row and the column ``email``; nothing changes."""
    path = changed_roster(tmp_path / "units.csv", "VL-TP", email="tuphap@@vinhlinh")

    with pytest.raises(ImportRejected) as refusal:
        import_file(session, cycle, path, "units", today=cycle.opens_on, actor=ACTOR)

    assert [str(e) for e in refusal.value.errors] == [
        "units.csv:3:email: địa chỉ thư 'tuphap@@vinhlinh' không hợp lệ; hãy ghi dạng ten@coquan.gov.vn"
    ]
    email = session.scalars(select(Unit.email).where(Unit.code == "VL-TP")).one()
    assert email == "tuphap@vinhlinh.example.org"
    assert unit_audit(session, "update") == []


def test_duplicate_codes_in_one_file_are_refused(session: Session, cycle: Cycle, tmp_path: Path) -> None:
    """Two rows with one code are refused at the second, naming the first; nothing is stored."""
    rows = bundled_units()[:3]
    rows.append(rows[0] | {"name": "Phòng Nội vụ (bản sao)"})
    path = write_units(tmp_path / "trung-ma.csv", rows)

    with pytest.raises(ImportRejected) as refusal:
        import_file(session, cycle, path, "units", today=cycle.opens_on, actor=ACTOR)

    assert [str(e) for e in refusal.value.errors] == [
        "trung-ma.csv:5:code: mã đơn vị VL-NV trùng với dòng 2; mỗi đơn vị một dòng"
    ]
    name = session.scalars(select(Unit.name).where(Unit.code == "VL-NV")).one()
    assert name == "Phòng Nội vụ"
    assert count(session, Unit) == 34


def test_renamed_unit_in_a_new_cycle_gets_a_new_version(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """A unit that served in 2024 and is renamed in the 2025 roster gets a new version from the 2025
    opening day: the 2024 cycle still shows the old name, the 2025 cycle the new one, and the old
    version ends the day before 2025 opens."""
    units = changed_roster(tmp_path / "units-2025.csv", "VL-TP", name="Phòng Tư pháp huyện Vĩnh Linh")

    cycle_2025, created, result = open_cycle_from_file(session, config_2025(tmp_path, units), actor=ACTOR)

    assert created
    assert (cycle_2025.year, cycle_2025.opens_on) == (2025, date(2025, 1, 15))
    assert cycle_2025.authority_id == cycle.authority_id
    assert (result.stored, result.updated, result.unchanged) == (1, 0, 33)
    old_roster = roster(session, cycle.id)
    new_roster = roster(session, cycle_2025.id)
    assert old_roster["VL-TP"].name == "Phòng Tư pháp"
    assert new_roster["VL-TP"].name == "Phòng Tư pháp huyện Vĩnh Linh"
    assert len(new_roster) == 34
    assert {c for c in old_roster if old_roster[c].unit_id != new_roster[c].unit_id} == {"VL-TP"}
    versions = session.execute(
        select(Unit.id, Unit.name, Unit.valid_from, Unit.valid_to)
        .where(Unit.code == "VL-TP")
        .order_by(Unit.id)
    ).all()
    assert [(v.name, v.valid_from, v.valid_to) for v in versions] == [
        ("Phòng Tư pháp", date(2024, 1, 15), date(2025, 1, 14)),
        ("Phòng Tư pháp huyện Vĩnh Linh", date(2025, 1, 15), None),
    ]
    [closed] = unit_audit(session, "close")
    assert (closed.entity_id, closed.after) == (versions[0].id, {"valid_to": "2025-01-14"})
    assert count(session, Unit) == 35


def test_versions_stay_put_when_either_cycle_is_loaded_again(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """After the 2025 rename, loading the 2024 roster into 2024 and opening 2025 again changes
    nothing: each cycle keeps the version it had."""
    units = changed_roster(tmp_path / "units-2025.csv", "VL-TP", name="Phòng Tư pháp huyện Vĩnh Linh")
    config = config_2025(tmp_path, units)
    cycle_2025, _, _ = open_cycle_from_file(session, config, actor=ACTOR)

    again_2024 = import_file(
        session, cycle, VINH_LINH_DATA / "units.csv", "units", today=cycle.opens_on, actor=ACTOR
    )
    _, created, again_2025 = open_cycle_from_file(session, config, actor=ACTOR)

    assert not created
    assert (again_2024.stored, again_2024.updated, again_2024.unchanged) == (0, 0, 34)
    assert (again_2025.stored, again_2025.updated, again_2025.unchanged) == (0, 0, 34)
    assert count(session, Unit) == 35
    assert roster(session, cycle.id)["VL-TP"].name == "Phòng Tư pháp"
    assert roster(session, cycle_2025.id)["VL-TP"].name == "Phòng Tư pháp huyện Vĩnh Linh"


def test_rename_on_a_later_import_moves_the_new_cycle_seat_to_a_new_version(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """2025 first opens with the 2024 units as they were (shared versions); a later 2025 roster
    renaming a unit closes the shared version and enrolls a new one in 2025 only."""
    unchanged = write_units(tmp_path / "units-2025.csv", bundled_units())
    config = config_2025(tmp_path, unchanged)
    cycle_2025, _, opened = open_cycle_from_file(session, config, actor=ACTOR)
    shared = roster(session, cycle_2025.id)["19402"].unit_id
    renamed = changed_roster(tmp_path / "units-2025-b.csv", "19402", name="UBND xã Vĩnh Thuỷ")

    result = import_file(session, cycle_2025, renamed, "units", today=date(2025, 1, 15), actor=ACTOR)

    assert (opened.stored, opened.unchanged) == (0, 34)
    assert (result.stored, result.updated, result.unchanged) == (1, 0, 33)
    new_roster = roster(session, cycle_2025.id)
    assert len(new_roster) == 34
    assert new_roster["19402"].name == "UBND xã Vĩnh Thuỷ"
    assert new_roster["19402"].unit_id != shared
    assert roster(session, cycle.id)["19402"].unit_id == shared
    assert roster(session, cycle.id)["19402"].name == "UBND xã Vĩnh Thủy"
    enrolments = session.execute(
        select(CycleUnit.cycle_id, CycleUnit.unit_id)
        .join(Unit, Unit.id == CycleUnit.unit_id)
        .where(Unit.code == "19402")
    ).all()
    assert sorted(enrolments) == sorted([(cycle.id, shared), (cycle_2025.id, new_roster["19402"].unit_id)])
    valid_to = session.scalars(select(Unit.valid_to).where(Unit.id == shared)).one()
    assert valid_to == date(2025, 1, 14)


def test_opening_a_cycle_twice_creates_nothing_twice(session: Session) -> None:
    """A second opening of the same file finds the cycle: no second authority, cycle, council
    member, catalogue entry, unit or enrolment, and no reconfiguration is recorded."""
    tables: list[type[Base]] = [Authority, Cycle, CouncilMember, ReplicatedInitiative, Unit, CycleUnit]
    first, created_first, _ = open_cycle_from_file(session, VINH_LINH, actor=ACTOR)
    counts = {t.__tablename__: count(session, t) for t in tables}
    session.expire_all()  # the second opening reads everything back, as a separate run would

    second, created_second, result = open_cycle_from_file(session, VINH_LINH, actor=ACTOR)

    assert (created_first, created_second) == (True, False)
    assert second.id == first.id
    assert counts == {
        "authorities": 1,
        "cycles": 1,
        "council_members": 5,
        "replicated_initiatives": 5,
        "units": 34,
        "cycle_units": 34,
    }
    assert {t.__tablename__: count(session, t) for t in tables} == counts
    assert (result.stored, result.updated, result.unchanged) == (0, 0, 34)
    reconfigured = session.scalars(select(AuditEntry).where(AuditEntry.action == "reconfigure")).all()
    assert reconfigured == []


def test_a_synthetic_province_of_300_units_runs_with_no_code_change(session: Session, tmp_path: Path) -> None:
    """Nothing about Vĩnh Linh is in code: a generated province of 300 communes and agencies opens
    from its own file, enrolls its units by kind as in its units.csv, and takes its initiatives,
    reports and replication reports."""
    config = generate(tmp_path, SyntheticShape(units=300, mix=(("commune", 90), ("agency", 10))))
    files = {
        name: list(csv.DictReader(io.StringIO((tmp_path / f"{name}.csv").read_text(encoding="utf-8"))))
        for name in ("units", "initiatives", "reports", "replication")
    }

    cycle, created, result = open_cycle_from_file(session, config, actor=ACTOR)
    stored = {
        kind: import_file(
            session, cycle, tmp_path / f"{kind}.csv", kind, today=date(2025, 12, 31), actor=ACTOR
        )
        for kind in ("initiatives", "reports", "replication")
    }

    assert created
    assert (cycle.authority.code, cycle.year) == ("MAU", 2025)
    assert result.stored == 300
    enrolled = roster(session, cycle.id)
    assert Counter(u.kind for u in enrolled.values()) == Counter(row["kind"] for row in files["units"])
    assert set(Counter(row["kind"] for row in files["units"])) == {"commune", "agency"}
    assert {kind: r.stored for kind, r in stored.items()} == {
        kind: len(files[kind]) for kind in ("initiatives", "reports", "replication")
    }
    assert count(session, Initiative) == len(files["initiatives"])
    assert count(session, ResultReport) == len(files["reports"])
    assert count(session, ReplicationReport) == len(files["replication"])
    assert count(session, CouncilMember) == 5
    reporting_kinds = set(
        session.scalars(select(Unit.kind).join(ReplicationReport, ReplicationReport.unit_id == Unit.id))
    )
    assert reporting_kinds == {"commune"}
