"""How the service logs: one JSON line per exchange on `dealgraph.access`, and every other line
with the id of the request it was written for."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

# The request id of the exchange being handled, for every log line written meanwhile.
REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record as `request_id`."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def log_config(level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for uvicorn and the service, writing to standard error."""
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "access": {"format": "%(message)s"},
        },
        "handlers": {
            "plain": {**handler, "formatter": "plain"},
            "access": {**handler, "formatter": "access"},
        },
        "loggers": {
            "dealgraph.access": {"handlers": ["access"], "level": level, "propagate": False},
            "dealgraph": {"handlers": ["plain"], "level": level, "propagate": False},
            "strawberry": {"handlers": ["plain"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["plain"], "level": level, "propagate": False},
        },
    }
