"""Tests of notices: rendering, the outbox, delivery against real SMTP servers."""
