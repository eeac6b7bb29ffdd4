"""Tests mirror the packages; data-layer tests run on a SQLite file and on PostgreSQL."""
