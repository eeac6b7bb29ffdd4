"""What the year comes to: folded score lines with their reasons, and the records and
tables of the exports.
"""

from models.reporting.exports import (
    KIND_SHORT,
    STATE_LABELS,
    compact_state,
    compliance_records,
    compliance_table,
    deadline_lines,
    initiative_records,
    initiative_table,
    label,
    score_records,
    year_summary,
)
from models.reporting.scoring import Line, compute_lines, criterion_label, store_lines
from models.reporting.tables import ScoreLine

__all__ = [
    "KIND_SHORT",
    "STATE_LABELS",
    "Line",
    "ScoreLine",
    "compact_state",
    "compliance_records",
    "compliance_table",
    "compute_lines",
    "criterion_label",
    "deadline_lines",
    "initiative_records",
    "initiative_table",
    "label",
    "score_records",
    "store_lines",
    "year_summary",
]
