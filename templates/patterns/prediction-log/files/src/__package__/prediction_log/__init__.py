"""Prediction log: every prediction of the front service, written in the background.

The request path only puts entries on a bounded in-process queue (`writer.PredictionLogWriter`);
a writer thread takes them in batches and writes them to the sink named by `PREDICTION_LOG_URL`
(`sinks.open_sink`: SQLite or PostgreSQL through SQLAlchemy, or a JSONL file), retrying with
tenacity while the sink is down. A full buffer drops new entries and counts them in
`prediction_log_dropped_total`; predictions never wait for the sink.
"""
