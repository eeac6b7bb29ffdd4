"""A deliverer in its own process, for the test that kills one: URL PORT LEASE_SECONDS BATCH."""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from models.db import make_engine
from models.settings import SmtpSettings
from notifications.mail.delivery import deliver_notices


def main() -> None:
    """Deliver everything claimable, slowly enough to be killed in the middle."""
    url, port, lease, batch = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    smtp = SmtpSettings(host="127.0.0.1", port=port, sender="noivu@vinhlinh.example.org", timeout=5)
    engine = make_engine(url)
    asyncio.run(deliver_notices(engine, smtp, batch_size=batch, lease=timedelta(seconds=lease)))


if __name__ == "__main__":
    main()
