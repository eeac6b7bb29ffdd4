"""notifications.documents."""
