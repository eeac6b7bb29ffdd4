"""The delivery fixtures, for the security tests of the deliverer."""

from tests.notifications.conftest import cycle_id, queue

__all__ = ["cycle_id", "queue"]
