"""A registry of kinds: obligations, submission kinds, notice kinds, document kinds.

Each kind of thing the cycle knows is one spec in one registry, keyed by its code; everything
else iterates the registry. ``registered`` adds specs for the length of a block (a province's
own kind, a test's), so a new kind needs no change to the code that uses kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Generic, Protocol, TypeVar


class Spec(Protocol):
    """Anything with a code."""

    @property
    def code(self) -> str: ...


S = TypeVar("S", bound=Spec)


class Registry(dict[str, S], Generic[S]):
    """Specs by code, in the order they were added."""

    def __init__(self, what: str, specs: Iterable[S] = ()) -> None:
        super().__init__()
        self.what = what
        for spec in specs:
            self.add(spec)

    def add(self, spec: S) -> S:
        """Register ``spec``; a second spec with the same code is a programming error."""
        if spec.code in self:
            raise ValueError(f"{self.what} {spec.code!r} is already registered")
        self[spec.code] = spec
        return spec

    def spec(self, code: str) -> S:
        """The spec of ``code``; a ``KeyError`` names the known ones."""
        try:
            return self[code]
        except KeyError:
            raise KeyError(f"unknown {self.what} {code!r}; known: {', '.join(self)}") from None

    @contextmanager
    def registered(self, *specs: S) -> Iterator[None]:
        """``specs`` registered while the block runs, removed after it."""
        added = [self.add(spec) for spec in specs]
        try:
            yield
        finally:
            for spec in added:
                self.pop(spec.code, None)
