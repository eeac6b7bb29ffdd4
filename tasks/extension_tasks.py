"""Tasks of extension requests: store a request or a decision from its form, queue the unit's mail.

Each wraps one plain function of ``models.extensions`` or ``notifications.extension_notices``;
re-running any of them stores and queues nothing twice (the same request is recognised, the same
decision changes nothing, the outbox dedupes by request).
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from models.cycle.tables import Cycle
from models.forms import DecisionForm, ExtensionForm
from models.tracking.extensions import decide_extension, request_extensions
from notifications.mail.outbox import queue_notices
from notifications.notices.extension import extension_notices
from tasks.cycle_tasks import sender_domain
from tasks.resources import retried, unit_of_work


class ExtensionSummary(BaseModel):
    """What a request or decision run did: the request and whether it was new or changed."""

    model_config = ConfigDict(frozen=True)

    request_id: int
    status: str
    changed: bool


@retried("store-extension-request")
def request_extension_task(cycle_id: int, form: ExtensionForm, today: date, actor: str) -> ExtensionSummary:
    """Check and store the request (the same request again is recognised, not stored twice)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        new, again = request_extensions(session, cycle, [(1, form.request())], "form", today, actor)
        return ExtensionSummary(request_id=(new + again)[0], status="pending", changed=bool(new))


@retried("store-extension-decision")
def decide_extension_task(cycle_id: int, form: DecisionForm, today: date, actor: str) -> ExtensionSummary:
    """Record the decision (the same decision again changes nothing)."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        request, changed = decide_extension(session, cycle, form.decision(), today, actor)
        return ExtensionSummary(request_id=request.id, status=request.status, changed=changed)


@retried("queue-extension-notices")
def queue_extension_notices_task(cycle_id: int, kind: str, request_id: int) -> int:
    """The receipt or the decision of one request, queued once."""
    with unit_of_work() as session:
        cycle = session.get_one(Cycle, cycle_id)
        return queue_notices(session, extension_notices(session, cycle, kind, [request_id]), sender_domain())
