"""prep-pred: what the preprocessing service and the prediction service share."""
