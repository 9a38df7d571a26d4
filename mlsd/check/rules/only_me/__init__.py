"""only-me: a system only its author can train or run (OM)."""
