"""What units send: the obligations they owe and the kinds of submission that fulfil them
(registries), reading import files, the schemas that check each row, storing all or nothing.
"""

from models.intake.checks import Checked, IntakeResult
from models.intake.containers import UnsafeWorkbook, WorkbookIdentity, check_xlsx, workbook_identity
from models.intake.kinds import SUBMISSIONS, SubmissionKind, Workbook
from models.intake.obligations import (
    OBLIGATIONS,
    Labels,
    Obligation,
    first_submitted,
    parse_obligation,
    scoring_points,
)
from models.intake.reading import (
    PREFILLED,
    SUFFIXES,
    SourceRow,
    header_fits,
    iter_rows,
    read_data,
    read_header,
    read_rows,
)
from models.intake.replication import REPLICATION
from models.intake.schemas import (
    FIELD_LABELS,
    SOLUTION_TYPE_LABELS,
    Code,
    Day,
    Flag,
    InitiativeIn,
    Line,
    Para,
    ReplicationIn,
    ReportIn,
    RequiredPara,
    ReviewIn,
    UnitIn,
)
from models.intake.store import store_submissions
from models.intake.submissions import INITIATIVES, REPORTS
from models.intake.tables import Initiative, InitiativeAuthor, ReplicationReport, ResultReport
from models.intake.units import UNIT_COLUMNS, upsert_units
from models.intake.validation import json_kinds, parse_rows, required_columns

__all__ = [
    "FIELD_LABELS",
    "INITIATIVES",
    "OBLIGATIONS",
    "PREFILLED",
    "REPLICATION",
    "REPORTS",
    "SOLUTION_TYPE_LABELS",
    "SUBMISSIONS",
    "SUFFIXES",
    "UNIT_COLUMNS",
    "Checked",
    "Code",
    "Day",
    "Flag",
    "Initiative",
    "InitiativeAuthor",
    "InitiativeIn",
    "IntakeResult",
    "Labels",
    "Line",
    "Obligation",
    "Para",
    "ReplicationIn",
    "ReplicationReport",
    "ReportIn",
    "RequiredPara",
    "ResultReport",
    "ReviewIn",
    "SourceRow",
    "SubmissionKind",
    "UnitIn",
    "UnsafeWorkbook",
    "Workbook",
    "WorkbookIdentity",
    "check_xlsx",
    "first_submitted",
    "header_fits",
    "iter_rows",
    "json_kinds",
    "parse_obligation",
    "parse_rows",
    "read_data",
    "read_header",
    "read_rows",
    "required_columns",
    "scoring_points",
    "store_submissions",
    "upsert_units",
    "workbook_identity",
]
