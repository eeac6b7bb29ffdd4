"""Deployments are defined once: what ``serve`` serves is what ``prefect.yaml`` declares."""

from __future__ import annotations

import pytest
import yaml
from typer.testing import CliRunner

from deployments.cli import app
from deployments.serving import SPECS, build_deployments
from tests.conftest import REPO, VINH_LINH


def test_the_schedules_are_yearly_opening_and_daily_sweep_in_vietnam_time() -> None:
    """open-cycle at 07:00 on 15/01 each year, deadline-sweep at 07:00 daily, Asia/Ho_Chi_Minh."""
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH)}
    assert len(made) == len(SPECS) == 17
    opening = (made[("open-cycle", "yearly")].schedules or [])[0].schedule
    sweep = (made[("deadline-sweep", "daily")].schedules or [])[0].schedule
    assert (getattr(opening, "cron", None), getattr(opening, "timezone", None)) == (
        "0 7 15 1 *",
        "Asia/Ho_Chi_Minh",
    )
    assert (getattr(sweep, "cron", None), getattr(sweep, "timezone", None)) == (
        "0 7 * * *",
        "Asia/Ho_Chi_Minh",
    )
    assert made[("deadline-sweep", "daily")].parameters == {"cycle": 2024}
    assert not made[("record-review", "form")].schedules


def test_the_mailbox_is_read_every_15_minutes_of_working_hours_once_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """collect-replies: every 15 minutes, 07:00-17:45, Monday to Friday, Vietnam time, once a
    mailbox is configured (before that, on demand only: a schedule would fail every 15 minutes);
    another schedule from SANGKIEN_IMAP__SCHEDULE."""
    mailbox = ("collect-replies", "mailbox")
    monkeypatch.delenv("SANGKIEN_IMAP__HOST", raising=False)
    assert not {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH)}[mailbox].schedules
    monkeypatch.setenv("SANGKIEN_IMAP__HOST", "mail.vinhlinh.example.org")
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH)}[mailbox]
    schedule = (made.schedules or [])[0].schedule
    assert (getattr(schedule, "cron", None), getattr(schedule, "timezone", None)) == (
        "*/15 7-17 * * 1-5",
        "Asia/Ho_Chi_Minh",
    )
    assert made.parameters == {"cycle": 2024}
    monkeypatch.setenv("SANGKIEN_IMAP__SCHEDULE", "0 8,14 * * 1-6")
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH)}[mailbox]
    assert getattr((made.schedules or [])[0].schedule, "cron", None) == "0 8,14 * * 1-6"


def test_prefect_yaml_is_the_generated_one_and_lists_every_flow() -> None:
    """The committed prefect.yaml is what the command prints, and YAML tools read it."""
    result = CliRunner().invoke(
        app, ["deployments", "yaml", "--config", "deployments/cycles/vinh-linh-2024.toml"]
    )
    assert result.exit_code == 0, result.stderr
    committed = (REPO / "prefect.yaml").read_text(encoding="utf-8")
    assert committed == result.stdout
    document = yaml.safe_load(committed)
    entrypoints = {d["entrypoint"] for d in document["deployments"]}
    assert entrypoints == {spec.entrypoint for spec in SPECS}
    for entrypoint in entrypoints:
        path, function = entrypoint.split(":")
        assert f"def {function}(" in (REPO / path).read_text(encoding="utf-8")
    assert {d["work_pool"]["name"] for d in document["deployments"]} == {"sangkien"}
