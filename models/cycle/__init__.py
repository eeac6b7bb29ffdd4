"""models.cycle."""
