"""models.db."""
