"""The security review's findings that the corpus does not show by itself (issue 11): documents a
unit's text cannot reshape, exports and documents that never leave a broken file, a full disk and
a read-only folder told as such, shares exact on both databases, addresses, a mail server without
AUTH, and a closed API."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from pydantic import SecretStr, ValidationError
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from deployments.stack import LocalStack
from models.cycle import Cycle, Unit
from models.errors import ImportRejected, InvalidInput, MailSetupFault
from models.forms import DecisionApproval
from models.intake import Initiative, InitiativeAuthor
from models.settings import Settings, SmtpSettings
from notifications.documents.render import render_kind
from notifications.mail.delivery import deliver_notices
from tests.builders import store_initiatives
from tests.conftest import VINH_LINH
from tests.deployments.conftest import invoke
from tests.notifications.conftest import Queue, states
from tests.notifications.smtp_servers import Recorder, smtp_server

MARKER = "sangkien-table-rows-0"


@contextmanager
def tiny_disk(where: Path, size: str) -> Iterator[Path]:
    """A real filesystem of ``size`` (tmpfs) at ``where``; skipped where mounting is not allowed."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=False)
    if mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs is not allowed here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_unit_named_like_a_marker_keeps_its_report_whole(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """The unit's report has its national header, type and sections; the name is printed as text."""
    session.execute(update(Unit).where(Unit.code == "VL-NV").values(name=MARKER))
    files = render_kind(session, cycle, "unit-report", date(2024, 10, 20), tmp_path, "VL-NV")
    document = Document(str(files.docx))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert MARKER.upper() in header  # the issuer's line, as text
    assert "BÁO CÁO" in text
    assert "I." in text


def test_the_chair_s_signer_fields_pass_the_gate() -> None:
    """A vertical tab in the signer's name is refused in the approval itself, naming the field."""
    with pytest.raises(ValidationError, match="U\\+000B"):
        DecisionApproval(number="01/QĐ-UBND", issued_on=date(2024, 12, 6), signer_name="Nguyễn\x0bVăn Hải")


def test_an_unopenable_character_in_stored_data_refuses_the_export(opened: Path) -> None:
    """U+FFFE stored before the gate existed: the export says so, and the old file stays."""
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{opened / 'var' / 'sangkien.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(update(Unit).where(Unit.code == "VL-NV").values(name="Phòng\ufffeNội vụ"))
    engine.dispose()
    out = opened / "tinh-trang.xlsx"
    out.write_bytes(b"the old export")
    code, _out, err = invoke(opened, "export", "compliance", "--cycle", "2024", "--out", str(out), "--force")
    assert code == 2
    assert "ký tự không ghi được vào Excel" in err
    assert out.read_bytes() == b"the old export"
    code, _out, err = invoke(
        opened, "documents", "render", "escalation", "--cycle", "2024", "--as-of", "2024-10-08"
    )
    assert code == 2
    assert "có ký tự không hợp lệ U+FFFE" in err
    assert not list((opened / "var" / "out").rglob("*.docx"))


def test_out_is_an_existing_folder_overwritten_only_with_force_never_through_a_link(opened: Path) -> None:
    """--out neither makes folders nor overwrites without --force, and refuses a symbolic link."""
    args = ["export", "compliance", "--cycle", "2024", "--format", "json", "--out"]
    code, _out, err = invoke(opened, *args, str(opened / "khong-co" / "a.json"))
    assert (code, "không có thư mục này" in err) == (2, True)
    target = opened / "a.json"
    assert invoke(opened, *args, str(target))[0] == 0
    code, _out, err = invoke(opened, *args, str(target))
    assert (code, "thêm --force để ghi đè" in err) == (2, True)
    assert invoke(opened, *args, str(target), "--force")[0] == 0
    secret = opened / "secret.txt"
    secret.write_text("giữ nguyên", encoding="utf-8")
    (opened / "link.json").symlink_to(secret)
    code, _out, err = invoke(opened, *args, str(opened / "link.json"), "--force")
    assert (code, "liên kết tượng trưng" in err) == (2, True)
    assert secret.read_text(encoding="utf-8") == "giữ nguyên"


@pytest.fixture
def opened(tmp_path: Path) -> Path:
    """A data dir with the bundled 2024 cycle open."""
    code, _out, err = invoke(tmp_path, "cycle", "open", "--config", str(VINH_LINH))
    assert code == 0, err
    return tmp_path


def test_a_full_disk_is_told_as_such_and_nothing_is_claimed(tmp_path: Path) -> None:
    """The database on a disk that fills during the import: exit 1, the disk named, no 'Đã nhập'."""
    from deployments.synthetic import SyntheticShape, generate

    data = generate(tmp_path / "year", SyntheticShape(units=400, year=2025)).parent
    with tiny_disk(tmp_path / "disk", "1500k") as disk:
        code, _out, err = invoke(disk, "cycle", "open", "--config", str(data / "cycle.toml"))
        if code != 0:  # the roster alone may already fill it: that is the same finding
            assert "ổ đĩa chứa cơ sở dữ liệu đã đầy" in err
            return
        code, out, err = invoke(
            disk, "import", "initiatives", str(data / "initiatives.csv"), "--cycle", "2025"
        )
    assert code == 1, out
    assert "ổ đĩa chứa cơ sở dữ liệu đã đầy" in err
    assert "Đã nhập" not in out
    assert "SANGKIEN_DATABASE_URL" not in err
    assert "Traceback" not in err


def test_a_document_on_a_full_disk_leaves_no_half_written_file(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """Neither a 0-byte .html beside a .docx nor a broken .docx: nothing at all."""
    with tiny_disk(tmp_path / "disk", "16k") as disk:
        with pytest.raises(InvalidInput, match="ổ đĩa đã đầy"):
            render_kind(session, cycle, "unit-report", date(2024, 10, 20), disk, "VL-NV", managed=False)
        assert [p.name for p in disk.iterdir()] == []


def test_a_malformed_database_url_and_a_read_only_folder_are_named(tmp_path: Path) -> None:
    """Exit 1 with the setting to fix, never a traceback."""
    from typer.testing import CliRunner

    from deployments.cli import app

    runner = CliRunner()
    bad = runner.invoke(
        app, ["status", "--cycle", "2024"], env={"SANGKIEN_DATABASE_URL": "postgres//nowhere"}
    )
    assert bad.exit_code == 1
    assert "SANGKIEN_DATABASE_URL không đúng dạng" in bad.stderr
    with tiny_disk(tmp_path / "ro", "1m") as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        env = {"SANGKIEN_DATA_DIR": str(folder / "var"), "SANGKIEN_DATABASE_URL": ""}
        refused = runner.invoke(app, ["status", "--cycle", "2024"], env=env)
    assert refused.exit_code == 1
    assert "không tạo được thư mục dữ liệu" in refused.stderr


def test_shares_are_held_to_two_decimals_on_both_databases(session: Session, cycle: Cycle) -> None:
    """99.995 + 0.005 is refused; 33.33 + 33.33 + 33.34 is stored exactly and adds up to 100."""
    from models.intake import InitiativeIn

    fields = {
        "unit_code": "VL-NV",
        "title": "Sáng kiến chia tỷ lệ",
        "solution_type": "management",
        "field": "civil_service",
        "solution": "Giải pháp.",
        "effects": "Hiệu quả.",
        "replicable": "có",
        "submitted_on": "2024-06-14",
    }
    with pytest.raises(ValidationError, match="quá 2 chữ số thập phân"):
        InitiativeIn.model_validate(fields | {"authors": "A | Chuyên viên | 99.995; B | Chuyên viên | 0.005"})
    thirds = "A | Chuyên viên | 33.33; B | Chuyên viên | 33.33; C | Chuyên viên | 33.34"
    item = InitiativeIn.model_validate(fields | {"authors": thirds})
    store_initiatives(session, cycle, [(1, item)], "form", date(2024, 12, 31), "test")
    session.flush()
    shares = session.scalars(
        select(InitiativeAuthor.share).join(Initiative).where(Initiative.title == "Sáng kiến chia tỷ lệ")
    ).all()
    assert [str(s) for s in shares] == ["33.33", "33.33", "33.34"]
    assert sum(shares) == 100


def test_a_server_without_auth_stops_delivery_once_with_the_reason(engine: Engine, queue: Queue) -> None:
    """A password set, a server that offers no AUTH: one attempt, the reason, notices still queued."""
    ids = queue(5)
    recorder = Recorder()
    with smtp_server(recorder) as port:
        smtp = SmtpSettings(
            host="127.0.0.1", port=port, username="noivu", password=SecretStr("bí mật"), timeout=5
        )
        with pytest.raises(MailSetupFault, match="không hỗ trợ đăng nhập"):
            asyncio.run(deliver_notices(engine, smtp))
    assert recorder.messages == []
    assert {states(engine)[i][0] for i in ids} == {"queued"}
    assert all("không hỗ trợ đăng nhập" in str(states(engine)[i][2]) for i in ids)


def test_the_api_is_closed_beyond_this_machine_and_to_other_origins(tmp_path: Path) -> None:
    """Beyond 127.0.0.1 only with a password; CORS only for the UI's own origin; CSRF on."""
    open_stack = LocalStack(Settings(data_dir=tmp_path), host="0.0.0.0", port=4300)  # noqa: S104 - the case
    with pytest.raises(RuntimeError, match="SANGKIEN_API_AUTH"):
        open_stack.server_environment(tmp_path)
    guarded = LocalStack(
        Settings(data_dir=tmp_path, api_auth=SecretStr("admin:mk")),
        host="0.0.0.0",  # noqa: S104 - the case under test
        port=4300,
    )
    env = guarded.server_environment(tmp_path)
    assert env["PREFECT_SERVER_API_AUTH_STRING"] == "admin:mk"
    local = LocalStack(Settings(data_dir=tmp_path), port=4300).server_environment(tmp_path)
    assert local["PREFECT_SERVER_API_CORS_ALLOWED_ORIGINS"] == "http://127.0.0.1:4300"
    assert local["PREFECT_SERVER_API_CSRF_PROTECTION_ENABLED"] == "true"
    assert "PREFECT_SERVER_API_AUTH_STRING" not in local


def test_a_file_that_is_not_an_import_file_is_refused_without_its_content(opened: Path) -> None:
    """A file of anything else under an import's name: refused, and none of its text repeated."""
    secret = opened / "luong.csv"
    secret.write_text("mật khẩu quản trị,tài khoản ngân hàng\nabc123,0123456789\n", encoding="utf-8")
    code, out, err = invoke(opened, "import", "units", str(secret), "--cycle", "2024")
    assert code == 2
    assert "không phải tệp nhập liệu" in err
    assert "mật khẩu" not in out + err
    assert "abc123" not in out + err


def test_refusals_of_the_importer_are_import_rejections(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """The four inputs that used to crash the importer now raise the located refusal."""
    from models.imports import import_file

    corpus = Path(__file__).parent.parent / "hostile"
    for name, kind in (
        ("07_long_cell.csv", "initiatives"),
        ("07_deep.json", "units"),
        ("07_lone_surrogate.json", "units"),
    ):
        with pytest.raises(ImportRejected):
            import_file(session, cycle, corpus / name, kind, today=date(2024, 12, 31), actor="test")
