"""notifications.notices."""
