"""models.review."""
