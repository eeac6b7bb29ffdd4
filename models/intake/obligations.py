"""Obligations: what every unit owes the cycle, each described once.

An obligation has a code (the key of its deadline in the cycle file, ``[deadlines] propose =``),
its Vietnamese words for every place that names it, the unit kinds that owe it, the kind of
submission that fulfils it and the query that says when a unit did. Compliance, the sweep,
extensions, scoring, exports, the status table, the year's report, the call for proposals and its
workbooks all iterate ``OBLIGATIONS``: a province that asks for one more report adds one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Select, func, select
from sqlalchemy.orm import DeclarativeBase

from models.cycle import ReplicatedInitiative, Unit
from models.intake.kinds import SubmissionKind, submission_kind
from models.intake.replication import REPLICATION
from models.intake.submissions import INITIATIVES, REPORTS
from models.registry import Registry
from models.text import parse_code

if TYPE_CHECKING:
    from models.cycle import CycleConfig, TaskCompletionPoints

# (cycle id, as of) -> rows of (unit id, the day the unit fulfilled the obligation).
DoneQuery = Callable[[int, date], Select[tuple[int, date]]]


@dataclass(frozen=True, slots=True)
class Labels:
    """How the obligation is named, wherever it is named."""

    table: str  # "Đề xuất sáng kiến": column titles, tables, score lines
    column: str  # "đề xuất": the short word after a column title ("Số ngày trễ (đề xuất)")
    notice: str  # "đề xuất sáng kiến": in notice subjects and sentences
    long: str  # the obligation stated in full; ``{year}`` is the cycle's year
    receipt: str  # what a receipt acknowledges: "đề xuất sáng kiến"
    aliases: tuple[str, ...] = ()  # words an officer may type for it, the first shown in choices


def first_submitted(table: type[DeclarativeBase]) -> DoneQuery:
    """Done on the day of the unit's first submission to ``table`` (columns cycle_id, unit_id,
    submitted_on), counting only submissions dated on or before the day asked."""
    columns = table.__table__.c

    def query(cycle_id: int, as_of: date) -> Select[tuple[int, date]]:
        return (
            select(columns.unit_id, func.min(columns.submitted_on))
            .where(columns.cycle_id == cycle_id, columns.submitted_on <= as_of)
            .group_by(columns.unit_id)
        )

    return query


def _every_item_reported(cycle_id: int, as_of: date) -> Select[tuple[int, date]]:
    """Done on the day the last item of the catalogue that applies to the unit's kind was
    answered (applied, or "chưa áp dụng" with a reason); a partial report is not."""
    report = REPLICATION.table.__table__.c
    applies = ReplicatedInitiative.unit_kinds.contains(" " + Unit.kind + " ")
    catalogue = (
        select(func.count(ReplicatedInitiative.id))
        .where(ReplicatedInitiative.cycle_id == cycle_id, applies)
        .correlate(Unit)
        .scalar_subquery()
    )
    return (
        select(report.unit_id, func.max(report.submitted_on))
        .join(Unit, Unit.id == report.unit_id)
        .join(ReplicatedInitiative, ReplicatedInitiative.id == report.replicated_id)
        .where(report.cycle_id == cycle_id, report.submitted_on <= as_of, applies)
        .group_by(report.unit_id, Unit.kind)
        .having(func.count(func.distinct(report.replicated_id)) >= catalogue)
    )


def _always(_config: CycleConfig) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Obligation:
    """One obligation of the cycle."""

    code: str
    labels: Labels
    submission: str  # the code of the submission kind that fulfils it
    done: DoneQuery
    owed_by: frozenset[str] | None = None  # unit kinds that owe it; None: every unit
    # The unit kinds that owe it in a cycle, when its file says (replaces ``owed_by`` there).
    owed_in: Callable[[CycleConfig], frozenset[str]] | None = None
    applies: Callable[[CycleConfig], bool] = _always  # whether a cycle asks for it at all
    call_item: str = ""  # the template of its item in the call for proposals
    # The task-completion points (on time, late) from the scoring configuration, if it scores.
    task_points: Callable[[TaskCompletionPoints], tuple[Decimal, Decimal] | None] | None = None

    @property
    def deadline_key(self) -> str:
        """The key of its deadline under ``[deadlines]`` in the cycle file."""
        return self.code

    @property
    def kind(self) -> SubmissionKind:
        """The submission kind that fulfils it (its schema, columns and table)."""
        return submission_kind(self.submission)

    def owed(self, unit_kind: str, config: CycleConfig) -> bool:
        """Whether a unit of ``unit_kind`` owes it in a cycle of ``config``."""
        kinds = self.owed_in(config) if self.owed_in is not None else self.owed_by
        return (kinds is None or unit_kind in kinds) and self.applies(config)

    def long(self, year: int) -> str:
        """The obligation stated in full for the cycle of ``year``."""
        return self.labels.long.format(year=year)


def _generic_points(code: str) -> Callable[[TaskCompletionPoints], tuple[Decimal, Decimal] | None]:
    """Points a cycle file gives an added obligation: ``[scoring.task_completion.obligations]``."""

    def points(config: TaskCompletionPoints) -> tuple[Decimal, Decimal] | None:
        found = config.obligations.get(code)
        return (found.on_time, found.late) if found else None

    return points


PROPOSE = Obligation(
    code="propose",
    labels=Labels(
        table="Đề xuất sáng kiến",
        column="đề xuất",
        notice="đề xuất sáng kiến",
        long="đề xuất ít nhất một sáng kiến cải cách hành chính được áp dụng trong năm {year}",
        receipt="đề xuất sáng kiến",
        aliases=("đề xuất sáng kiến", "đề xuất"),
    ),
    submission=INITIATIVES.code,
    done=first_submitted(INITIATIVES.table),
    call_item="call/propose",
    task_points=lambda points: (points.proposed_on_time, points.proposed_late),
)
REPORT = Obligation(
    code="report",
    labels=Labels(
        table="Báo cáo kết quả",
        column="báo cáo",
        notice="báo cáo kết quả áp dụng sáng kiến",
        long="báo cáo kết quả xây dựng và triển khai áp dụng các sáng kiến năm {year}",
        receipt="báo cáo kết quả áp dụng sáng kiến",
        aliases=("báo cáo kết quả", "báo cáo"),
    ),
    submission=REPORTS.code,
    done=first_submitted(REPORTS.table),
    call_item="call/report",
    task_points=lambda points: (points.report_on_time, points.report_late),
)
REPLICATE = Obligation(
    code="replication",
    labels=Labels(
        table="Báo cáo nhân rộng",
        column="nhân rộng",
        notice="báo cáo kết quả nhân rộng sáng kiến",
        long="báo cáo kết quả áp dụng các sáng kiến được chọn nhân rộng năm {year}",
        receipt="báo cáo kết quả áp dụng sáng kiến nhân rộng",
        aliases=("báo cáo nhân rộng", "nhân rộng"),
    ),
    submission=REPLICATION.code,
    done=_every_item_reported,
    owed_by=frozenset({"office", "commune"}),
    # Whoever a catalogue item applies to (``[[replicated]] unit_kinds``, default the two above).
    owed_in=lambda config: frozenset(kind for item in config.replicated for kind in item.unit_kinds),
    applies=lambda config: bool(config.replicated),
    call_item="call/replication",
)

OBLIGATIONS: Registry[Obligation] = Registry("obligation", (PROPOSE, REPORT, REPLICATE))


def scoring_points(ob: Obligation) -> Callable[[TaskCompletionPoints], tuple[Decimal, Decimal] | None]:
    """How ``ob`` scores: its own rule, or the cycle file's points for an added obligation."""
    return ob.task_points or _generic_points(ob.code)


def parse_obligation(value: object) -> str:
    """An obligation given by its code or one of its words (any case, diacritics or not)."""
    words = {code: "|".join(ob.labels.aliases or (ob.labels.notice,)) for code, ob in OBLIGATIONS.items()}
    return parse_code(value, words, "nghĩa vụ")
