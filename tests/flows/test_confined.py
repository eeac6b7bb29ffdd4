"""Through the API a flow reads files only from the intake folder: a path anywhere else on the
worker is refused before it is opened, so nothing of it can show in the run's message."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.import_submissions import import_submissions
from flows.open_cycle import open_cycle
from models.errors import InvalidInput
from tests.flows.conftest import World


def test_a_path_outside_the_intake_folder_is_refused_unread(world: World, tmp_path: Path) -> None:
    """The worker's own file stays unread; the message names the folder and the parameter."""
    open_cycle()
    secret = tmp_path / "secret.csv"
    secret.write_text("mật khẩu,abc123\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as refused:
        import_submissions(2024, str(secret), "units")
    message = str(refused.value)
    assert "chỉ nhận tệp trong thư mục nhận tệp" in message
    assert "tham số path" in message
    assert "abc123" not in message
    linked = world.data_dir / "intake" / "link.csv"
    linked.parent.mkdir(parents=True, exist_ok=True)
    linked.symlink_to(secret)
    with pytest.raises(InvalidInput, match="chỉ nhận tệp trong thư mục nhận tệp"):
        import_submissions(2024, str(linked), "units")
