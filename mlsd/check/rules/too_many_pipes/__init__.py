"""too-many-pipes: tangled pipelines, orchestrators and data-store clients (TMP)."""
