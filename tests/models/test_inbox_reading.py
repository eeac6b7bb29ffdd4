"""Reading a unit's message and its files before anything is opened: Message-IDs, senders,
names, automatic messages, the workbook's identity, the roster's alternate addresses."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models.cycle import Cycle, Unit
from models.errors import ImportRejected
from models.imports import import_file
from models.inbox import inspect, read_message
from models.inbox.mail import MAX_ATTACHMENTS, Attachment
from models.intake import INITIATIVES, WorkbookIdentity, check_xlsx, workbook_identity
from notifications.sheets.workbooks import submission_workbook
from tests.conftest import write_csv


def message(**headers: str) -> EmailMessage:
    made = EmailMessage()
    for name, value in {"From": "xavinho@vinhlinh.example.org", "Subject": "Hồ sơ", **headers}.items():
        made[name] = value
    made.set_content("Gửi kèm hồ sơ.")
    return made


def test_a_message_id_is_kept_only_when_it_has_the_shape_of_one() -> None:
    """A real one is answered to; garbage is replaced by the digest of the bytes, never echoed."""
    good = read_message(message(**{"Message-ID": "<abc.1@vinhlinh.example.org>"}).as_bytes())
    assert (good.message_id, good.threadable) == ("<abc.1@vinhlinh.example.org>", True)
    odd = read_message(message(**{"Message-ID": "not an id; <no-at-sign>"}).as_bytes())
    assert odd.threadable is False
    assert odd.message_id.endswith("@sangkien.invalid>")
    assert read_message(message().as_bytes()).message_id == read_message(message().as_bytes()).message_id


def test_the_sender_is_one_address_in_lower_case_or_none() -> None:
    """'Name <Addr>' gives the address; two From addresses or none give no sender at all."""
    assert read_message(message(From="UBND xã Vĩnh Ô <XaVinhO@VinhLinh.example.org>").as_bytes()).sender == (
        "xavinho@vinhlinh.example.org"
    )
    assert read_message(message(From="a@x.example, b@y.example").as_bytes()).sender is None
    assert read_message(message(From="undisclosed").as_bytes()).sender is None


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"From": "MAILER-DAEMON@mail.vinhlinh.example.org"}, "thư tự động từ mailer-daemon@"),
    ],
)
def test_automatic_messages_are_recognised(headers: dict[str, str], why: str) -> None:
    """Out-of-office replies, bulk mail and bounces are never answered (RFC 3834)."""
    automatic = read_message(message(**headers).as_bytes()).automatic
    assert automatic is not None
    assert automatic.startswith(why)


def test_attachment_names_lose_folders_and_controls_and_stop_at_the_limit() -> None:
    """'../../x.xlsx' is 'x.xlsx'; a control character is a space; past 20 files the rest are
    counted, not read."""
    made = message()
    made.add_attachment(b"a", maintype="application", subtype="octet-stream", filename="..\\..\\etc\\x.xlsx")
    made.add_attachment(b"b", maintype="application", subtype="octet-stream", filename="a\tb.csv")
    for n in range(MAX_ATTACHMENTS):
        made.add_attachment(b"c", maintype="application", subtype="octet-stream", filename=f"{n}.pdf")
    read = read_message(made.as_bytes())
    assert [a.filename for a in read.attachments[:2]] == ["x.xlsx", "a b.csv"]
    assert (len(read.attachments), read.skipped) == (MAX_ATTACHMENTS, 2)


def test_the_calls_workbook_carries_its_identity_and_passes_the_checks() -> None:
    """Kind, year, authority and unit in document properties; any other workbook has none."""
    identity = WorkbookIdentity("initiatives", 2024, "464", "19426")
    book = submission_workbook(INITIATIVES, "Sáng kiến", [{"unit_code": "19426"}], {}, identity)
    check_xlsx(book)
    assert workbook_identity(book) == identity
    assert workbook_identity(submission_workbook(INITIATIVES, "Sáng kiến", [], {})) is None
    checked = inspect(Attachment("de-xuat.xlsx", "application/octet-stream", book), 10_000_000)
    assert (checked.verdict, checked.kind, checked.identity) == ("readable", "initiatives", identity)


def test_a_csv_is_known_by_its_header_and_a_picture_is_ignored() -> None:
    """Any file with one of the import headers is of that kind; other files are not submissions."""
    header = ",".join(INITIATIVES.columns.values()).encode()
    assert inspect(Attachment("a.csv", "text/csv", header + b"\n"), 10_000).kind == "initiatives"
    assert inspect(Attachment("a.csv", "text/csv", b"x,y\n1,2\n"), 10_000).kind is None
    assert inspect(Attachment("anh.jpg", "image/jpeg", b"\xff\xd8"), 10_000).verdict == "ignored"


def test_the_roster_takes_alternate_addresses_in_lower_case(
    session: Session, cycle: Cycle, tmp_path: Path
) -> None:
    """'Thư điện tử khác' lists the other addresses a unit sends from; a bad one is refused."""
    path = write_csv(
        tmp_path / "units.csv",
        "code,name,kind,email,alternate_emails",
        "19426,UBND xã Vĩnh Ô,commune,xavinho@vinhlinh.example.org,"
        "VanThu.VinhO@vinhlinh.example.org; a@b.example",
    )
    import_file(session, cycle, path, "units", today=cycle.opens_on, actor="test")
    unit = session.query(Unit).filter(Unit.code == "19426", Unit.valid_to.is_(None)).one()
    assert unit.alternate_emails == "vanthu.vinho@vinhlinh.example.org; a@b.example"
    bad = write_csv(
        tmp_path / "bad.csv", "code,name,kind,alternate_emails", "19426,UBND xã Vĩnh Ô,commune,khong-phai"
    )
    with pytest.raises(ImportRejected) as refused:
        import_file(session, cycle, bad, "units", today=cycle.opens_on, actor="test")
    assert str(refused.value).startswith("bad.csv:2:alternate_emails: địa chỉ thư 'khong-phai' không hợp lệ")
