"""The chair's approval: what the form shows, and the check of what the chair sent back.

The council recommends; the chair decides. The form lists every initiative the council decided
on, the recommended ones pre-selected; the chair may leave one out or add one, each change with a
reason. Nothing here trusts the form's own validation (the UI's, in English): every value is
checked again and every refusal is a Vietnamese sentence the form shows when it asks again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from pydantic import BaseModel, ConfigDict

from models.cycle.numbering import format_number
from models.review.recognition import Approval, Change
from models.text import clean_text, parse_date

_DIGITS = re.compile(r"^\d{6,8}$")
_LEADING_ID = re.compile(r"^\s*(\d+)\s*[.:)\-]?")


class Candidate(BaseModel):
    """One initiative the council decided on, as the form lists it."""

    model_config = ConfigDict(frozen=True)

    initiative_id: int
    title: str
    unit: str
    points: str  # the mean total, "68,66"
    votes: str  # "4/5 đồng ý"
    recommended: bool

    @property
    def label(self) -> str:
        """The choice the form shows: "12. Tên sáng kiến (Đơn vị)"."""
        title = self.title if len(self.title) <= 120 else self.title[:119] + "…"
        return f"{self.initiative_id}. {title} ({self.unit})"


class ChairContext(BaseModel):
    """What the chair's form needs: the recommendation, the dates and the numbering series."""

    model_config = ConfigDict(frozen=True)

    year: int
    candidates: tuple[Candidate, ...]
    review_ended_on: date
    today: date
    decision_suffix: str
    taken_numbers: tuple[str, ...]  # numbers already given in the decision series this year
    signer_name: str
    signer_title: str
    minutes: str  # how the description names the minutes: a file name or a link
    proposal: str  # and the Tờ trình

    @property
    def recommended(self) -> list[Candidate]:
        """The council's recommendation."""
        return [c for c in self.candidates if c.recommended]


def chair_date(value: object) -> date:
    """A date as the chair types it: dd/mm/yyyy or yyyy-mm-dd; a run of digits is refused (is
    06122024 the 6th of December or June 12th?)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        raise ValueError("chưa nhập ngày ký; hãy ghi dạng ngày/tháng/năm, ví dụ 06/12/2024")
    if _DIGITS.match(text):
        raise ValueError(
            f"ngày {text!r} không rõ ngày nào là ngày, tháng; hãy ghi có dấu gạch chéo, ví dụ 06/12/2024"
        )
    try:
        return parse_date(text)
    except ValueError:
        raise ValueError(
            f"ngày {text!r} không đúng định dạng; hãy ghi dạng ngày/tháng/năm, ví dụ 06/12/2024"
        ) from None


def _line(value: object, what: str, errors: list[str]) -> str:
    try:
        text = clean_text(str(value or ""), multiline=False)
    except ValueError as exc:
        errors.append(f"{what}: {exc}")
        return ""
    if not text:
        errors.append(f"chưa nhập {what}")
    return text[:200]


def _number(value: object, ctx: ChairContext, errors: list[str]) -> str:
    text = _line(value, "số quyết định", errors).replace(" ", "")
    if not text:
        return ""
    sequence, _, suffix = text.partition("/")
    if not sequence.isdigit() or suffix != ctx.decision_suffix:
        errors.append(
            f"số quyết định {text!r} không đúng sổ quyết định; hãy ghi dạng "
            f"{format_number(7, ctx.decision_suffix)} (số thứ tự, rồi /{ctx.decision_suffix})"
        )
        return ""
    number = format_number(int(sequence), ctx.decision_suffix)
    if int(sequence) < 1:
        errors.append("số quyết định phải từ 01 trở lên")
    elif number in ctx.taken_numbers:
        errors.append(f"số {number} đã cấp cho văn bản khác trong năm; hãy lấy số tiếp theo trong sổ")
    return number


def _reasons(text: str, changed: list[int]) -> dict[int, str]:
    """Reasons per initiative from "12: lý do" lines; one bare line is the reason of a single change."""
    found: dict[int, str] = {}
    bare: list[str] = []
    for line in text.splitlines():
        match = _LEADING_ID.match(line)
        if match and int(match.group(1)) in changed:
            found[int(match.group(1))] = line[match.end() :].strip()
        elif line.strip():
            bare.append(line.strip())
    if len(changed) == 1 and changed[0] not in found and bare:
        found[changed[0]] = " ".join(bare)
    return found


def _chosen(raw: object, ctx: ChairContext, errors: list[str]) -> set[int]:
    """The ids the chair kept selected ("12. Tên (Đơn vị)" or "12"); none sent: the recommendation."""
    if raw is None:
        return {c.initiative_id for c in ctx.recommended}
    known = {c.initiative_id for c in ctx.candidates}
    chosen: set[int] = set()
    for item in raw if isinstance(raw, list | tuple) else [raw]:
        match = _LEADING_ID.match(str(item))
        if match is None or int(match.group(1)) not in known:
            errors.append(f"sáng kiến {str(item)[:80]!r} không có trong danh sách Hội đồng đã xét")
        else:
            chosen.add(int(match.group(1)))
    return chosen


def check_answer(answer: Mapping[str, object], ctx: ChairContext) -> tuple[Approval | None, list[str]]:
    """The chair's approval from the form's values, or the Vietnamese reasons it is refused."""
    errors: list[str] = []
    number = _number(answer.get("number"), ctx, errors)
    issued_on: date | None = None
    try:
        issued_on = chair_date(answer.get("issued_on", ""))
    except ValueError as exc:
        errors.append(str(exc))
    if issued_on is not None and issued_on < ctx.review_ended_on:
        errors.append(
            f"ngày ký {issued_on:%d/%m/%Y} trước ngày Hội đồng xét xong ({ctx.review_ended_on:%d/%m/%Y}); "
            "quyết định chỉ ký sau khi Hội đồng đã xét"
        )
    elif issued_on is not None and issued_on > ctx.today:
        errors.append(f"ngày ký {issued_on:%d/%m/%Y} sau ngày hôm nay ({ctx.today:%d/%m/%Y})")
    signer_name = _line(answer.get("signer_name"), "họ tên người ký", errors)
    signer_title = _line(answer.get("signer_title"), "chức vụ người ký", errors)
    by_id = {c.initiative_id: c for c in ctx.candidates}
    chosen = _chosen(answer.get("recognized"), ctx, errors)
    recommended = {c.initiative_id for c in ctx.recommended}
    removed, added = sorted(recommended - chosen), sorted(chosen - recommended)
    try:
        reasons_text = clean_text(str(answer.get("reasons") or ""), multiline=True)
    except ValueError as exc:
        errors.append(f"lý do: {exc}")
        reasons_text = ""
    reasons = _reasons(reasons_text, removed + added)
    changes = []
    for initiative_id in removed + added:
        action = "deselect" if initiative_id in removed else "add"
        reason = reasons.get(initiative_id, "")
        if len(reason) < 3:
            verb = "bỏ chọn" if action == "deselect" else "thêm"
            errors.append(
                f"{verb} sáng kiến số {initiative_id} ({by_id[initiative_id].title[:80]}) phải nêu lý do: "
                f"ghi vào ô Lý do một dòng dạng '{initiative_id}: lý do'"
            )
        changes.append(Change(initiative_id, action, reason[:2000]))
    if not chosen:
        errors.append("danh sách công nhận trống; quyết định phải công nhận ít nhất một sáng kiến")
    if errors or issued_on is None:
        return None, errors
    return Approval(number, issued_on, signer_name, signer_title, tuple(changes)), []


def description(ctx: ChairContext, errors: Sequence[str] = ()) -> str:
    """The form's Markdown: what the council recommends, the papers, and what to fix."""
    lines = []
    if errors:
        lines += ["### Chưa ban hành được: hãy sửa rồi gửi lại", ""]
        lines += [f"- **{e[:1].upper()}{e[1:]}**" for e in errors]
        lines.append("")
    recommended = ctx.recommended
    others = [c for c in ctx.candidates if not c.recommended]
    lines += [
        f"## Phê duyệt quyết định công nhận sáng kiến năm {ctx.year}",
        "",
        (
            f"Hội đồng sáng kiến đề nghị công nhận **{len(recommended):02d}** sáng kiến; "
            f"không đề nghị công nhận **{len(others):02d}** sáng kiến."
        ),
        "",
        f"- Biên bản họp Hội đồng: {ctx.minutes}",
        f"- Tờ trình đề nghị công nhận sáng kiến: {ctx.proposal}",
        "",
        "| Số | Tên sáng kiến | Đơn vị | Điểm TB | Phiếu | Hội đồng |",
        "|---:|---|---|---:|---|---|",
    ]
    for c in ctx.candidates:
        verdict = "Đề nghị công nhận" if c.recommended else "Không đề nghị"
        title = c.title.replace("|", "/")
        unit = c.unit.replace("|", "/")
        lines.append(f"| {c.initiative_id} | {title} | {unit} | {c.points} | {c.votes} | {verdict} |")
    lines += [
        "",
        (
            "Ô **Sáng kiến được công nhận** đã chọn sẵn các sáng kiến Hội đồng đề nghị. Bỏ chọn một "
            "sáng kiến, hoặc chọn thêm một sáng kiến Hội đồng không đề nghị, thì ghi lý do vào ô "
            "**Lý do**, mỗi dòng một sáng kiến dạng `12: lý do`. Ngày ký ghi dạng ngày/tháng/năm, ví dụ "
            f"06/12/2024; không trước ngày {ctx.review_ended_on:%d/%m/%Y} và không sau ngày "
            f"{ctx.today:%d/%m/%Y}."
        ),
    ]
    return "\n".join(lines)
