"""A synthetic authority of any size and mix of units: proves that nothing about one district is
in code, and feeds the benchmarks.

``generate`` writes a cycle configuration, its roster and a year of submissions into a folder;
the same seed always writes the same files.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from models.imports import import_kind

# A council that can sign its minutes: a chair and a secretary besides the members.
COUNCIL_ROLES = ("Chủ tịch Hội đồng", "Ủy viên", "Ủy viên", "Ủy viên", "Thư ký")

_GIVEN = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hùng",
    "Khánh",
    "Linh",
    "Minh",
    "Nga",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
    "Đức",
)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE = ("Văn", "Thị", "Minh", "Quốc", "Thu", "Hữu", "Ngọc")
_TOPICS = (
    "tra cứu hồ sơ qua Zalo",
    "số hóa hồ sơ một cửa",
    "trả kết quả tại nhà",
    "lấy số thứ tự bằng mã QR",
    "hướng dẫn nộp hồ sơ trực tuyến",
    "văn bản điện tử",
    "ngày làm việc thứ Bảy",
    "chữ ký số cho công chức",
    "bảng tin thủ tục hành chính",
)
_KIND_NAMES = {
    "commune": "UBND xã Mẫu {n}",
    "agency": "Phòng Chuyên môn {n}",
    "public_service_unit": "Trung tâm Dịch vụ {n}",
    "office": "Văn phòng UBND {n}",
}


@dataclass(frozen=True, slots=True)
class SyntheticShape:
    """Size and timing of a synthetic year."""

    units: int
    mix: tuple[tuple[str, int], ...] = (
        ("commune", 80),
        ("agency", 14),
        ("public_service_unit", 5),
        ("office", 1),
    )
    initiatives_per_unit: int = 3
    year: int = 2025
    seed: int = 2024
    never_share: float = 0.05
    late_share: float = 0.15


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _write(path: Path, columns: list[str], rows: Sequence[Sequence[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)


def _config(shape: SyntheticShape, code: str) -> str:
    y = shape.year
    return (
        f'''year = {y}
name = "Sáng kiến cải cách hành chính năm {y} (dữ liệu tổng hợp)"
opens_on = {y}-01-15
roster = "units.csv"
legal_bases = ["Kế hoạch cải cách hành chính năm {y} của UBND tỉnh Mẫu"]

[authority]
code = "{code}"
name = "Ủy ban nhân dân tỉnh Mẫu"
governing_body = ""
place_name = "Mẫu"

[deadlines]
propose = {y}-08-31
report = {y}-10-22
replication = {y}-10-22

[review]
criteria = [
  {{ code = "novelty", label = "Tính mới", max_points = 30 }},
  {{ code = "applicability", label = "Khả năng áp dụng, nhân rộng", max_points = 35 }},
  {{ code = "effectiveness", label = "Hiệu quả", max_points = 35 }},
]
council = [
'''
        + "".join(
            f'  {{ name = "Thành viên Hội đồng {i}", role = "{role}", email = "hd{i}@mau.example.org" }},\n'
            for i, role in enumerate(COUNCIL_ROLES, start=1)
        )
        + """]

[[replicated]]
code = "NR01"
title = "Trả kết quả tại nhà qua bưu chính công ích"

[[replicated]]
code = "NR02"
title = "Tra cứu thủ tục qua Zalo OA"

[numbering]
letter_suffix = "UBND-NV"
decision_suffix = "QĐ-UBND"

[signers.letter]
name = "Người Ký Mẫu"
title = "CHỦ TỊCH"
authority_line = "TM. ỦY BAN NHÂN DÂN"

[signers.decision]
name = "Người Ký Mẫu"
title = "PHÓ CHỦ TỊCH"
authority_line = "TM. ỦY BAN NHÂN DÂN\\nKT. CHỦ TỊCH"
"""
    )


def generate(folder: Path, shape: SyntheticShape) -> Path:
    """Write ``cycle.toml``, ``units.csv`` and the submissions; returns the configuration path."""
    rng = random.Random(shape.seed)  # noqa: S311 - test data, not security
    folder.mkdir(parents=True, exist_ok=True)
    weights = [w for _, w in shape.mix]
    kinds = [k for k, _ in shape.mix]
    units = [(f"M{n:06d}", rng.choices(kinds, weights)[0]) for n in range(1, shape.units + 1)]
    _write(
        folder / "units.csv",
        list(import_kind("units").columns)[:7],
        [
            (
                code,
                _KIND_NAMES[kind].format(n=int(code[1:])),
                kind,
                f"u{code}@mau.example.org",
                _name(rng),
                "Thủ trưởng",
                "MAU",
            )
            for code, kind in units
        ],
    )
    deadline = {"propose": date(shape.year, 8, 31), "report": date(shape.year, 10, 22)}
    start = date(shape.year, 3, 1)

    def day(obligation: str, late: bool) -> date:
        if late:
            return deadline[obligation] + timedelta(days=rng.randint(1, 40))
        return start + timedelta(days=rng.randint(0, (deadline[obligation] - start).days))

    initiatives: list[list[object]] = []
    reports: list[list[object]] = []
    replication: list[list[object]] = []
    for code, kind in units:
        if rng.random() < shape.never_share:
            continue
        late = rng.random() < shape.late_share
        for i in range(1, shape.initiatives_per_unit + 1):
            title = f"Sáng kiến {i} về {rng.choice(_TOPICS)} của đơn vị {code}"
            proposed = day("propose", late)
            initiatives.append(
                [
                    code,
                    title,
                    "operational",
                    "procedures",
                    f"{_name(rng)} | Chuyên viên | 60; {_name(rng)} | Công chức | 40",
                    (proposed - timedelta(days=30)).isoformat(),
                    "Tại đơn vị",
                    "Người dân phải đi lại nhiều lần.",
                    "Áp dụng quy trình mới.",
                    "Lần đầu áp dụng tại đơn vị.",
                    "Giảm 30% thời gian giải quyết.",
                    "có",
                    "có",  # declared not an excluded case
                    "",
                    "",
                    proposed.isoformat(),
                ]
            )
            reported = max(proposed, day("report", rng.random() < shape.late_share))
            reports.append(
                [
                    code,
                    title,
                    "Giao công chức phụ trách.",
                    "Đã áp dụng hiệu quả.",
                    "Đạt yêu cầu.",
                    "Đề nghị công nhận.",
                    reported.isoformat(),
                ]
            )
        if kind in ("commune", "office"):
            sent = day("report", rng.random() < shape.late_share)
            for item in ("NR01", "NR02"):
                replication.append(
                    [
                        code,
                        item,
                        date(shape.year, 3, 1).isoformat(),
                        "Áp dụng tại Bộ phận Một cửa.",
                        rng.randint(10, 900),
                        "Người dân hài lòng.",
                        "",
                        sent.isoformat(),
                    ]
                )
    _write(folder / "initiatives.csv", list(import_kind("initiatives").columns), initiatives)
    _write(folder / "reports.csv", list(import_kind("reports").columns), reports)
    _write(folder / "replication.csv", list(import_kind("replication").columns), replication)
    config = folder / "cycle.toml"
    config.write_text(_config(shape, "MAU"), encoding="utf-8")
    return config
