"""The authority's level (province, district, commune) and what it gives by default.

A cycle file sets ``authority.level``; from it and the cycle's dates come the titles and names
its papers print, unless the file gives its own: who heads the Home Affairs office and signs its
proposals, the People's Committee's office, the one-stop shop, the words for the commune-level
units, and which kinds of unit get CCHC-index lines.

The reform of 01/07/2025 (Law 72/2025/QH15 on the Organisation of Local Government) abolished the
district tier and the towns (thị trấn): a cycle opening on or after that day is worded for
"xã, phường, đặc khu" and its one-stop shops are Trung tâm Phục vụ hành chính công (Decree
118/2025/NĐ-CP). A commune's Home Affairs work is done by its Phòng Văn hóa - Xã hội (Decree
150/2025/NĐ-CP, Circular 10/2025/TT-BNV art. 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from models.cycle.config import AuthorityConfig

Level = Literal["province", "district", "commune"]

# The day two-tier local government began (Law 72/2025/QH15; resolutions of 12/06/2025).
REFORM_DAY = date(2025, 7, 1)


@dataclass(frozen=True, slots=True)
class LevelDefaults:
    """What a level prints when the cycle file says nothing else."""

    home_affairs: str  # the office that runs the cycle: Phòng Nội vụ, Sở Nội vụ
    home_affairs_head: str  # its head as the decision names them: Giám đốc Sở Nội vụ
    committee_office: str  # the People's Committee's office: Văn phòng UBND tỉnh
    one_stop_shop: str  # where procedures are received: Bộ phận Một cửa
    commune_kinds: str  # the commune-level units in a sentence: "xã, thị trấn"
    cchc_index_kinds: tuple[str, ...]  # unit kinds that get CCHC-index lines


_BEFORE = {
    "district": LevelDefaults(
        "Phòng Nội vụ",
        "Trưởng phòng Nội vụ",
        "Văn phòng HĐND và UBND",
        "Bộ phận Một cửa",
        "xã, thị trấn",
        ("commune",),
    ),
    "province": LevelDefaults(
        "Sở Nội vụ",
        "Giám đốc Sở Nội vụ",
        "Văn phòng UBND tỉnh",
        "Bộ phận Một cửa",
        "xã, phường, thị trấn",
        ("agency", "commune"),
    ),
    "commune": LevelDefaults(
        "Văn phòng HĐND và UBND",
        "Chánh Văn phòng HĐND và UBND",
        "Văn phòng HĐND và UBND",
        "Bộ phận Một cửa",
        "thôn, tổ dân phố",
        (),
    ),
}
_AFTER = {
    # The district tier is gone after the reform; a district cycle keeps its own words.
    "district": _BEFORE["district"],
    "province": LevelDefaults(
        "Sở Nội vụ",
        "Giám đốc Sở Nội vụ",
        "Văn phòng UBND tỉnh",
        "Trung tâm Phục vụ hành chính công",
        "xã, phường, đặc khu",
        ("agency", "commune"),
    ),
    "commune": LevelDefaults(
        "Phòng Văn hóa - Xã hội",
        "Trưởng phòng Văn hóa - Xã hội",
        "Văn phòng HĐND và UBND",
        "Trung tâm Phục vụ hành chính công",
        "thôn, tổ dân phố",
        (),
    ),
}


def level_defaults(level: Level, opens_on: date) -> LevelDefaults:
    """The defaults of ``level`` for a cycle opening on ``opens_on`` (before or after the reform)."""
    return (_AFTER if opens_on >= REFORM_DAY else _BEFORE)[level]


def head_of(office: str) -> str:
    """The title of an office's head: "Sở Nội vụ" Giám đốc Sở Nội vụ, "Phòng Nội vụ" Trưởng
    phòng Nội vụ, "Văn phòng HĐND và UBND" Chánh Văn phòng HĐND và UBND."""
    first, _, rest = office.partition(" ")
    if first == "Sở":
        return f"Giám đốc {office}"
    if first == "Phòng" and rest:
        return f"Trưởng phòng {rest}"
    if first == "Văn" and rest.startswith("phòng"):
        return f"Chánh {office}"
    return f"Thủ trưởng {office}"


def home_affairs_head(authority: AuthorityConfig) -> str:
    """The title of the head of the authority's Home Affairs office, as a decision writes it in
    "Theo đề nghị của …": the cycle file's ``authority.home_affairs_head``, else the title its
    office's name gives (``head_of``)."""
    return authority.home_affairs_head or head_of(authority.home_affairs)
