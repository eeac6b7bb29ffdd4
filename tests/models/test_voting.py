"""The council's voting rule over its variants, on small councils where some members recuse.

Each example is a council of up to nine members, some recused from the initiative, some of the
rest having sent a sheet (approving or not). The rule's outcome is checked against the rule as an
officer states it, in integer arithmetic (no fractions, no rounding).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.cycle import CycleConfig
from models.review.voting import VotingRule, voting_rule


@dataclass(frozen=True)
class Council:
    """Per member: recused, or the sheet sent (True approves, False refuses, None: not yet)."""

    seats: tuple[str, ...]  # "recused", "yes", "no", "missing"

    @property
    def eligible(self) -> int:
        return sum(1 for s in self.seats if s != "recused")

    @property
    def sheets(self) -> int:
        return sum(1 for s in self.seats if s in ("yes", "no"))

    @property
    def approvals(self) -> int:
        return self.seats.count("yes")


councils = st.builds(
    Council, st.lists(st.sampled_from(["recused", "yes", "no", "missing"]), min_size=1, max_size=9).map(tuple)
)
shares = st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(3, 4), Fraction(1, 1), Fraction(3, 5)])
rules = st.builds(
    VotingRule,
    shares,
    st.sampled_from(["at_least", "more_than"]),
    st.sampled_from(["eligible", "present", "all"]),
    st.one_of(st.none(), shares),
)


def meets(approvals: int, base: int, rule: VotingRule) -> bool:
    """approvals/base against p/q, cross-multiplied."""
    p, q = rule.threshold.numerator, rule.threshold.denominator
    if base == 0:
        return False
    return approvals * q > p * base if rule.comparison == "more_than" else approvals * q >= p * base


def expected(council: Council, rule: VotingRule) -> str:
    base = {"eligible": council.eligible, "present": council.sheets, "all": len(council.seats)}[rule.base]
    if council.eligible == 0:
        return "not_recognized"
    needed = council.eligible
    if rule.quorum is not None:  # ceil(quorum x eligible), at least one sheet
        p, q = rule.quorum.numerator, rule.quorum.denominator
        needed = min(council.eligible, max(1, -(-p * council.eligible // q)))
    if council.sheets >= needed:
        return "recognized" if meets(council.approvals, base, rule) else "not_recognized"
    if rule.quorum is None and rule.base != "present" and meets(council.approvals, base, rule):
        return "recognized"
    return "pending"


def outcome(council: Council, rule: VotingRule) -> str:
    return rule.outcome(council.approvals, council.sheets, council.eligible, len(council.seats))


@given(councils, rules)
def test_the_outcome_is_the_rule_as_stated(council: Council, rule: VotingRule) -> None:
    """Recognized exactly when the approvals reach the threshold of the chosen denominator, once
    the quorum has scored; pending before that (unless a fixed denominator is reached early)."""
    assert outcome(council, rule) == expected(council, rule)


@given(councils, rules)
def test_more_than_never_recognizes_what_at_least_refuses(council: Council, rule: VotingRule) -> None:
    """'trên 2/3' is stricter than 'từ 2/3 trở lên' on the same council."""
    strict = VotingRule(rule.threshold, "more_than", rule.base, rule.quorum)
    loose = VotingRule(rule.threshold, "at_least", rule.base, rule.quorum)
    if outcome(council, strict) == "recognized":
        assert outcome(council, loose) == "recognized"


@given(councils, rules)
def test_counting_recused_members_never_helps(council: Council, rule: VotingRule) -> None:
    """Out of all members (recused ones counting as not agreeing) is never easier than out of the
    members who did not recuse."""
    of_all = VotingRule(rule.threshold, rule.comparison, "all", rule.quorum)
    of_eligible = VotingRule(rule.threshold, rule.comparison, "eligible", rule.quorum)
    if outcome(council, of_all) == "recognized":
        assert outcome(council, of_eligible) == "recognized"


@given(councils, rules)
def test_a_recused_member_is_never_counted_as_present(council: Council, rule: VotingRule) -> None:
    """Adding a recused member changes nothing unless the denominator is the whole council."""
    larger = Council((*council.seats, "recused"))
    if rule.base != "all":
        assert outcome(larger, rule) == outcome(council, rule)


@given(councils, rules)
def test_one_more_approval_never_turns_a_recommendation_into_a_refusal(
    council: Council, rule: VotingRule
) -> None:
    """A member who had not scored now approves: a recommended initiative stays recommended."""
    if "missing" not in council.seats or rule.base == "present":
        return  # 'present' grows its denominator with the sheet; covered by the stated rule above
    i = council.seats.index("missing")
    more = Council((*council.seats[:i], "yes", *council.seats[i + 1 :]))
    if outcome(council, rule) == "recognized":
        assert outcome(more, rule) == "recognized"


@pytest.mark.parametrize(
    ("rule", "approvals", "sheets", "eligible", "council", "result"),
    [
        (
            VotingRule(Fraction(1, 2), "more_than", "eligible"),
            2,
            4,
            4,
            5,
            "not_recognized",
        ),  # half is not more
        (VotingRule(Fraction(1, 2), "at_least", "eligible"), 2, 4, 4, 5, "recognized"),
        (VotingRule(Fraction(2, 3), "at_least", "eligible"), 2, 2, 3, 5, "recognized"),  # early, 2 of 3
        (VotingRule(Fraction(2, 3), "at_least", "all"), 2, 3, 3, 5, "not_recognized"),  # 2 of 5
        (VotingRule(Fraction(2, 3), "at_least", "present", Fraction(1, 2)), 2, 3, 4, 5, "recognized"),
        (
            VotingRule(Fraction(2, 3), "at_least", "present", Fraction(1, 2)),
            1,
            1,
            4,
            5,
            "pending",
        ),  # no quorum
    ],
)
def test_the_usual_variants_on_a_council_of_five(
    rule: VotingRule, approvals: int, sheets: int, eligible: int, council: int, result: str
) -> None:
    """Worked examples an officer can check by hand."""
    assert rule.outcome(approvals, sheets, eligible, council) == result


def test_a_cycle_file_with_only_recognize_fraction_keeps_the_old_rule(config: CycleConfig) -> None:
    """A file written before the rule was configurable (``recognize_fraction = "2/3"`` only): from
    2/3 of the non-recused members, no quorum, as before."""
    raw = config.model_dump(mode="json", exclude_defaults=True)
    for key in ("recognize_comparison", "recognize_base", "quorum"):
        raw["review"].pop(key, None)
    raw["review"]["recognize_fraction"] = "2/3"
    assert voting_rule(CycleConfig.model_validate(raw).review) == VotingRule(
        Fraction(2, 3), "at_least", "eligible", None
    )


def test_a_cycle_file_names_each_part_of_the_rule(config: CycleConfig) -> None:
    """ "trên 1/2" of the members present, with a quorum of 2/3, read from the file's words."""
    raw = config.model_dump(mode="json")
    raw["review"] |= {
        "recognize_fraction": "1/2",
        "recognize_comparison": "more_than",
        "recognize_base": "present",
        "quorum": "2/3",
    }
    parsed = CycleConfig.model_validate(raw)
    assert voting_rule(parsed.review) == VotingRule(Fraction(1, 2), "more_than", "present", Fraction(2, 3))
    assert "trên 1/2 số thành viên Hội đồng đã chấm điểm" in voting_rule(parsed.review).wording()


def test_a_wrong_comparison_is_refused_naming_the_choices(config: CycleConfig) -> None:
    """A typo in the comparison is named with its allowed values."""
    raw = config.model_dump(mode="json")
    raw["review"]["recognize_comparison"] = "over"
    with pytest.raises(ValueError, match="at_least"):
        CycleConfig.model_validate(raw)
