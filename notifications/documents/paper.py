"""A document being drawn, and how the authority names and signs itself in it.

A builder gets a ``Paper``: the cycle, the day, the unit (for a unit's report), and what its kind's
spec (``notifications.documents.kinds``) says of numbering and signing, so that a builder takes
its number from its own series and signs with its own signer without knowing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, Numbered, Signer, document_number, home_affairs_head
from notifications.documents.official import Signature, checked

PEOPLES_COMMITTEE = "Ủy ban nhân dân"


@dataclass(frozen=True, slots=True)
class Authority:
    """How the authority names itself in a document."""

    governing_body: str  # "" for a People's Committee, which has none above it
    issuer: str  # the header's lines: "ỦY BAN NHÂN DÂN\nHUYỆN VĨNH LINH"
    name: str  # on one line: Ủy ban nhân dân huyện Vĩnh Linh
    short: str  # UBND huyện Vĩnh Linh
    area: str  # huyện Vĩnh Linh
    place: str
    home_affairs: str
    drafter: str  # NV, the drafting office's initials in "Lưu: VT, NV."
    home_affairs_head: str = ""  # Trưởng phòng Nội vụ, Giám đốc Sở Nội vụ
    committee_office: str = ""  # Văn phòng HĐND và UBND, Văn phòng UBND tỉnh
    one_stop_shop: str = ""  # Bộ phận Một cửa, Trung tâm Phục vụ hành chính công
    commune_kinds: str = ""  # "xã, thị trấn", "xã, phường, đặc khu"


def committee_lines(name: str) -> tuple[str, str] | None:
    """A People's Committee's name as its header writes it, on two lines (Decree 30/2020,
    annex I): "Ủy ban nhân dân huyện Vĩnh Linh" or "UBND xã Vĩnh Thủy" gives ("ỦY BAN NHÂN DÂN",
    "HUYỆN VĨNH LINH"), ("ỦY BAN NHÂN DÂN", "XÃ VĨNH THỦY"); None for another body's name."""
    for prefix in (PEOPLES_COMMITTEE + " ", "UBND "):
        if name.lower().startswith(prefix.lower()) and name[len(prefix) :].strip():
            return PEOPLES_COMMITTEE.upper(), name[len(prefix) :].strip().upper()
    return None


def authority_of(config: CycleConfig) -> Authority:
    """The authority's names, from the configuration."""
    name = checked("authority.name", config.authority.name)
    lines = committee_lines(name)
    area = name[len(PEOPLES_COMMITTEE) + 1 :] if lines else name
    return Authority(
        governing_body=checked("authority.governing_body", config.authority.governing_body),
        issuer="\n".join(lines) if lines else name,
        name=name,
        short=f"UBND {area}" if lines else name,
        area=area,
        place=checked("authority.place_name", config.authority.place_name),
        home_affairs=checked("authority.home_affairs", config.authority.home_affairs),
        drafter=config.numbering.letter_suffix.rpartition("-")[2],
        home_affairs_head=checked("authority.home_affairs_head", home_affairs_head(config.authority)),
        committee_office=checked("authority.committee_office", config.authority.committee_office),
        one_stop_shop=checked("authority.one_stop_shop", config.authority.one_stop_shop),
        commune_kinds=checked("authority.commune_kinds", config.authority.commune_kinds),
    )


# A number the records clerk is to write: only its suffix ("/UBND-NV"), printed with room
# before it ("Số:      /UBND-NV", ``OfficialDocument.number_line``).
BLANK_NUMBER = ""
_LEVELS = ("thị trấn ", "xã ", "phường ", "đặc khu ")
_SKIPPED = {"và", "-", "&", "phòng"}


def abbreviation(name: str) -> str:
    """A unit's initials as its numbers carry them: "Phòng Nội vụ" NV, "Phòng Lao động - Thương
    binh và Xã hội" LĐTBXH, "Phòng Nông nghiệp và PTNT" NNPTNT (a word in capitals stays whole)."""
    letters = []
    for word in name.split():
        if word.lower() in _SKIPPED:
            continue
        letters.append(word if word.isupper() and len(word) > 1 else word[0].upper())
    return "".join(letters)


@dataclass(frozen=True, slots=True)
class UnitIssuer:
    """How a unit heads, dates, numbers and signs its own papers."""

    governing_body: str
    issuer: str
    place: str
    suffix: str  # BC-UBND for a commune, BC-<abbreviation> for an agency
    authority_lines: tuple[str, ...]
    title: str


def unit_issuer(code: str, name: str, kind: str, head_title: str | None, config: CycleConfig) -> UnitIssuer:
    """A commune's People's Committee heads itself "ỦY BAN NHÂN DÂN" / "XÃ VĨNH THỦY", dates from
    "Vĩnh Thủy" and signs "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; an agency or public service unit
    has the authority above its name ("UBND HUYỆN VĨNH LINH" / "PHÒNG NỘI VỤ"), dates from the
    authority's place and signs with its head's title."""
    authority = authority_of(config)
    lines = committee_lines(name) if kind == "commune" else None
    if lines:
        area = name.split(" ", 1)[1] if name.startswith("UBND ") else name[len(PEOPLES_COMMITTEE) + 1 :]
        place = next((area[len(level) :] for level in _LEVELS if area.lower().startswith(level)), area)
        return UnitIssuer("", "\n".join(lines), place, "BC-UBND", ("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH")
    short = config.numbering.unit_abbreviations.get(code) or abbreviation(name)
    title = checked("unit.head_title", head_title or "THỦ TRƯỞNG ĐƠN VỊ").upper()
    return UnitIssuer(authority.short.upper(), name, authority.place, f"BC-{short}", (), title)


def signature_of(signer: Signer, title: str | None = None, name: str | None = None) -> Signature:
    """A signer from the configuration (title and name may be the chair's own)."""
    lines = tuple(line.strip() for line in signer.authority_line.split("\n") if line.strip())
    return Signature(lines, checked("signers.title", title or signer.title).upper(), name or signer.name)


@dataclass(frozen=True, slots=True)
class Paper:
    """One document being drawn, with its kind's numbering series and signer."""

    session: Session
    cycle: Cycle
    as_of: date
    unit: str | None = None
    series: str | None = None  # the ``[numbering]`` key of its issuer's suffix ("letter_suffix")
    signer: str | None = None  # the ``[signers]`` key of who signs it ("letter")

    @property
    def config(self) -> CycleConfig:
        """The cycle's configuration."""
        return self.cycle.configuration

    @property
    def authority(self) -> Authority:
        """How the authority names itself."""
        return authority_of(self.config)

    @property
    def registered(self) -> bool:
        """Whether the system keeps the register (``numbering.mode = "register"``); otherwise
        the records clerk fills in the number and date when the leader signs."""
        return self.config.numbering.mode == "register"

    def number(self, key: str, issued_on: date) -> Numbered:
        """The document's number in its kind's series, taken once (``key`` names it in the
        cycle); in "blank" mode no number is taken and room is left for the clerk's."""
        if self.series is None:
            raise ValueError("this kind of document is numbered by someone else")
        suffix: str = getattr(self.config.numbering, self.series)
        if not self.registered:
            return Numbered(f"{BLANK_NUMBER}/{suffix}", issued_on, new=False)
        return document_number(self.session, self.cycle, key, suffix, issued_on)

    def signature(self, title: str | None = None, name: str | None = None) -> Signature:
        """Its kind's signer (title and name may be the chair's own, as given when approving)."""
        if self.signer is None:
            raise ValueError("this kind of document is signed by someone else")
        return signature_of(self.config.signers[self.signer], title, name)
