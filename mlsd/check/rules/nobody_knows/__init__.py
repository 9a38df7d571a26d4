"""nobody-knows: no owner, no docs, no versions, no monitoring (NK)."""
