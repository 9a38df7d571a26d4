"""no-logging: predictions that leave no trace (NL)."""
