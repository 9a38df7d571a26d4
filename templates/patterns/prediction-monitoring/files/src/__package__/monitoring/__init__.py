"""Prediction monitoring: the drift monitor job (`python -m <package>.monitoring`).

It reads the newest entries of the prediction log (`PREDICTION_LOG_URL`), compares their
inputs and predicted labels with the training data (`reference.training_reference`) using
the population stability index (`drift.compare`), logs the result as JSON, exposes it as
Prometheus metrics (`metrics.publish`: Pushgateway and/or a text file) and exits 1 when
drift exceeds `DRIFT_PSI_THRESHOLD`. The serving-side metrics live in
`hooks/prediction_metrics.py`; this package is never imported by a service.
"""
