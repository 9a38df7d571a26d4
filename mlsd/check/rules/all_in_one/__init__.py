"""all-in-one: several models in one serving unit (AIO)."""
