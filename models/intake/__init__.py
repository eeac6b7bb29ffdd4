"""models.intake."""
