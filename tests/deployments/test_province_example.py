"""The bundled province example (Cao Bằng 2026, after the reform) run by ``sangkien sample`` end to
end: every .docx it writes or attaches and every e-mail it sends cites only the cycle file's bases,
names the province's offices, and never says "huyện" or "thị trấn"."""

from __future__ import annotations

import email
import io
import re
from datetime import date, timedelta
from email import policy
from pathlib import Path

from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from deployments.cli_stack import CYCLES
from models.cycle import load_cycle_config
from models.db import Notice
from models.settings import load_settings
from notifications.steps import StepContext, open_step, sweep_step
from tests.deployments.conftest import invoke

PROVINCE = CYCLES / "cao-bang-2026.toml"
# A law, decree or circular as papers cite one: "Nghị định số 152/2025/NĐ-CP", "Luật Thi đua…".
CITED = re.compile(
    r"(?:Nghị định|Thông tư|Quyết định|Nghị quyết) số [0-9]+/[0-9]{4}/[A-ZĐ-]+|Luật [A-ZĐ][^;,.]*? ngày"
)


def _docx_text(data: bytes | Path) -> str:
    document = Document(io.BytesIO(data) if isinstance(data, bytes) else str(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _papers(documents: Path, mail: Path) -> dict[str, str]:
    """Every text a user reads: the documents, each message's subject and parts, its .docx files."""
    texts = {path.name: _docx_text(path) for path in documents.glob("*.docx")}
    for path in sorted(mail.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        texts[f"{path.name}:subject"] = str(message["subject"])
        for part in message.walk():
            name = part.get_filename()
            if part.get_content_type() in ("text/plain", "text/html") and not name:
                texts[f"{path.name}:{part.get_content_type()}"] = part.get_content()
            elif name and name.endswith(".docx"):
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                texts[f"{path.name}:{name}"] = _docx_text(payload)
    return texts


def test_the_province_example_runs_end_to_end_in_its_own_words(tmp_path: Path) -> None:
    """``sangkien sample --cycle cao-bang-2026 --documents DIR``: exit 0, every document kind
    written; the decision cites exactly the cycle file's bases and is proposed by the Giám đốc
    Sở Nội vụ; no paper or notice says huyện or thị trấn or names a district's offices."""
    documents = tmp_path / "docs"
    documents.mkdir()
    code, out, err = invoke(tmp_path, "sample", "--cycle", "cao-bang-2026", "--documents", str(documents))
    assert code == 0, err
    assert "Đã gửi" in out
    config = load_cycle_config(PROVINCE)
    texts = _papers(documents, tmp_path / "var" / "mail")
    papers = [k for k in texts if k.endswith(".docx") and ":" not in k]
    certificates = [k for k in papers if k.startswith("giay-chung-nhan-sang-kien-")]
    assert len(papers) - len(certificates) == 7  # every kind but the certificate, once
    assert certificates, "each recognized author's certificate"
    assert any(".eml:" in k and k.endswith(".docx") for k in texts), "the call attaches the outline"

    for name, text in texts.items():
        for word in ("huyện", "thị trấn", "Văn phòng HĐND và UBND", "Bộ phận Một cửa", "Phòng Nội vụ"):
            assert word not in text.lower() if word.islower() else word not in text, (name, word)
        allowed = " ".join((*config.decision_bases, config.format_basis, *config.legal_bases))
        for cited in CITED.findall(text):
            assert cited in allowed, (name, cited)

    decision = texts["quyet-dinh-cong-nhan-sang-kien-2026.docx"]
    for basis in config.decision_bases:
        assert f"Căn cứ {basis};" in decision
    # After the file's bases: the council's minutes (the file names no establishment decision).
    assert "Căn cứ Biên bản họp Hội đồng sáng kiến" in decision
    assert decision.count("Căn cứ ") == len(config.decision_bases) + 1
    assert len(CITED.findall(decision)) >= 4  # the check above reads the decision's citations
    assert "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số" in decision
    proposal = texts["to-trinh-cong-nhan-sang-kien-2026.docx"]
    assert "SỞ NỘI VỤ" in proposal
    assert "GIÁM ĐỐC" in proposal
    assert "Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan" in decision
    assert "ỦY BAN NHÂN DÂN\nTỈNH CAO BẰNG" in decision or "TỈNH CAO BẰNG" in decision

    letter = texts["cong-van-don-doc-2026-10-08.docx"]
    assert "UBND các xã, phường báo cáo kết quả áp dụng 03 sáng kiến CCHC" in letter
    assert "nhân rộng tại Trung tâm Phục vụ hành chính công" in letter
    assert "(qua Sở Nội vụ)" in letter
    # Yên Thổ answered NR03 "chưa áp dụng" with its reason: its receipt says so.
    receipt = "NR03: Tiếp nhận hồ sơ lưu động tại thôn, tổ dân phố (chưa áp dụng)"
    assert any(receipt in v and "UBND xã Yên Thổ" in v for k, v in texts.items() if k.endswith("text/plain"))
    # The communes' outline has the replication section, named for their one-stop shops.
    attached = [v for k, v in texts.items() if ".eml:de-cuong" in k]
    assert any("NHÂN RỘNG TẠI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG" in text for text in attached)


def test_the_province_sweeps_in_its_own_words(session: Session, tmp_path: Path) -> None:
    """The province's reminders, overdue notices and escalation (with its letter) over the
    propose deadline: none says huyện, thị trấn, Phòng Nội vụ or Bộ phận Một cửa; the
    escalation's words for the communes are "xã, phường"."""
    ctx = StepContext("test", load_settings().model_copy(update={"data_dir": tmp_path}))
    cycle = open_step(session, PROVINCE, ctx).cycle
    day = date(2026, 8, 17)
    while day <= date(2026, 10, 9):
        sweep_step(session, cycle, day, ctx)
        day += timedelta(days=1)
    notices = session.scalars(select(Notice).where(Notice.cycle_id == cycle.id)).all()
    kinds = {n.kind for n in notices}
    assert {"reminder", "overdue", "escalation"} <= kinds
    for notice in notices:
        for text in (notice.subject, notice.body_text, notice.body_html):
            for word in ("huyện", "thị trấn", "Phòng Nội vụ", "Bộ phận Một cửa", "Văn phòng HĐND"):
                assert word not in text, (notice.kind, word)
    escalation = next(n for n in notices if n.kind == "escalation" and "phường" in n.recipient_name)
    assert "chỉ số cải cách hành chính của xã, phường năm 2026" in escalation.body_text
    assert "(qua Sở Nội vụ)" in escalation.body_text
    letters = list(tmp_path.rglob("cong-van-don-doc-*.docx"))
    assert letters
    for letter in letters:
        text = _docx_text(letter)
        assert "huyện" not in text
        assert "thị trấn" not in text


def test_an_unknown_example_or_a_missing_folder_is_refused(tmp_path: Path) -> None:
    """`--cycle` names a bundled example or is refused with the choices; `--documents` an existing
    folder: exit 2, a Vietnamese line, nothing opened."""
    code, _out, err = invoke(tmp_path, "sample", "--cycle", "ha-noi-2026")
    assert code == 2
    assert "--cycle: không có chu kỳ mẫu 'ha-noi-2026'; hãy chọn: cao-bang-2026, vinh-linh-2024" in err
    code, _out, err = invoke(
        tmp_path, "sample", "--cycle", "cao-bang-2026", "--documents", str(tmp_path / "x")
    )
    assert code == 2
    assert "--documents: thư mục" in err
    assert "hãy tạo thư mục trước" in err
    assert not (tmp_path / "var" / "sangkien.sqlite3").exists()
