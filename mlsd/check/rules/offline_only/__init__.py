"""offline-only: models evaluated only offline, never against live outcomes (OO)."""
