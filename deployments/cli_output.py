"""How the CLI shows results on a terminal: the compliance table and import summaries."""

from __future__ import annotations

from collections import Counter
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

from models.cycle import Cycle, CycleDeadlines
from models.intake import IntakeResult
from models.reporting import STATE_LABELS, compliance_table, deadline_lines
from models.tracking import UnitCompliance, cycle_obligations

_STYLE = {"on_time": "green", "late": "yellow", "overdue": "bold red", "pending": "", "not_required": "dim"}


def echo_lines(lines: list[str]) -> None:
    """Print what a command did (after its work is committed: success is never told early)."""
    for line in lines:
        typer.echo(line)


def result_line(result: IntakeResult) -> str:
    """One line: what an import stored."""
    parts = [f"{result.stored} dòng mới"]
    if result.updated:
        parts.append(f"{result.updated} dòng cập nhật")
    if result.unchanged:
        parts.append(f"{result.unchanged} dòng đã có, giữ nguyên")
    if result.late:
        parts.append(f"{result.late} dòng gửi trễ hạn")
    return f"Đã nhập {result.kind}: {', '.join(parts)}."


def print_compliance(cycle: Cycle, as_of: date, rows: list[UnitCompliance]) -> None:
    """The compliance table with deadlines in the column titles, each deadline with the reason it
    moved, and a count per state."""
    console = Console(width=max(150, Console().width))
    deadlines = CycleDeadlines(cycle, {}).cycle_deadlines  # as configured, moved past days off
    obligations = cycle_obligations(cycle)
    table = Table(title=f"Tình trạng thực hiện chu kỳ {cycle.year} tại ngày {as_of:%d/%m/%Y}")
    header, body = compliance_table(rows)
    for column in header[:3]:
        table.add_column(column)
    for ob in obligations:
        table.add_column(f"{ob.labels.table}\n(hạn {deadlines[ob.code].effective:%d/%m/%Y})")
    for row, line in zip(rows, body, strict=True):
        cells = [str(c) for c in line[:3]]
        for index, ob in enumerate(obligations):
            state = row[ob.code].state
            text = str(line[3 + 2 * index])
            cells.append(f"[{_STYLE[state]}]{text}[/]" if _STYLE[state] else text)
        table.add_row(*cells)
    console.print(table)
    for text in deadline_lines(cycle):  # a moved deadline says why, where a column title cannot
        console.print(text, soft_wrap=True)
    for ob in obligations:
        counts = Counter(r[ob.code].state for r in rows)
        summary = ", ".join(f"{STATE_LABELS[s]}: {n}" for s, n in sorted(counts.items()))
        console.print(f"{ob.labels.table}: {summary}")
