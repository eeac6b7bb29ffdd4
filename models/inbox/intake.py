"""Taking in one file of a unit's message, exactly as ``sangkien import`` takes in a file.

The unit is the one the workbook names (a call's workbook), else the one the sender's address
belongs to, else the one the rows name. The sender must be that unit's registered address or
one of its alternates in the roster: otherwise nothing of the file is stored and the unit is
told. A row of another unit refuses the file. Then the file is stored all or nothing; a refused
file keeps every error as the CLI prints it (``FILE:ROW:COLUMN: message``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit, cycle_units
from models.errors import ImportRejected, RowError
from models.imports import import_data, import_kind
from models.inbox.files import FileCheck
from models.intake import IntakeResult, read_data, required_columns

KIND_NAMES = "đề xuất sáng kiến, báo cáo kết quả hoặc báo cáo nhân rộng"


@dataclass(frozen=True, slots=True)
class Roster:
    """The cycle's units by code, and which units each address may send for."""

    units: dict[str, Unit]
    by_address: dict[str, frozenset[str]]

    @classmethod
    def load(cls, session: Session, cycle: Cycle) -> Roster:
        """Every enrolled unit with its registered and alternate addresses (lower case)."""
        units = cycle_units(session, cycle.id)
        by_address: dict[str, set[str]] = defaultdict(set)
        for code, unit in units.items():
            for address in addresses(unit):
                by_address[address].add(code)
        return cls(units, {a: frozenset(codes) for a, codes in by_address.items()})

    def units_of(self, sender: str | None) -> frozenset[str]:
        """The units ``sender`` may send for."""
        return self.by_address.get(sender or "", frozenset())


def addresses(unit: Unit) -> list[str]:
    """The unit's registered address, then its alternates."""
    alternates = [a.strip() for a in (unit.alternate_emails or "").split(";") if a.strip()]
    return [a.lower() for a in [unit.email or "", *alternates] if a]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """What became of one file: stored, unchanged (sent before), refused, wrong_sender, not_opened
    or ignored; the errors as the CLI prints them; the rows it stored."""

    check: FileCheck
    outcome: str
    unit_code: str | None = None
    errors: tuple[str, ...] = ()
    result: IntakeResult | None = None


def _refused(check: FileCheck, unit: str | None, *errors: RowError) -> FileOutcome:
    return FileOutcome(check, "refused", unit, tuple(str(e) for e in errors))


def _unit_of(check: FileCheck, senders: frozenset[str]) -> tuple[str | None, list[RowError]]:
    """The unit a readable file is for, or why none can be told."""
    name = check.attachment.filename
    if check.identity is not None:
        return check.identity.unit_code, []
    if len(senders) == 1:
        return next(iter(senders)), []
    spec = import_kind(str(check.kind))
    try:
        rows = read_data(name, check.attachment.data, spec.columns, required_columns(spec.schema))
    except ImportRejected as exc:
        return None, exc.errors
    codes = sorted({row.cells.get("unit_code", "") for row in rows} - {""})
    if len(codes) == 1:
        return codes[0], []
    message = "tệp có dòng của nhiều đơn vị" if codes else "tệp không có dòng hồ sơ nào"
    return None, [RowError(name, 1, "unit_code", f"{message}; mỗi tệp là hồ sơ của một đơn vị")]


def _checked_unit(check: FileCheck, cycle: Cycle, sender: str | None, roster: Roster) -> FileOutcome | Unit:
    """The unit a readable file is for and may come from ``sender``, or the file's outcome."""
    name = check.attachment.filename
    if check.kind is None:
        message = (
            f"không phải tệp mẫu {KIND_NAMES}; hãy dùng tệp mẫu gửi kèm thư đề nghị, giữ nguyên dòng tiêu đề"
        )
        return _refused(check, None, RowError(name, 1, "-", message))
    identity = check.identity
    if identity is not None and (identity.year, identity.authority) != (cycle.year, cycle.authority.code):
        message = (
            f"tệp của chu kỳ năm {identity.year}, không phải chu kỳ năm {cycle.year} đang nhận hồ sơ; "
            f"hãy dùng tệp gửi kèm thư đề nghị năm {cycle.year}"
        )
        return _refused(check, identity.unit_code, RowError(name, 1, "-", message))
    code, problems = _unit_of(check, roster.units_of(sender))
    if code is None:
        return _refused(check, None, *problems)
    unit = roster.units.get(code)
    if unit is None:
        message = f"đơn vị mã {code} không thuộc chu kỳ năm {cycle.year}; hãy dùng tệp mẫu của đơn vị mình"
        return _refused(check, code, RowError(name, 1, "unit_code", message))
    if sender not in addresses(unit):
        shown = sender or "(không rõ)"
        message = (
            f"{name}: tệp của {unit.name} nhưng thư gửi từ {shown}, không phải địa chỉ đã đăng ký của đơn vị"
        )
        return FileOutcome(check, "wrong_sender", code, (message,))
    return unit


def take_in_file(
    session: Session,
    cycle: Cycle,
    check: FileCheck,
    sender: str | None,
    roster: Roster,
    today: date,
    actor: str,
) -> FileOutcome:
    """Take one attachment in (or say why not), all or nothing."""
    name = check.attachment.filename
    if check.verdict != "readable":
        return FileOutcome(check, check.verdict, errors=(f"{name}: {check.reason}",) if check.reason else ())
    unit = _checked_unit(check, cycle, sender, roster)
    if isinstance(unit, FileOutcome):
        return unit
    try:
        result = import_data(
            session,
            cycle,
            name,
            check.attachment.data,
            str(check.kind),
            today=today,
            actor=actor,
            unit_code=unit.code,
        )
    except ImportRejected as exc:
        return _refused(check, unit.code, *exc.errors)
    if not result.stored and not result.unchanged:
        message = "tệp không có dòng hồ sơ nào ngoài các mã điền sẵn; hãy điền ít nhất một dòng"
        return _refused(check, unit.code, RowError(name, 2, "-", message))
    return FileOutcome(check, "stored" if result.stored else "unchanged", unit.code, (), result)
