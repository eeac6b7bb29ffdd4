"""A council member's score sheet: pre-filled per member, filled as the member would, imported back."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.cycle import CouncilMember, Cycle, Unit
from models.imports import import_file
from models.intake import Initiative
from models.review import ScoreSheet, assignments
from notifications.sheets.workbooks import review_workbook
from tests.conftest import TODAY, VINH_LINH_DATA


def test_each_member_gets_their_own_sheet_and_a_filled_one_imports_as_their_scores(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """One row per initiative the member may score (recusal applied); filled rows become sheets."""
    import_file(session, cycle, VINH_LINH_DATA / "initiatives.csv", "initiatives", today=TODAY, actor="test")
    member = session.scalars(select(CouncilMember).where(CouncilMember.role == "Ủy viên")).first()
    assert member is not None
    mine = sorted(i for i, members in assignments(session, cycle).items() if member.id in members)
    titles = dict(session.execute(select(Initiative.id, Initiative.title)).tuples().all())
    own_unit = session.scalars(
        select(Initiative.id).join(Unit, Unit.id == Initiative.unit_id).where(Unit.code == member.unit_code)
    ).all()
    assert own_unit
    assert mine
    assert not set(own_unit) & set(mine)  # recusal: the member's own unit's initiatives are left out
    book = load_workbook(io.BytesIO(review_workbook(member.name, [(i, titles[i]) for i in mine])))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Mã sáng kiến", "Thành viên hội đồng"]
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.iter_rows(min_row=2, max_row=len(mine) + 1, values_only=True))
    assert [(int(str(r[0])), r[1]) for r in rows] == [(i, member.name) for i in mine]
    column = {label: n for n, label in enumerate(header, start=1)}
    for row in (2, 3):
        sheet.cell(row=row, column=column["Điểm tính mới"], value=20)
        sheet.cell(row=row, column=column["Điểm khả năng áp dụng, nhân rộng"], value=25)
        sheet.cell(row=row, column=column["Điểm hiệu quả"], value=30)
        sheet.cell(row=row, column=column["Đồng ý công nhận"], value="có")
    path = tmp_path / "phieu-cham.xlsx"
    book.save(path)
    result = import_file(session, cycle, path, "reviews", today=TODAY, actor="test")
    assert result.stored == 2
    stored = session.execute(select(ScoreSheet.initiative_id, ScoreSheet.member_id, ScoreSheet.total)).all()
    assert sorted((i, m, int(t)) for i, m, t in stored) == [
        (mine[0], member.id, 75),
        (mine[1], member.id, 75),
    ]
