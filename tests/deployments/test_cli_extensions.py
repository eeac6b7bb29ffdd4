"""``sangkien extension`` as an officer uses it: exit codes, the option named in each refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write_csv
from tests.deployments.conftest import invoke

ASK = (
    "extension", "request", "--cycle", "2024", "--unit", "19426", "--obligation", "đề xuất",
    "--until", "10/09/2024", "--reason", "Chờ số liệu áp dụng", "--today", "2024-09-02",
)  # fmt: skip


def _list(data: Path) -> list[dict[str, object]]:
    code, out, err = invoke(data, "extension", "list", "--cycle", "2024", "--format", "json")
    assert code == 0, err
    records: list[dict[str, object]] = json.loads(out)
    return records


def test_request_decide_and_list_with_one_mail_each(opened: Path) -> None:
    """Asked, asked again (kept), approved: one request, one receipt and one decision queued."""
    code, out, err = invoke(opened, *ASK)
    assert (code, err) == (0, "")
    assert "Đã nhận đơn xin gia hạn số 1." in out
    assert "1 thư mới vào hàng đợi" in out
    code, out, _err = invoke(opened, *ASK)
    assert code == 0
    assert "Đơn xin gia hạn số 1 đã có, giữ nguyên." in out
    assert "0 thư mới vào hàng đợi" in out
    decide = ("extension", "decide", "--cycle", "2024", "--id", "1", "--approve", "--today", "2024-09-04")
    code, out, err = invoke(opened, *decide)
    assert (code, err) == (0, "")
    assert "Đơn số 1: đồng ý đến ngày 10/09/2024." in out
    code, out, _err = invoke(opened, *decide)
    assert "(đã quyết định trước đó)" in out
    assert "0 thư mới vào hàng đợi" in out
    [record] = _list(opened)
    assert (record["status"], record["decided_until"], record["obligation"]) == (
        "approved",
        "2024-09-10",
        "propose",
    )
    code, out, _err = invoke(opened, "notices", "list", "--cycle", "2024", "--format", "json")
    kinds = [n["kind"] for n in json.loads(out)]
    assert (kinds.count("extension_receipt"), kinds.count("extension_decision")) == (1, 1)


@pytest.mark.parametrize(
    ("changes", "line"),
    [
        (
            {"--unit": "KHONG-CO"},
            "--unit: không có đơn vị mã KHONG-CO trong chu kỳ 2024; hãy kiểm tra mã đơn vị",
        ),
        ({"--until": "2024-08-30"}, "--until: ngày xin gia hạn 30/08/2024 không sau hạn hiện tại 04/09/2024"),
        ({"--until": "mai"}, "--until: ngày 'mai' không đúng định dạng; hãy ghi YYYY-MM-DD hoặc DD/MM/YYYY"),
        ({"--today": "2024-09-05"}, "--today: đơn gửi ngày 05/09/2024, sau khi hạn 04/09/2024 đã qua"),
        ({"--reason": "<b>\x1b[31m</b>"}, "--reason: có ký tự điều khiển U+001B"),
        ({"--obligation": "thuế"}, "--obligation: nghĩa vụ 'thuế' không hợp lệ"),
    ],
)
def test_a_bad_request_exits_2_naming_the_option(opened: Path, changes: dict[str, str], line: str) -> None:
    """Unknown unit, a day before the deadline, a bad date, too late, control characters."""
    args = list(ASK)
    for option, value in changes.items():
        args[args.index(option) + 1] = value
    code, out, err = invoke(opened, *args)
    assert code == 2
    assert line in err
    assert "Traceback" not in err + out
    assert _list(opened) == []


def test_a_second_request_while_one_is_pending_and_a_refusal_without_reason(opened: Path) -> None:
    """Exit 2 for each, naming what to do; the first request stays pending."""
    invoke(opened, *ASK)
    args = list(ASK)
    args[args.index("--until") + 1] = "2024-09-20"
    code, _out, err = invoke(opened, *args)
    assert code == 2
    assert "--obligation: đơn vị 19426 đã có đơn gia hạn số 1 đang chờ quyết định" in err
    code, _out, err = invoke(opened, "extension", "decide", "--cycle", "2024", "--id", "1", "--refuse")
    assert code == 2
    assert err.strip() == "--reason: từ chối gia hạn phải nêu lý do; hãy ghi lý do từ chối"
    code, _out, err = invoke(opened, "extension", "decide", "--cycle", "2024", "--id", "7", "--approve")
    assert code == 2
    assert "--id: không có đơn gia hạn số 7 trong chu kỳ 2024" in err
    assert [r["status"] for r in _list(opened)] == ["pending"]


def test_a_sheet_with_vietnamese_headers_is_imported_all_or_nothing(opened: Path) -> None:
    """A good sheet stores every request; a sheet with one bad row stores none and names it."""
    header = "Mã đơn vị,Nội dung xin gia hạn,Gia hạn đến ngày,Lý do,Ngày gửi đơn"
    bad = write_csv(
        opened / "sai.csv",
        header,
        "19426,đề xuất,10/09/2024,Chờ số liệu,02/09/2024",
        "19363,báo cáo,01/10/2024,Sớm,",
    )
    code, _out, err = invoke(
        opened, "extension", "import", str(bad), "--cycle", "2024", "--today", "2024-09-02"
    )
    assert code == 2
    assert "sai.csv:3:requested_until: ngày xin gia hạn 01/10/2024 không sau hạn hiện tại 22/10/2024" in err
    assert _list(opened) == []
    good = write_csv(opened / "dung.csv", header, "19426,đề xuất,10/09/2024,Chờ số liệu,02/09/2024")
    code, out, err = invoke(
        opened, "extension", "import", str(good), "--cycle", "2024", "--today", "2024-09-02"
    )
    assert (code, err) == (0, "")
    assert "Đã nhận đơn xin gia hạn số 1." in out
