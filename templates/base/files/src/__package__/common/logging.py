"""Structured logs: one JSON object per line on stdout.

Every record carries `service` and, inside a request, `request_id`. Extra fields passed with
`logger.info("msg", extra={...})` appear as top-level keys.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

from .request_id import current_request_id

_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error")
_QUIET_LOGGERS = ("uvicorn.access",)  # RequestIdMiddleware writes the access line


# The attributes every LogRecord has: the rest of a record's attributes are its extra fields.
_BLANK_RECORD = logging.LogRecord("", 0, "", 0, "", None, None)
_RECORD_ATTRIBUTES = frozenset([*vars(_BLANK_RECORD), "message", "asctime", "taskName"])
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: `time`, `level`, `logger`, `message`, then `exc_info` and
    `stack_info` when there are, then the record's extra fields (`extra={...}`, `service`,
    `request_id`). Values orjson cannot encode are written as their `str()`.

    Hand-written rather than a JSON-logging library's generic formatter: the prediction line
    is on every request's path, and python-json-logger's took about 1.6 times as long."""

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._second_text = ""

    def _time(self, created: float) -> str:
        """As logging's default `asctime` ("2026-01-31 12:00:00,123", local time); the
        date and time of day are formatted once per second."""
        second = int(created)
        if second != self._second:
            self._second_text = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
            self._second = second
        return f"{self._second_text},{int((created - second) * 1000):03d}"

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        return orjson.dumps(line, default=str, option=_ORJSON_OPTIONS).decode()


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
    handler.setFormatter(JsonFormatter())
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
