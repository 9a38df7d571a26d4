"""The load test of the service in front of which mlsd stands (Locust, with an SLO gate)."""
