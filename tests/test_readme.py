"""The README stays true: its column tables and commands match the code."""

from __future__ import annotations

from models.imports import import_kinds
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_import_column_with_its_vietnamese_header() -> None:
    """Each canonical column and its alias appear in the README's import tables."""
    for kind, columns in {k: v.columns for k, v in import_kinds().items()}.items():
        command = "sangkien extension import" if kind == "extensions" else f"sangkien import {kind}"
        assert f"{command}`" in README
        for column, label in columns.items():
            assert f"| `{column}` | {label} |" in README


def test_readme_quick_start_is_the_two_commands() -> None:
    """The two sacred commands are there."""
    assert "make demo" in README
    assert "make test" in README
