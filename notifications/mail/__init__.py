"""notifications.mail."""
