"""The cycle configuration: the bundled file loads, and a wrong file is refused by name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from models.cycle import load_cycle_config
from models.errors import InvalidInput
from tests.conftest import VINH_LINH


def test_bundled_vinh_linh_configuration_holds_the_directive_facts() -> None:
    """Deadlines, the council, the five replicated initiatives and the seed's legal bases."""
    config = load_cycle_config(VINH_LINH)
    assert config.year == 2024
    assert config.deadlines["propose"] == date(2024, 8, 31)
    assert config.deadlines["report"] == date(2024, 10, 22)
    assert config.deadlines.inclusive is True
    assert [r.code for r in config.replicated] == ["NR01", "NR02", "NR03", "NR04", "NR05"]
    assert len(config.review.council) == 5
    assert sum((c.max_points for c in config.review.criteria), Decimal(0)) == 100
    assert any("416/UBND-NV" in basis for basis in config.legal_bases)
    assert config.roster == VINH_LINH.parent / "vinh-linh-2024" / "units.csv"
    assert config.roster.exists()


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = VINH_LINH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "cycle.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "named"),
    [
        ("[signers.decision]", "[signers.other]", "signers.decision"),
        ("[signers.letter]", "[signers.other]", "thiếu signers.letter"),
        ("[numbering]\n", "[numbering_typo]\n", "numbering"),
        ("propose = 2024-08-31", "propose = 2023-08-31", "deadlines.propose trước ngày mở chu kỳ"),
        ("year = 2024", 'year = "hai nghìn"', "year"),
        ('code = "NR02"', 'code = "NR01"', "replicated"),
        ("inclusive = true", "inclusive = true\nunknown_key = 1", "deadlines.unknown_key"),
    ],
)
def test_a_wrong_configuration_is_refused_naming_the_key(
    tmp_path: Path, old: str, new: str, named: str
) -> None:
    """A missing signer or numbering, a bad date, a typo: refused at load with the key named."""
    path = _variant(tmp_path, old, new)
    with pytest.raises(InvalidInput) as caught:
        load_cycle_config(path)
    assert str(path) in str(caught.value)
    assert named in str(caught.value)


def test_missing_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    """No file, or a file that is not TOML: a message naming the file."""
    with pytest.raises(InvalidInput, match="không có tệp này"):
        load_cycle_config(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"year = \xff\xfe")
    with pytest.raises(InvalidInput, match="không phải tệp TOML UTF-8"):
        load_cycle_config(broken)
