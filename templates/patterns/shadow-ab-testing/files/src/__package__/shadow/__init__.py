"""Shadow A/B testing: the comparison report of the gateway's `shadow comparison` log lines."""
