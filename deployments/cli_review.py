"""``sangkien review ask|answer``: the council asks a unit for more information on an initiative,
and the unit's answer is recorded (the initiative's review waits for it in between)."""

from __future__ import annotations

from typing import Annotated

import typer

from deployments.cli_common import Authority, Year, actor, as_date, on_cycle
from deployments.cli_output import echo_lines
from notifications.steps import StepContext, answer_information_step, ask_information_step

review_app = typer.Typer(help="Hội đồng sáng kiến: đề nghị đơn vị bổ sung thông tin.", no_args_is_help=True)
Initiative = Annotated[int, typer.Option("--initiative", help="Mã sáng kiến.", min=1)]
Today = Annotated[str | None, typer.Option("--today", help="Ngày đề nghị hoặc trả lời (mặc định: hôm nay).")]


@review_app.command("ask")
def ask_command(
    year: Year,
    initiative: Initiative,
    member: Annotated[str, typer.Option("--member", help="Thành viên Hội đồng đề nghị (thường là Thư ký).")],
    question: Annotated[str, typer.Option("--question", help="Nội dung đề nghị đơn vị bổ sung.")],
    until: Annotated[
        str | None, typer.Option("--until", help="Hạn bổ sung (mặc định: theo cấu hình).")
    ] = None,
    authority: Authority = None,
    today: Today = None,
) -> None:
    """Đề nghị đơn vị bổ sung thông tin về một sáng kiến; việc xét sáng kiến chờ đơn vị trả lời."""
    with on_cycle(year, authority, today, "--today") as (session, cycle, day):
        due = as_date(until, "--until", cycle.timezone) if until else None
        ctx = StepContext(actor("review ask"))
        asked = ask_information_step(session, cycle, initiative, member, question, day, ctx, due)
        state = "Đã ghi" if asked.new else "Đã có (giữ nguyên)"
        told = [
            (
                f"{state} đề nghị bổ sung số {asked.request_id} về sáng kiến số {initiative}, "
                f"hạn {asked.due_on:%d/%m/%Y}."
            ),
            f"Thư gửi đơn vị: {asked.notices} thư mới vào hàng đợi.",
        ]
    echo_lines(told)


@review_app.command("answer")
def answer_command(
    year: Year,
    initiative: Initiative,
    answer: Annotated[str, typer.Option("--answer", help="Nội dung đơn vị bổ sung.")],
    authority: Authority = None,
    today: Today = None,
) -> None:
    """Ghi nhận nội dung đơn vị bổ sung; Hội đồng tiếp tục xét sáng kiến."""
    with on_cycle(year, authority, today, "--today") as (session, cycle, day):
        request_id, changed = answer_information_step(
            session, cycle, initiative, answer, day, StepContext(actor("review answer"))
        )
    word = "Đã ghi nhận" if changed else "Đã ghi nhận trước đó"
    echo_lines([f"{word} trả lời của đơn vị cho đề nghị bổ sung số {request_id}."])
