"""``sangkien deploy`` and ``sangkien worker``: the scale-out, one command each.

``deploy`` runs once, from any machine that reaches the Prefect server (``PREFECT_API_URL``):
the work pool, every deployment and the watch on dead machines (``deployments.cluster``).
``worker`` runs on every machine that runs flows: a Prefect process worker on the pool that
takes at most ``--limit`` runs at a time, so a burst of queued runs spreads over the workers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from deployments.cli_common import fail
from deployments.cli_stack import BUNDLED, Config
from deployments.serving import INSTALLED, WORK_POOL
from deployments.stack import api_answers


def _api_url() -> str:
    """The Prefect server this machine is told to use; the officer is told when there is none."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise fail(
            "chưa đặt PREFECT_API_URL (địa chỉ API của máy chủ Prefect, ví dụ http://10.0.0.5:4200/api)"
        )
    if not api_answers(url):
        raise fail(f"máy chủ Prefect tại {url} không trả lời; kiểm tra PREFECT_API_URL và máy chủ", 1)
    return str(url)


def _stored(config: Path) -> str:
    """The cycle file as runs open it: relative to the checkout when it lies in it (each worker
    enters its own checkout), else as given (then it must exist at that path on every worker)."""
    resolved = config.resolve()
    return str(resolved.relative_to(INSTALLED)) if resolved.is_relative_to(INSTALLED) else str(resolved)


def deploy_command(
    config: Config = BUNDLED,
    pool_limit: Annotated[
        int, typer.Option("--pool-limit", help="Số lượt chạy đồng thời tối đa của cả nhóm máy.")
    ] = 8,
    heartbeat: Annotated[
        int, typer.Option("--heartbeat", help="Số giây giữa hai tín hiệu của một lượt chạy (ít nhất 30).")
    ] = 30,
    crash_after: Annotated[
        int,
        typer.Option("--crash-after", help="Số giây không có tín hiệu thì lượt chạy bị đánh dấu đã dừng."),
    ] = 120,
) -> None:
    """Tạo nhóm máy xử lý 'sangkien', triển khai mọi luồng và cơ chế phát hiện máy chạy đã dừng."""
    from deployments.cluster import ClusterPlan, deploy_cluster

    plan = ClusterPlan(pool_limit=pool_limit, heartbeat=heartbeat, crash_after=crash_after)
    if problems := plan.problems():
        for problem in problems:
            typer.echo(f"Lỗi: {problem}", err=True)
        raise typer.Exit(2)
    if not config.is_file():
        raise fail(f"{config}: không có tệp cấu hình chu kỳ")
    url = _api_url()
    count = deploy_cluster(config, _stored(config), plan)
    typer.echo(f"Đã triển khai {count} luồng lên nhóm máy xử lý '{WORK_POOL}' tại {url}.")
    typer.echo(
        f"Lượt chạy không gửi tín hiệu quá {crash_after} giây được đánh dấu đã dừng; "
        "lượt chạy theo lịch được chạy lại trên máy khác."
    )


def worker_command(
    limit: Annotated[
        int, typer.Option("--limit", help="Số lượt chạy đồng thời tối đa của máy này.", min=1)
    ] = 2,
    name: Annotated[str | None, typer.Option("--name", help="Tên của máy chạy trong giao diện.")] = None,
) -> None:
    """Chạy các luồng của nhóm máy 'sangkien' trên máy này (Ctrl-C để dừng)."""
    _api_url()
    prefect = str(Path(sys.executable).parent / "prefect")
    command = [prefect, "worker", "start", "--pool", WORK_POOL, "--type", "process", "--limit", str(limit)]
    command += ["--no-create-pool-if-not-found", *(["--name", name] if name else [])]
    sys.stdout.flush()
    # The worker replaces this process: a service manager's signals reach Prefect's worker itself.
    os.execv(prefect, command)  # noqa: S606 - our own environment's prefect, no shell
