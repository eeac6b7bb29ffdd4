"""The report's score chart stays one readable picture at a province's scale."""

from __future__ import annotations

import io
import warnings
from decimal import Decimal
from pathlib import Path

from PIL import Image

from notifications.documents.charts import BARS_PER_UNIT_UP_TO, SERIF, _serif, score_chart


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        return image.size


def test_a_district_gets_a_bar_per_unit_and_a_province_a_distribution() -> None:
    few = [(f"Đơn vị {i}", Decimal(i % 3)) for i in range(BARS_PER_UNIT_UP_TO)]
    many = [(f"Đơn vị {i}", Decimal(i % 3)) for i in range(10_000)]
    _, few_height = _size(score_chart(few, Decimal(2)))
    many_width, many_height = _size(score_chart(many, Decimal(2)))
    assert few_height > 1500  # one bar per unit: the picture grows with them
    assert many_height < 700  # a distribution: one page-wide picture whatever the count
    assert many_width < 1300


def test_every_vietnamese_letter_of_a_chart_has_its_glyph() -> None:
    """Liberation Serif 1.x, installed beside 2.x under the same name, lacks "ủ": matplotlib then
    warns once per letter and draws boxes. The chart keeps only faces that have every letter."""
    labels = [
        ("UBND xã Vĩnh Thủy", Decimal(2)),
        ("Trường Tiểu học Cửa Tùng", Decimal(1)),
        ("Đội ngũ ặ ỹ", Decimal(0)),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" is a UserWarning
        score_chart(labels, Decimal(2))
    if Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf").exists():
        assert _serif() == SERIF
