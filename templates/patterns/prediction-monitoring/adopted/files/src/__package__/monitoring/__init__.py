"""Monitoring from the gateway's prediction log (standard library only)."""
