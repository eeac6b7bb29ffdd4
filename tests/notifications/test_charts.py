"""The report's score chart stays one readable picture at a province's scale."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from notifications.documents.charts import BARS_PER_UNIT_UP_TO, score_chart


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
