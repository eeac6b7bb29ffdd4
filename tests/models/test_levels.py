"""The authority's level and the cycle's dates give its titles and names; the file overrides them."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.cycle import home_affairs_head, load_cycle_config
from models.errors import InvalidInput
from tests.conftest import VINH_LINH

LEVEL_LINE = 'level = "district"'


def _with(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = VINH_LINH.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "cycle.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _moved_to(year: int) -> list[tuple[str, str]]:
    """The bundled file's dates moved to ``year`` (opening 15/01)."""
    return [
        (f"{d}2024-", f"{d}{year}-") for d in ("opens_on = ", "propose = ", "report = ", "replication = ")
    ] + [("new_deadline = 2024-", f"new_deadline = {year}-")]


def test_a_district_before_the_reform_keeps_the_seed_words() -> None:
    """Vĩnh Linh 2024: Phòng Nội vụ and its Trưởng phòng, Văn phòng HĐND và UBND, Bộ phận Một cửa,
    "xã, thị trấn", CCHC-index lines for the communes only."""
    authority = load_cycle_config(VINH_LINH).authority
    assert (authority.home_affairs, home_affairs_head(authority)) == ("Phòng Nội vụ", "Trưởng phòng Nội vụ")
    assert (authority.committee_office, authority.one_stop_shop) == (
        "Văn phòng HĐND và UBND",
        "Bộ phận Một cửa",
    )
    assert authority.commune_kinds == "xã, thị trấn"
    assert load_cycle_config(VINH_LINH).scoring.cchc_index.unit_kinds == ("commune",)


@pytest.mark.parametrize(
    ("year", "shop", "kinds"),
    [
        (2026, "Trung tâm Phục vụ hành chính công", "xã, phường, đặc khu"),
        (2025, "Bộ phận Một cửa", "xã, phường, thị trấn"),
    ],
)
def test_a_province_before_and_after_the_reform(tmp_path: Path, year: int, shop: str, kinds: str) -> None:
    """A province is run by the Sở Nội vụ under its Giám đốc, with the Văn phòng UBND tỉnh; a cycle
    opening after 01/07/2025 has Trung tâm Phục vụ hành chính công and no thị trấn (15/01/2025
    is before the reform); departments get CCHC-index lines too."""
    changes = [(LEVEL_LINE, 'level = "province"')]
    if year != 2024:
        changes += _moved_to(year)
    config = load_cycle_config(_with(tmp_path, *changes))
    authority = config.authority
    assert (authority.home_affairs, home_affairs_head(authority)) == ("Sở Nội vụ", "Giám đốc Sở Nội vụ")
    assert authority.committee_office == "Văn phòng UBND tỉnh"
    assert (authority.one_stop_shop, authority.commune_kinds) == (shop, kinds)
    assert config.scoring.cchc_index.unit_kinds == ("agency", "commune")


def test_a_commune_after_the_reform(tmp_path: Path) -> None:
    """A new commune's Home Affairs work is its Phòng Văn hóa - Xã hội's (Circular 10/2025/TT-BNV)."""
    config = load_cycle_config(_with(tmp_path, (LEVEL_LINE, 'level = "commune"'), *_moved_to(2026)))
    assert home_affairs_head(config.authority) == "Trưởng phòng Văn hóa - Xã hội"
    assert config.authority.committee_office == "Văn phòng HĐND và UBND"
    assert config.scoring.cchc_index.unit_kinds == ()


def test_the_file_overrides_the_defaults(tmp_path: Path) -> None:
    """An office of its own name gives its head's title; a title given is kept as given."""
    named = _with(tmp_path, (LEVEL_LINE, f'{LEVEL_LINE}\nhome_affairs = "Sở Nội vụ và Lao động"'))
    assert home_affairs_head(load_cycle_config(named).authority) == "Giám đốc Sở Nội vụ và Lao động"
    titled = _with(
        tmp_path,
        (
            LEVEL_LINE,
            (
                f'{LEVEL_LINE}\nhome_affairs_head = "Phó Trưởng phòng Nội vụ phụ trách"'
                '\none_stop_shop = "Bộ phận TN&TKQ"'
            ),
        ),
    )
    authority = load_cycle_config(titled).authority
    assert (home_affairs_head(authority), authority.one_stop_shop) == (
        "Phó Trưởng phòng Nội vụ phụ trách",
        "Bộ phận TN&TKQ",
    )


def test_an_unknown_level_is_refused_naming_the_key(tmp_path: Path) -> None:
    """`level = "huyen"` is refused at load, the key named."""
    path = _with(tmp_path, (LEVEL_LINE, 'level = "huyen"'))
    with pytest.raises(InvalidInput) as caught:
        load_cycle_config(path)
    assert "authority.level" in str(caught.value)
