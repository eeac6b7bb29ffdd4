"""A document being drawn, and how the authority names and signs itself in it.

A builder gets a ``Paper``: the cycle, the day, the unit (for a unit's report), and what its kind's
spec (``notifications.documents.kinds``) says of numbering and signing, so that a builder takes
its number from its own series and signs with its own signer without knowing either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.cycle import Cycle, CycleConfig, Numbered, Signer, document_number
from notifications.documents.official import Signature, checked


@dataclass(frozen=True, slots=True)
class Authority:
    """How the authority names itself in a document."""

    governing_body: str
    issuer: str  # ỦY BAN NHÂN DÂN HUYỆN VĨNH LINH
    short: str  # UBND huyện Vĩnh Linh
    area: str  # huyện Vĩnh Linh
    place: str
    home_affairs: str
    drafter: str  # NV, the drafting office's initials in "Lưu: VT, NV."


def authority_of(config: CycleConfig) -> Authority:
    """The authority's names, from the configuration."""
    name = checked("authority.name", config.authority.name)
    prefix = "Ủy ban nhân dân "
    area = name[len(prefix) :] if name.lower().startswith(prefix.lower()) else name
    return Authority(
        governing_body=checked("authority.governing_body", config.authority.governing_body),
        issuer=name,
        short=f"UBND {area}" if area != name else name,
        area=area,
        place=checked("authority.place_name", config.authority.place_name),
        home_affairs=checked("authority.home_affairs", config.authority.home_affairs),
        drafter=config.numbering.letter_suffix.rpartition("-")[2],
    )


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

    def number(self, key: str, issued_on: date) -> Numbered:
        """The document's number in its kind's series, taken once (``key`` names it in the cycle)."""
        if self.series is None:
            raise ValueError("this kind of document is numbered by someone else")
        suffix: str = getattr(self.config.numbering, self.series)
        return document_number(self.session, self.cycle, key, suffix, issued_on)

    def signature(self, title: str | None = None, name: str | None = None) -> Signature:
        """Its kind's signer (title and name may be the chair's own, as given when approving)."""
        if self.signer is None:
            raise ValueError("this kind of document is signed by someone else")
        return signature_of(self.config.signers[self.signer], title, name)
