"""Training: never imported by serving code (it needs the `training` extra)."""
