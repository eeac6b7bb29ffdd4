"""``sangkien serve``, ``up`` and ``demo``: the flows on a Prefect server, watched in its UI."""

from __future__ import annotations

import contextlib
import contextvars
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from deployments.cli_common import database
from deployments.stack import LocalStack
from models.cycle import find_cycle
from models.forms import DecisionApproval
from models.reporting import year_summary
from models.settings import load_settings
from notifications.documents.certificate import certificates_prefix
from notifications.notices.reports import STATE_LABELS
from notifications.templating import so

CYCLES = Path(__file__).parent / "cycles"
BUNDLED = CYCLES / "vinh-linh-2024.toml"  # the default: a district before the reform


def bundled_cycles() -> list[str]:
    """The names of the bundled example cycles (their files under ``deployments/cycles``)."""
    return sorted(path.stem for path in CYCLES.glob("*.toml"))


def bundled_cycle(name: str) -> Path:
    """The cycle file of a bundled example by its name (``cao-bang-2026``)."""
    if name not in bundled_cycles():
        typer.echo(
            f"--cycle: không có chu kỳ mẫu {name!r}; hãy chọn: {', '.join(bundled_cycles())}", err=True
        )
        raise typer.Exit(2)
    return CYCLES / f"{name}.toml"


Config = Annotated[Path, typer.Option("--config", help="Tệp cấu hình chu kỳ.")]


def _interrupt_on_sigterm() -> None:
    """A service manager's SIGTERM stops the stack as cleanly as Ctrl-C (no orphaned server)."""

    def _raise(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)


def _serve(config: Path) -> None:
    from prefect import serve

    from deployments.serving import build_deployments

    serve(*build_deployments(config), print_starting_message=True)


def serve_command(config: Config = BUNDLED) -> None:
    """Phục vụ các luồng (kèm lịch chạy) trên máy chủ Prefect đã cấu hình (PREFECT_API_URL)."""
    _serve(config)


def up_command(
    config: Config = BUNDLED,
    host: Annotated[
        str, typer.Option("--host", help="Địa chỉ lắng nghe; ngoài 127.0.0.1 cần đặt SANGKIEN_API_AUTH.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Cổng của giao diện và API.", min=1, max=65535)] = 4200,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url", help="Địa chỉ người dùng mở giao diện, ví dụ https://sangkien.tinh.gov.vn"
        ),
    ] = None,
) -> None:
    """Khởi động máy chủ Prefect (giao diện tại 127.0.0.1:4200), hộp thư thử và các luồng; Ctrl-C để dừng."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    _interrupt_on_sigterm()
    stack = LocalStack(load_settings(), host=host, port=port, public_url=public_url)
    try:
        stack.start()
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    with stack, temporary_settings(updates={PREFECT_API_URL: stack.api_url}), _documents() as documents:
        typer.echo(f"Giao diện Prefect: {stack.ui_url}")
        typer.echo(f"Văn bản và nhập tệp: {documents}")
        try:
            _serve(config)
        except KeyboardInterrupt:
            typer.echo("Đã dừng.")


@contextlib.contextmanager
def _documents() -> Iterator[str]:
    """The documents service in a thread while the stack runs; its address."""
    from deployments.documents_service import documents_service

    try:
        with documents_service() as server:
            yield server.origin
    except (RuntimeError, OSError) as exc:
        typer.echo(f"Không mở được dịch vụ văn bản: {exc}", err=True)
        raise typer.Exit(2) from None


def _print_summary(year: int, as_of: date, ui_url: str, documents: str) -> None:
    with database() as session:
        cycle = find_cycle(session, year)
        facts = year_summary(session, cycle, as_of)
    typer.echo(f"\nTóm tắt chu kỳ {year} ({facts['units']} đơn vị):")
    counts = f"đúng hạn {facts['on_time']}, trễ hạn {facts['late']}, chưa gửi {facts['never']}"
    typer.echo(f"- Đề xuất sáng kiến: {counts}")
    typer.echo(f"- Sáng kiến: {facts['initiatives']} đề xuất, {facts['recognized']} được công nhận")
    typer.echo("- Điểm cao nhất: " + "; ".join(f"{n} ({so(p)})" for n, p in facts["top"]))
    typer.echo("- Điểm thấp nhất: " + "; ".join(f"{n} ({so(p)})" for n, p in facts["bottom"]))
    notices = ", ".join(f"{STATE_LABELS.get(s, s)}: {n}" for s, n in sorted(facts["notices"].items()))
    typer.echo(f"- Thư: {notices}")
    out = load_settings().out_folder(year)
    certificates = certificates_prefix(year)  # one line for all of them
    papers = sorted(out.glob("*.docx"))
    for path in papers:
        if not path.name.startswith(certificates):
            typer.echo(f"- Văn bản: {path}")
    if count := sum(path.name.startswith(certificates) for path in papers):
        typer.echo(f"- Giấy chứng nhận: {count} tệp {out / certificates}*.docx")
    typer.echo(f"- Văn bản của chu kỳ: {documents}/chu-ky/{year}")
    typer.echo(f"- Giao diện Prefect: {ui_url}")


def demo_command(
    config: Config = BUNDLED,
    exit_after: Annotated[bool, typer.Option("--exit", help="Thoát sau khi in tóm tắt.")] = False,
) -> None:
    """Chạy lại cả năm của chu kỳ mẫu qua các luồng thật, in tóm tắt và giữ giao diện đến khi Ctrl-C."""
    from prefect.logging.handlers import APILogHandler
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from deployments.approvals import approve_when_paused
    from flows.annual_cycle import annual_cycle
    from models.cycle import load_cycle_config
    from tasks.progress import terminal_progress

    cycle_config = load_cycle_config(config)
    signer = cycle_config.signers["decision"]
    last = cycle_config.deadlines.last
    approval = DecisionApproval(
        number=f"{cycle_config.numbering.start:02d}/{cycle_config.numbering.decision_suffix}",
        issued_on=date.fromordinal(last.toordinal() + 45),
        signer_name=signer.name,
        signer_title=signer.title,
    )
    _interrupt_on_sigterm()
    with (
        LocalStack(load_settings()) as stack,
        temporary_settings(updates={PREFECT_API_URL: stack.api_url}),
        _documents() as documents,
    ):
        typer.echo(f"Giao diện Prefect: {stack.ui_url}")
        typer.echo(f"Văn bản và nhập tệp: {documents}")
        # The thread must see this context's Prefect settings (the API URL set above).
        context = contextvars.copy_context()
        approver = threading.Thread(target=context.run, args=(approve_when_paused, approval), daemon=True)
        approver.start()
        with terminal_progress(sys.stderr.isatty()):
            summary = annual_cycle(str(config))
        _print_summary(summary.year, approval.issued_on, stack.ui_url, documents)
        if exit_after:
            APILogHandler().flush()  # send the last run logs before the server stops
            return
        typer.echo("Giao diện vẫn mở; nhấn Ctrl-C để dừng.")
        try:
            _serve(config)
        except KeyboardInterrupt:
            typer.echo("Đã dừng.")


def yaml_command(config: Config = BUNDLED) -> None:
    """In ra prefect.yaml (cùng các triển khai của 'sangkien serve') cho nhóm máy xử lý 'sangkien'."""
    from deployments.serving import prefect_yaml

    relative = (
        config.resolve().relative_to(Path.cwd()) if config.resolve().is_relative_to(Path.cwd()) else config
    )
    typer.echo(prefect_yaml(config, str(relative)), nl=False)
