"""Tests through Prefect: flows run against the test harness (a real temporary API server)."""
