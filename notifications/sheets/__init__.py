"""notifications.sheets."""
