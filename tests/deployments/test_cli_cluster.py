"""``sangkien deploy`` and ``sangkien worker`` refuse what cannot work, in the officer's words,
before touching any server: a watch that would crash every run, no server named, a server that
does not answer, a missing configuration. (``test_cluster`` runs both against a real server.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deployments.cluster_world import environment, sangkien
from tests.notifications.smtp_servers import free_port

SILENT = f"http://127.0.0.1:{free_port()}/api"  # nobody listens there


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--crash-after", "30"], "--crash-after: phải dài hơn khoảng cách giữa hai tín hiệu"),
        (["--heartbeat", "10"], "--heartbeat: Prefect gửi tín hiệu cách nhau ít nhất 30 giây"),
        (["--pool-limit", "0"], "--pool-limit: cần ít nhất 1 lượt chạy đồng thời"),
    ],
)
def test_a_watch_that_cannot_work_is_refused(args: list[str], message: str) -> None:
    """Heartbeats every 30 s watched for 30 s would crash every run: exit 2, no traceback."""
    done = sangkien(environment(PREFECT_API_URL=SILENT), "deploy", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_deploy_without_a_server_says_which_setting_is_missing(tmp_path: Path) -> None:
    """No PREFECT_API_URL: told to set it (Prefect would otherwise start a throwaway server)."""
    done = sangkien(environment(PREFECT_HOME=str(tmp_path)), "deploy")
    assert done.returncode == 2
    assert "chưa đặt PREFECT_API_URL" in done.stderr


@pytest.mark.parametrize("command", [["deploy"], ["worker", "--limit", "2"]])
def test_a_server_that_does_not_answer_exits_1_naming_it(command: list[str]) -> None:
    done = sangkien(environment(PREFECT_API_URL=SILENT), *command)
    assert done.returncode == 1
    assert f"máy chủ Prefect tại {SILENT} không trả lời" in done.stderr


def test_a_missing_configuration_is_named(tmp_path: Path) -> None:
    missing = str(tmp_path / "khong-co.toml")
    done = sangkien(environment(PREFECT_API_URL=SILENT), "deploy", "--config", missing)
    assert done.returncode == 2
    assert "khong-co.toml: không có tệp cấu hình chu kỳ" in done.stderr
