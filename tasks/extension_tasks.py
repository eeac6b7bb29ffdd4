"""Tasks of requests between the steps: a unit's request for more time and its decision, the
council's request for more information and the unit's answer. Each stores and tells the unit once;
re-running any of them stores and queues nothing twice."""

from __future__ import annotations

from datetime import date

from prefect.logging import get_run_logger
from pydantic import BaseModel, ConfigDict

from models.cycle import Cycle
from models.forms import AnswerForm, DecisionForm, ExtensionForm, InformationForm
from notifications.steps import answer_information_step, ask_information_step, decide_step, request_step
from tasks.resources import retried, step_context, unit_of_work


class ExtensionSummary(BaseModel):
    """What a request or decision run did: the request and whether it was new or changed."""

    model_config = ConfigDict(frozen=True)

    request_id: int
    status: str
    changed: bool
    notices: int = 0

    @property
    def message(self) -> str:
        """The request's state in the run's logs."""
        what = "đã ghi nhận" if self.changed else "không thay đổi (đã có từ trước)"
        status = {"pending": "chờ quyết định", "approved": "đồng ý gia hạn", "refused": "không đồng ý"}
        shown = status.get(self.status, self.status)
        return f"Đơn xin gia hạn số {self.request_id}: {what}, {shown}; {self.notices} thư."

    def told(self) -> ExtensionSummary:
        """Log the message at INFO; the summary itself."""
        get_run_logger().info(self.message)
        return self


class InformationSummary(BaseModel):
    """The council's request for more information on an initiative, and what this run changed."""

    model_config = ConfigDict(frozen=True)

    request_id: int
    initiative_id: int
    changed: bool
    notices: int = 0
    due_on: date | None = None

    @property
    def message(self) -> str:
        """The request for information in the run's logs."""
        what = "đã ghi nhận" if self.changed else "không thay đổi (đã có từ trước)"
        due = f", hạn bổ sung {self.due_on:%d/%m/%Y}" if self.due_on else ""
        return f"Đề nghị bổ sung về sáng kiến số {self.initiative_id}: {what}{due}; {self.notices} thư."

    def told(self) -> InformationSummary:
        """Log the message at INFO; the summary itself."""
        get_run_logger().info(self.message)
        return self


@retried("store-extension-request")
def request_extension_task(cycle_id: int, form: ExtensionForm, today: date, actor: str) -> ExtensionSummary:
    """Check and store the request (the same request again is recognised, not stored twice)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        made = request_step(session, cycle, [(1, form.request())], "form", today, step_context(actor))
        request_id = (made.new + made.again)[0]
        return ExtensionSummary(
            request_id=request_id, status=made.status, changed=made.changed, notices=made.notices
        ).told()


@retried("store-extension-decision")
def decide_extension_task(cycle_id: int, form: DecisionForm, today: date, actor: str) -> ExtensionSummary:
    """Record the decision (the same decision again changes nothing)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        made = decide_step(session, cycle, form.decision(), today, step_context(actor))
        return ExtensionSummary(
            request_id=made.again[0], status=made.status, changed=made.changed, notices=made.notices
        ).told()


@retried("ask-for-information")
def ask_information_task(cycle_id: int, form: InformationForm, today: date, actor: str) -> InformationSummary:
    """Record the council's request to the unit (the initiative's review waits) and tell the unit."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        asked = ask_information_step(
            session,
            cycle,
            form.initiative_id,
            form.member,
            form.question,
            today,
            step_context(actor),
            form.due(),
        )
        return InformationSummary(
            request_id=asked.request_id,
            initiative_id=asked.initiative_id,
            changed=asked.new,
            notices=asked.notices,
            due_on=asked.due_on,
        ).told()


@retried("record-information")
def answer_information_task(cycle_id: int, form: AnswerForm, today: date, actor: str) -> InformationSummary:
    """Record the unit's answer: the council's review of the initiative goes on."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        request_id, changed = answer_information_step(
            session, cycle, form.initiative_id, form.answer, today, step_context(actor)
        )
        summary = InformationSummary(request_id=request_id, initiative_id=form.initiative_id, changed=changed)
    return summary.told()
