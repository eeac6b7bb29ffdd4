"""A flow names its ``authority`` parameter when two authorities share the year."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from flows.deadline_sweep import deadline_sweep
from flows.open_cycle import open_cycle
from models.errors import InvalidInput
from tests.conftest import VINH_LINH
from tests.deployments.test_authorities import second_authority
from tests.flows.conftest import World


def test_a_flow_asks_for_authority_by_its_parameter(world: World, tmp_path: Path) -> None:
    """The sweep names its ``authority`` parameter when two authorities share the year."""
    open_cycle(str(VINH_LINH))
    open_cycle(str(second_authority(tmp_path)))
    with pytest.raises(InvalidInput, match=r"hãy ghi tham số authority \(mã cơ quan\) là mã cơ quan"):
        deadline_sweep(2024, date(2024, 8, 28))
    swept = deadline_sweep(2024, date(2024, 8, 28), authority="TEST")
    assert swept.planned == {"reminder": 34}
