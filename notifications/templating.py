"""Where templates are found, and the filters every template uses.

Every word sent out is a Jinja2 template under ``notifications/templates/`` (notices at its top,
official documents' bodies under ``documents/``). ``template_loader`` makes the loader each
environment uses; ``templates_from`` adds a folder that is searched after the bundled one, so a
kind registered elsewhere (a province's extra notice, a test's own kind) brings its own templates
without touching these.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, Undefined

TEMPLATES = Path(__file__).parent / "templates"
_FOLDERS: list[Path] = [TEMPLATES]
_LOADERS: list[tuple[FileSystemLoader, str]] = []
_ENVIRONMENTS: list[Environment] = []


def ngay(value: date | Undefined) -> str:
    """A date as Vietnamese documents write it: 04/09/2024 (a missing date names itself)."""
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises UndefinedError naming the variable
    return f"{value:%d/%m/%Y}"


def ngay_chu(value: date | Undefined) -> str:
    """The place-and-date line's date: 'ngày 08 tháng 10 năm 2024' (Decree 30/2020: leading
    zero for days below 10 and for months 1 and 2)."""
    if isinstance(value, Undefined):
        str(value)
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def so(value: Decimal | int | float | Undefined) -> str:
    """A number as Vietnamese writes it: 0,5 and 2 (a decimal comma, no trailing zeros)."""
    if isinstance(value, Undefined):
        str(value)
    number = Decimal(str(value)).normalize()
    text = f"{number:f}"
    return text.replace(".", ",")


FILTERS = {"ngay": ngay, "ngay_chu": ngay_chu, "so": so}


def _paths(subfolder: str) -> list[str]:
    return [str(folder / subfolder) for folder in _FOLDERS]


def template_loader(subfolder: str = "") -> FileSystemLoader:
    """A loader of ``subfolder`` in every template folder, the bundled one first."""
    loader = FileSystemLoader(_paths(subfolder))
    _LOADERS.append((loader, subfolder))
    return loader


def environment(subfolder: str = "", **options: object) -> Environment:
    """An environment over ``subfolder`` with the project's filters (``options`` as Jinja's)."""
    # Templates are files of the release, not edited while it runs: no stat of each file at every
    # rendering (425,000 of them in a 10,000-unit year). ``templates_from`` empties the cache.
    options.setdefault("auto_reload", False)
    env = Environment(loader=template_loader(subfolder), **options)  # type: ignore[arg-type]  # noqa: S701 - callers set autoescape
    env.filters.update(FILTERS)
    _ENVIRONMENTS.append(env)
    return env


def _refresh() -> None:
    for loader, subfolder in _LOADERS:
        loader.searchpath = _paths(subfolder)
    for env in _ENVIRONMENTS:
        env.cache = {} if env.cache is not None else None


@contextmanager
def templates_from(folder: Path) -> Iterator[None]:
    """Templates in ``folder`` are found too while the block runs (searched after the bundled)."""
    _FOLDERS.append(folder)
    _refresh()
    try:
        yield
    finally:
        _FOLDERS.remove(folder)
        _refresh()
