"""Council score sheets imported from files: who may score what, how much, and replacement.

The council and the criteria come from the bundled Vĩnh Linh 2024 configuration (five members;
novelty 30, applicability 35, effectiveness 35; approval from a total of 50). Sheets score the
bundled 2024 initiatives.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle, CycleConfig, Unit
from models.db import AuditEntry
from models.errors import ImportRejected
from models.imports import import_file
from models.intake import Initiative, InitiativeIn, IntakeResult
from models.review import ScoreSheet
from tests.builders import store_initiatives
from tests.conftest import TODAY, VINH_LINH_DATA, write_csv

ACTOR = "thu-ky-hoi-dong"
REVIEW_COLUMNS = (
    "initiative_id",
    "member",
    "novelty",
    "applicability",
    "effectiveness",
    "approve",
    "comment",
)
# Council seats of the bundled configuration and their units.
CHAIR = "Nguyễn Văn Hải"  # VL-VP
TU_PHAP = "Hoàng Thị Lan"  # VL-TP
TAI_CHINH = "Phạm Quốc Bảo"  # VL-TCKH


@pytest.fixture
def proposals(session: Session, cycle: Cycle) -> Cycle:
    """The 2024 cycle with its 40 bundled initiatives stored."""
    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=TODAY, actor="test")
    return cycle


def initiative_of(session: Session, unit_code: str) -> int:
    """The id of the first initiative a unit proposed."""
    return session.scalars(
        select(Initiative.id)
        .join(Unit, Unit.id == Initiative.unit_id)
        .where(Unit.code == unit_code)
        .order_by(Initiative.id)
        .limit(1)
    ).one()


def sheet(initiative_id: int, member: str, *scores: str, approve: str = "có", comment: str = "") -> list[str]:
    """One row of a review file: novelty, applicability, effectiveness, approve, comment."""
    return [str(initiative_id), member, *scores, approve, comment]


def write_reviews(path: Path, *rows: list[str]) -> Path:
    """A review file with the canonical header."""

    def line(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(cells)
        return buffer.getvalue()

    return write_csv(path, ",".join(REVIEW_COLUMNS), *(line(r) for r in rows))


def import_reviews(session: Session, cycle: Cycle, path: Path) -> IntakeResult:
    """Import a review file as the council secretary does."""
    return import_file(session, cycle, path, "reviews", today=TODAY, actor=ACTOR)


def rejected(session: Session, cycle: Cycle, path: Path) -> list[str]:
    """The ``FILE:ROW:COLUMN: message`` lines of a refused review file."""
    with pytest.raises(ImportRejected) as refusal:
        import_reviews(session, cycle, path)
    return [str(e) for e in refusal.value.errors]


def sheets(session: Session) -> list[ScoreSheet]:
    """Every stored score sheet."""
    return list(session.scalars(select(ScoreSheet).order_by(ScoreSheet.id)))


def member_id(session: Session, cycle: Cycle, name: str) -> int:
    """The id of a council member of the cycle."""
    return session.scalars(
        select(CouncilMember.id).where(CouncilMember.cycle_id == cycle.id, CouncilMember.name == name)
    ).one()


def sheet_audit(session: Session) -> list[AuditEntry]:
    """Audit entries of score sheets, oldest first."""
    return list(
        session.scalars(select(AuditEntry).where(AuditEntry.entity == "score_sheet").order_by(AuditEntry.id))
    )


def test_council_comes_from_the_configuration(session: Session, cycle: Cycle, config: CycleConfig) -> None:
    """The cycle's council is the five seats of [review] in the configuration, with their units."""
    members = session.scalars(
        select(CouncilMember).where(CouncilMember.cycle_id == cycle.id).order_by(CouncilMember.id)
    ).all()

    assert len(config.review.council) == 5
    assert [(m.name, m.role, m.unit_code, m.email) for m in members] == [
        (seat.name, seat.role, seat.unit_code, seat.email) for seat in config.review.council
    ]
    assert [(m.name, m.unit_code) for m in members] == [
        (CHAIR, "VL-VP"),
        ("Lê Thị Thu Hà", "VL-NV"),
        ("Trần Minh Đức", "VL-NV"),
        (TU_PHAP, "VL-TP"),
        (TAI_CHINH, "VL-TCKH"),
    ]


def test_member_sheet_is_stored_with_the_sum_of_the_criteria(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """A member's sheet is stored with each criterion's points and their total; a member named in
    upper case is still recognised."""
    target = initiative_of(session, "VL-NV")
    path = write_reviews(
        tmp_path / "phieu-cham.csv",
        sheet(target, TU_PHAP, "25", "30.5", "28", comment="Có tính mới, hiệu quả rõ."),
        sheet(target, TAI_CHINH.upper(), "10", "20", "15", approve="không"),
    )

    result = import_reviews(session, proposals, path)

    assert (result.kind, result.stored, result.updated, result.unchanged) == ("reviews", 2, 0, 0)
    lan, bao = sheets(session)
    assert (lan.initiative_id, lan.member_id) == (target, member_id(session, proposals, TU_PHAP))
    assert lan.scores == {"novelty": "25", "applicability": "30.5", "effectiveness": "28"}
    assert lan.total == Decimal("83.5")
    assert (lan.approve, lan.comment) == (True, "Có tính mới, hiệu quả rõ.")
    assert bao.member_id == member_id(session, proposals, TAI_CHINH)
    assert (bao.total, bao.approve) == (Decimal(45), False)
    created = sheet_audit(session)
    assert [(e.action, e.entity_id, e.actor) for e in created] == [
        ("create", lan.id, ACTOR),
        ("create", bao.id, ACTOR),
    ]
    assert created[0].after is not None
    assert Decimal(created[0].after["total"]) == Decimal("83.5")


def test_member_not_on_the_council_is_refused(session: Session, proposals: Cycle, tmp_path: Path) -> None:
    """Only council members score: any other name is refused at the column ``member``."""
    path = write_reviews(
        tmp_path / "ngoai.csv", sheet(initiative_of(session, "VL-NV"), "Nguyễn Văn An", "20", "20", "20")
    )

    assert rejected(session, proposals, path) == [
        "ngoai.csv:2:member: 'Nguyễn Văn An' không phải thành viên Hội đồng sáng kiến của chu kỳ 2024"
    ]
    assert sheets(session) == []


def test_unknown_initiative_id_is_refused(session: Session, proposals: Cycle, tmp_path: Path) -> None:
    """A sheet for an initiative number the cycle does not have is refused at ``initiative_id``."""
    path = write_reviews(tmp_path / "sai-so.csv", sheet(99_999, TU_PHAP, "20", "20", "20"))

    assert rejected(session, proposals, path) == [
        "sai-so.csv:2:initiative_id: không có sáng kiến số 99999 trong chu kỳ 2024"
    ]
    assert sheets(session) == []


def test_member_recuses_from_an_initiative_of_their_own_unit(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """The chair, from the Office (VL-VP), may not score an initiative the Office proposed."""
    own = initiative_of(session, "VL-VP")
    path = write_reviews(tmp_path / "tranh.csv", sheet(own, CHAIR, "25", "30", "30"))

    assert rejected(session, proposals, path) == [
        (
            f"tranh.csv:2:member: {CHAIR} phải tránh chấm sáng kiến số {own} "
            "(sáng kiến của đơn vị mình hoặc do mình là tác giả)"
        )
    ]
    assert sheets(session) == []


def test_member_recuses_from_an_initiative_they_authored(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """A member who co-authored another unit's initiative may not score it."""
    authored = InitiativeIn.model_validate(
        {
            "unit_code": "19363",
            "title": "Phối hợp hướng dẫn hộ tịch trực tuyến tại thị trấn Hồ Xá",
            "solution_type": "operational",
            "field": "procedures",
            "authors": "Lê Thị Mai | Công chức Tư pháp - Hộ tịch | 70; Hoàng Thị Lan | Chuyên viên | 30",
            "solution": "Chuyên viên Phòng Tư pháp hướng dẫn trực tuyến hằng tuần.",
            "effects": "Hồ sơ hộ tịch trả lại giảm một nửa.",
            "replicable": "có",
            "submitted_on": "2024-08-20",
        }
    )
    store_initiatives(session, proposals, [(1, authored)], "biểu mẫu", TODAY, "test")
    target = session.scalars(select(Initiative.id).where(Initiative.title == authored.title)).one()
    path = write_reviews(tmp_path / "tac-gia.csv", sheet(target, TU_PHAP, "25", "30", "30"))

    errors = rejected(session, proposals, path)

    assert len(errors) == 1
    assert errors[0].startswith(f"tac-gia.csv:2:member: {TU_PHAP} phải tránh chấm sáng kiến số {target}")
    assert sheets(session) == []


@pytest.mark.parametrize(
    ("scores", "column", "message"),
    [
        (("31", "30", "30"), "novelty", "điểm 31 vượt mức tối đa 30"),
        (("25", "36", "30"), "applicability", "điểm 36 vượt mức tối đa 35"),
        (("25", "30", "35.5"), "effectiveness", "điểm 35.5 vượt mức tối đa 35"),
    ],
)
def test_score_above_the_criterion_maximum_is_refused_naming_the_column(
    session: Session,
    proposals: Cycle,
    tmp_path: Path,
    scores: tuple[str, str, str],
    column: str,
    message: str,
) -> None:
    """Each criterion is capped at its configured maximum (novelty 30, the others 35)."""
    path = write_reviews(tmp_path / "qua-diem.csv", sheet(initiative_of(session, "VL-NV"), TU_PHAP, *scores))

    assert rejected(session, proposals, path) == [f"qua-diem.csv:2:{column}: {message}"]
    assert sheets(session) == []


def test_approval_with_a_total_under_50_is_refused(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """A member may approve only from a total of 50: 45 with approve=yes is refused at ``approve``."""
    path = write_reviews(
        tmp_path / "duoi-nguong.csv", sheet(initiative_of(session, "VL-NV"), TU_PHAP, "10", "20", "15")
    )

    assert rejected(session, proposals, path) == [
        "duoi-nguong.csv:2:approve: tổng điểm 45 dưới ngưỡng 50; không thể đồng ý công nhận"
    ]
    assert sheets(session) == []


def test_approval_at_exactly_50_and_refusal_under_50_are_accepted(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """The threshold is inclusive (50 may approve), and a low total without approval is a valid sheet."""
    target = initiative_of(session, "VL-NV")
    path = write_reviews(
        tmp_path / "nguong.csv",
        sheet(target, TU_PHAP, "10", "20", "20"),
        sheet(target, TAI_CHINH, "10", "20", "15", approve="no"),
    )

    assert import_reviews(session, proposals, path).stored == 2
    assert [(s.total, s.approve) for s in sheets(session)] == [(Decimal(50), True), (Decimal(45), False)]


def test_approval_with_no_novelty_is_refused(session: Session, proposals: Cycle, tmp_path: Path) -> None:
    """A member approves only when novelty is above 0 (configuration: approve_requires_positive =
    "novelty"), even with a total of 70."""
    path = write_reviews(
        tmp_path / "khong-moi.csv", sheet(initiative_of(session, "VL-NV"), TU_PHAP, "0", "35", "35")
    )

    with pytest.raises(ImportRejected) as refusal:
        import_reviews(session, proposals, path)

    assert [(e.row, e.column) for e in refusal.value.errors] == [(2, "approve")]
    assert sheets(session) == []


def test_second_sheet_for_the_same_pair_replaces_the_first_and_is_audited(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """A member's new sheet for an initiative replaces their old one (still one row) and the audit
    log keeps the before and after totals."""
    target = initiative_of(session, "VL-NV")
    import_reviews(
        session, proposals, write_reviews(tmp_path / "lan-1.csv", sheet(target, TU_PHAP, "20", "20", "20"))
    )
    [first] = sheets(session)
    session.expire_all()  # the second file comes in a later run

    result = import_reviews(
        session,
        proposals,
        write_reviews(
            tmp_path / "lan-2.csv", sheet(target, TU_PHAP, "25", "30", "30", comment="Đã bổ sung số liệu.")
        ),
    )

    assert (result.stored, result.updated, result.unchanged) == (0, 1, 0)
    [replaced] = sheets(session)
    assert replaced.id == first.id
    assert (replaced.total, replaced.comment) == (Decimal(85), "Đã bổ sung số liệu.")
    assert replaced.scores == {"novelty": "25", "applicability": "30", "effectiveness": "30"}
    entries = sheet_audit(session)
    assert [e.action for e in entries] == ["create", "replace"]
    replace = entries[1]
    assert (replace.entity_id, replace.actor) == (first.id, ACTOR)
    assert replace.before is not None
    assert replace.after is not None
    assert Decimal(replace.before["total"]) == Decimal(60)
    assert Decimal(replace.after["total"]) == Decimal(85)
    assert replace.before["scores"] == {"novelty": "20", "applicability": "20", "effectiveness": "20"}


def test_identical_sheet_imported_again_changes_nothing(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """The same file imported again counts the sheet unchanged and writes no audit entry."""
    path = write_reviews(
        tmp_path / "phieu.csv", sheet(initiative_of(session, "VL-NV"), TU_PHAP, "20", "25.5", "20")
    )
    import_reviews(session, proposals, path)
    audited = len(sheet_audit(session))
    session.expire_all()  # the second import comes in a later run

    result = import_reviews(session, proposals, path)

    assert (result.stored, result.updated, result.unchanged) == (0, 0, 1)
    [stored] = sheets(session)
    assert stored.total == Decimal("65.5")
    assert len(sheet_audit(session)) == audited == 1


def test_two_sheets_for_the_same_pair_in_one_file_are_refused(
    session: Session, proposals: Cycle, tmp_path: Path
) -> None:
    """One file may hold one sheet per member and initiative: the second is refused naming the first,
    even with the member's name spelled in upper case; nothing is stored."""
    target = initiative_of(session, "VL-NV")
    path = write_reviews(
        tmp_path / "trung.csv",
        sheet(target, TU_PHAP, "20", "20", "20"),
        sheet(initiative_of(session, "VL-TCKH"), TU_PHAP, "20", "20", "20"),
        sheet(target, TU_PHAP.upper(), "25", "25", "25"),
    )

    assert rejected(session, proposals, path) == [
        "trung.csv:4:member: phiếu chấm trùng với dòng 2 (cùng thành viên, cùng sáng kiến)"
    ]
    assert sheets(session) == []
    assert (
        session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "score_sheet"))
        == 0
    )
