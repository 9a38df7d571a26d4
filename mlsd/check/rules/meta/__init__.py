"""meta: findings about the checker itself (suppressions)."""
