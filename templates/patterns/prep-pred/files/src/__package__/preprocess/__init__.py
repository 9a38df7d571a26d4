"""prep-pred's preprocessing service: the fitted transformer in front of the prediction service."""
