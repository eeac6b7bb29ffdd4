"""Deployments are defined once: what ``serve`` serves is what ``prefect.yaml`` declares."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from typer.testing import CliRunner

from deployments.cli import app
from deployments.serving import SPECS, build_deployments
from tests.conftest import REPO, VINH_LINH

BEFORE_OPENING, DURING, NEXT_YEAR = date(2024, 1, 10), date(2024, 9, 1), date(2025, 2, 1)


def test_the_schedules_are_yearly_opening_and_daily_sweep_in_vietnam_time() -> None:
    """open-cycle at 07:00 on 15/01 each year, deadline-sweep at 07:00 daily, Asia/Ho_Chi_Minh."""
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH, BEFORE_OPENING)}
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


def test_a_closed_cycle_gets_no_schedule_and_an_opened_one_no_second_opening() -> None:
    """Once the 2024 cycle's year is over nothing of it runs by itself (no daily sweeps of a closed
    cycle); once it opened, the yearly opening is not registered (it would open 2024 again in 2025)."""
    closed = build_deployments(VINH_LINH, NEXT_YEAR)
    assert [d.name for d in closed if d.schedules] == []
    running = {d.name for d in build_deployments(VINH_LINH, DURING) if d.schedules}
    assert running == {"daily"}


def test_the_run_forms_are_vietnamese_with_vietnamese_choices_and_plain_optional_dates() -> None:
    """Each parameter has its Vietnamese title; a choice lists Vietnamese labels; an optional date
    is one date field (no 'null' alternative, shown by Prefect as "Property is type None")."""
    made = {d.flow_name: d for d in build_deployments(VINH_LINH, DURING)}
    sweep = made["deadline-sweep"]._parameter_openapi_schema.model_dump()
    assert sweep["properties"]["cycle"]["title"] == "Năm của chu kỳ"
    assert sweep["properties"]["as_of"] == {
        "format": "date",
        "type": "string",
        "title": "Ngày quét",
        "description": "Để trống: hôm nay",
        "position": 1,
    }
    imports = made["import-submissions"]._parameter_openapi_schema.model_dump()["properties"]
    assert "Đề xuất sáng kiến" in imports["kind"]["enum"]
    assert imports["upload_id"]["title"] == "Số tệp tải lên"
    form = made["submit-initiative"]._parameter_openapi_schema.model_dump()
    initiative = form["definitions"]["InitiativeForm"]["properties"]
    assert initiative["solution_type"]["enum"] == [
        "Kỹ thuật",
        "Quản lý",
        "Tác nghiệp",
        "Ứng dụng tiến bộ kỹ thuật",
    ]
    assert initiative["unit_code"]["title"] == "Mã đơn vị"
    assert initiative["submitted_on"]["type"] == "string"
    assert "anyOf" not in initiative["submitted_on"]
    assert "submitted_on" not in form["definitions"]["InitiativeForm"].get("required", [])
    assert made["submit-initiative"].parameters == {"form": {"cycle": 2024}}
    titles = [
        prop.get("title", name)
        for d in made.values()
        for name, prop in d._parameter_openapi_schema.model_dump()["properties"].items()
        if d.flow_name != "recognize-initiatives"  # its form is the recognition helper's
    ]
    assert all(title[:1].isupper() for title in titles), titles


def test_the_mailbox_is_read_every_15_minutes_of_working_hours_once_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """collect-replies: every 15 minutes, 07:00-17:45, Monday to Friday, Vietnam time, once a
    mailbox is configured (before that, on demand only: a schedule would fail every 15 minutes);
    another schedule from SANGKIEN_IMAP__SCHEDULE."""
    mailbox = ("collect-replies", "mailbox")
    monkeypatch.delenv("SANGKIEN_IMAP__HOST", raising=False)
    assert not {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH, DURING)}[mailbox].schedules
    monkeypatch.setenv("SANGKIEN_IMAP__HOST", "mail.vinhlinh.example.org")
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH, DURING)}[mailbox]
    schedule = (made.schedules or [])[0].schedule
    assert (getattr(schedule, "cron", None), getattr(schedule, "timezone", None)) == (
        "*/15 7-17 * * 1-5",
        "Asia/Ho_Chi_Minh",
    )
    assert made.parameters == {"cycle": 2024}
    monkeypatch.setenv("SANGKIEN_IMAP__SCHEDULE", "0 8,14 * * 1-6")
    made = {(d.flow_name, d.name): d for d in build_deployments(VINH_LINH, DURING)}[mailbox]
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
