"""Structured logs: one JSON object per line on stdout.

Every record carries `service` and, inside a request, `request_id`. Extra fields passed with
`logger.info("msg", extra={...})` appear as top-level keys.
"""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.orjson import OrjsonFormatter

from .request_id import current_request_id

_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
_QUIET_LOGGERS = ("uvicorn.access",)  # RequestIdMiddleware writes the access line


class _JsonHandler(logging.StreamHandler):
    """Our stdout handler: recognised (and replaced) when logging is configured again."""


class _ContextFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        record.__dict__.pop("color_message", None)  # uvicorn's ANSI copy of the message
        request_id = current_request_id()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Send every log record (ours and uvicorn's) to stdout as JSON lines.

    Calling it again replaces its own handler (never two JSON lines per record) and leaves
    other handlers alone (e.g. pytest's `caplog`)."""
    handler = _JsonHandler(sys.stdout)
    handler.setFormatter(
        OrjsonFormatter(  # orjson: the fastest of python-json-logger's encoders
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_ContextFilter(service))
    # The lines carry no thread, process or caller fields: skip collecting them for every
    # record (the "Optimization" section of Python's logging HOWTO), a third of a line's cost
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _JsonHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    for name in _QUIET_LOGGERS:
        quiet = logging.getLogger(name)
        quiet.handlers.clear()
        quiet.propagate = False


def get_logger(name: str) -> logging.Logger:
    return logging.getLogger(name)
