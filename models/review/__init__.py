"""The council's part: score sheets with recusal, the tally, requests to a unit for more
information, the chair's decision, and the simulated council of a replayed year.
"""

from models.review.information import answer, ask
from models.review.recognition import Approval, existing_decision, record_decision
from models.review.sheets import REVIEW_COLUMNS, store_reviews
from models.review.simulation import council_sheets
from models.review.tables import Decision, InformationRequest, ScoreSheet
from models.review.tally import OUTCOME_LABELS, Assignment, Tally, assignments, by_member, tally
from models.review.voting import VotingRule, voting_rule

__all__ = [
    "OUTCOME_LABELS",
    "REVIEW_COLUMNS",
    "Approval",
    "Assignment",
    "Decision",
    "InformationRequest",
    "ScoreSheet",
    "Tally",
    "VotingRule",
    "answer",
    "ask",
    "assignments",
    "by_member",
    "council_sheets",
    "existing_decision",
    "record_decision",
    "store_reviews",
    "tally",
    "voting_rule",
]
