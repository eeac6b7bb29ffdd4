"""One database, two authorities with a cycle of the same year: every entry point can name the
authority, and a missing one is asked for in the words of the entry point (an option of the CLI,
a parameter of a flow)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import VINH_LINH, VINH_LINH_DATA
from tests.deployments.conftest import invoke


def second_authority(folder: Path) -> Path:
    """The bundled 2024 cycle file, as another district's (code TEST)."""
    text = VINH_LINH.read_text(encoding="utf-8")
    text = text.replace('code = "464"', 'code = "TEST"').replace("huyện Vĩnh Linh", "huyện Thử Nghiệm")
    text = text.replace('roster = "vinh-linh-2024/units.csv"', f'roster = "{VINH_LINH_DATA / "units.csv"}"')
    path = folder / "thu-nghiem-2024.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_cli_asks_for_authority_by_its_option(tmp_path: Path) -> None:
    """Without ``--authority`` the CLI names the option and the codes; with it, it answers."""
    for config in (VINH_LINH, second_authority(tmp_path)):
        code, _out, err = invoke(tmp_path, "cycle", "open", "--config", str(config))
        assert code == 0, err
    code, _out, err = invoke(tmp_path, "status", "--cycle", "2024", "--format", "json")
    assert code == 2
    assert err.strip() == "có nhiều chu kỳ năm 2024 (cơ quan 464, TEST); hãy ghi --authority là mã cơ quan"
    code, out, err = invoke(tmp_path, "status", "--cycle", "2024", "--authority", "TEST", "--format", "json")
    assert code == 0, err
    assert '"unit_code": "VL-NV"' in out
    code, _out, err = invoke(tmp_path, "status", "--cycle", "2031")
    assert (
        err.strip()
        == "chưa mở chu kỳ năm 2031; hãy mở chu kỳ bằng sangkien cycle open --config <tệp cấu hình>"
    )
