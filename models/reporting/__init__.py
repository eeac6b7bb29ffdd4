"""models.reporting."""
