"""Rules, one module per rule, grouped by antipattern family (see `mlsd.check.registry`)."""
