"""Charts of the year's report, drawn headless (matplotlib's Agg backend) as PNG bytes.

Compliance through the year: for each obligation, how many units had done it by each day. Scores:
each unit's task-completion points (their distribution, for a province's thousands of units).
Labels are Vietnamese, in a serif font close to the report's.
"""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType

SERIF = "Liberation Serif"  # Times New Roman's metric twin (Debian: fonts-liberation2)
FALLBACK = "DejaVu Serif"  # shipped with matplotlib itself
_log = logging.getLogger(__name__)


VIETNAMESE = "ủữặỹ"  # letters Liberation Serif 1.x lacks (Debian's fonts-liberation); 2.x has them


def _has_vietnamese(path: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        face = FT2Font(path)
    except (OSError, RuntimeError):
        return False
    return all(face.get_char_index(ord(letter)) for letter in VIETNAMESE)


@cache
def _serif() -> str:
    """The chart font: Liberation Serif when a face with every Vietnamese letter is installed, else
    matplotlib's own serif, said once. Faces without them (Liberation 1.x, installed beside 2.x
    under the same family name) are left out, so no glyph goes missing; font files installed after
    matplotlib's cache was written are added to it."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    for path in font_manager.findSystemFonts(fontext="ttf"):
        if Path(path).name.startswith("LiberationSerif") and path not in known:
            manager.addfont(path)
    manager.ttflist = [f for f in manager.ttflist if f.name != SERIF or _has_vietnamese(f.fname)]
    if SERIF in {f.name for f in manager.ttflist}:
        return SERIF
    _log.warning(
        "Biểu đồ dùng phông %s vì chưa có phông %s đủ chữ tiếng Việt; hãy cài gói fonts-liberation2",
        FALLBACK,
        SERIF,
    )
    return FALLBACK


def _pyplot() -> ModuleType:
    import matplotlib as mpl

    mpl.use("Agg")  # headless: no display on servers and workers
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = [_serif()]
    return plt


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")  # type: ignore[attr-defined]
    return buffer.getvalue()


def compliance_chart(done: Mapping[str, Sequence[date]], deadlines: Mapping[str, date], total: int) -> bytes:
    """Units done by date, one step line per obligation label, each deadline a dotted line."""
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(7.5, 3.6))
    for name, days in done.items():
        ordered = sorted(days)
        if ordered:
            axes.step(ordered, range(1, len(ordered) + 1), where="post", label=name)
    for day in sorted(set(deadlines.values())):
        axes.axvline(day, linestyle=":", color="grey")
    axes.set_ylim(0, total + 1)
    axes.set_ylabel("Số đơn vị đã thực hiện")
    axes.set_title(f"Số đơn vị đã thực hiện theo thời gian (tổng {total} đơn vị)")
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    data = _png(figure)
    pyplot.close(figure)
    return data


BARS_PER_UNIT_UP_TO = 60  # beyond this a bar per unit is unreadable (and taller than a page)


def score_chart(scores: Sequence[tuple[str, Decimal]], maximum: Decimal) -> bytes:
    """Each unit's task-completion points as a horizontal bar, highest first; for more units
    than ``BARS_PER_UNIT_UP_TO``, how many units got each number of points."""
    pyplot = _pyplot()
    if len(scores) > BARS_PER_UNIT_UP_TO:
        figure, axes = pyplot.subplots(figsize=(7.5, 3.6))
        counts = Counter(points.normalize() for _, points in scores)
        levels = sorted(counts)
        axes.bar([float(level) for level in levels], [counts[level] for level in levels], color="#34608f")
        axes.set_xlim(-0.5, float(maximum) + 0.5)
        axes.set_xlabel(f"Điểm (tối đa {maximum.normalize()})")
        axes.set_ylabel("Số đơn vị")
        axes.set_title(f"Phân bố điểm sáng kiến của {len(scores)} đơn vị")
    else:
        height = max(3.0, 0.22 * len(scores) + 1)
        figure, axes = pyplot.subplots(figsize=(7.5, height))
        names = [name for name, _ in reversed(scores)]
        values = [float(points) for _, points in reversed(scores)]
        axes.barh(names, values, color="#34608f")
        axes.set_xlim(0, float(maximum))
        axes.set_xlabel(f"Điểm (tối đa {maximum.normalize()})")
        axes.set_title("Điểm sáng kiến trong đánh giá mức độ hoàn thành nhiệm vụ")
        axes.tick_params(axis="y", labelsize=7)
    data = _png(figure)
    pyplot.close(figure)
    return data
