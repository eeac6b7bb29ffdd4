"""models.tracking."""
