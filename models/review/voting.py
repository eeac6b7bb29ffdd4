"""The council's voting rule: who counts, how many must agree, and when the council may decide.

A rule is the cycle file's (``[review]``): the threshold as a fraction, compared strictly ("trên
1/2") or not ("từ 2/3 trở lên"), against a denominator (every member of the council, the members
who did not recuse from the initiative, or the members present, i.e. who sent a sheet on it), and
a quorum: the share of the non-recused members whose sheets must be in before the council decides.
Without a quorum the council decides once every non-recused member has scored, or earlier when
the approvals already reach the threshold of a denominator that cannot shrink.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from models.cycle.config import Review

Comparison = Literal["at_least", "more_than"]
Base = Literal["eligible", "present", "all"]

_BASE_WORDS = {
    "eligible": "số thành viên Hội đồng chấm sáng kiến (không kể thành viên không chấm do liên quan)",
    "present": "số thành viên Hội đồng đã chấm điểm sáng kiến",
    "all": "tổng số thành viên Hội đồng",
}


@dataclass(frozen=True, slots=True)
class VotingRule:
    """The threshold, its comparison, its denominator and the quorum (None: every member)."""

    threshold: Fraction = Fraction(2, 3)
    comparison: Comparison = "at_least"
    base: Base = "eligible"
    quorum: Fraction | None = None

    def passes(self, approvals: int, base: int) -> bool:
        """Whether ``approvals`` out of ``base`` meet the threshold (exact, no rounding)."""
        if base <= 0:
            return False
        share = Fraction(approvals, base)
        return share > self.threshold if self.comparison == "more_than" else share >= self.threshold

    def needed(self, eligible: int) -> int:
        """How many sheets the quorum asks for, out of ``eligible`` non-recused members."""
        if self.quorum is None:
            return eligible
        return min(eligible, max(1, math.ceil(self.quorum * eligible)))

    def outcome(self, approvals: int, sheets: int, eligible: int, council: int) -> str:
        """recognized, not_recognized or pending for one initiative."""
        base = {"eligible": eligible, "present": sheets, "all": council}[self.base]
        if eligible == 0:
            return "not_recognized"  # every member recused: the council cannot recommend it
        if sheets >= self.needed(eligible):
            return "recognized" if self.passes(approvals, base) else "not_recognized"
        # Early only where more sheets cannot lower the share: a fixed denominator, no quorum.
        if self.quorum is None and self.base != "present" and self.passes(approvals, base):
            return "recognized"
        return "pending"

    def wording(self) -> str:
        """The rule as the minutes state it: "từ 2/3 trở lên số thành viên … đồng ý"."""
        share = f"{self.threshold.numerator}/{self.threshold.denominator}"
        amount = f"trên {share}" if self.comparison == "more_than" else f"từ {share} trở lên"
        text = f"có {amount} {_BASE_WORDS[self.base]} đồng ý"
        if self.quorum is not None:
            quorum = f"{self.quorum.numerator}/{self.quorum.denominator}"
            text += f", khi có ít nhất {quorum} số thành viên không phải tránh đã chấm điểm"
        return text


def voting_rule(review: Review) -> VotingRule:
    """The rule of the cycle file's ``[review]``."""
    return VotingRule(
        review.recognize_fraction, review.recognize_comparison, review.recognize_base, review.quorum
    )
