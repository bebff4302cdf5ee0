"""Logging for every command and every worker: plain lines, or one JSON object per line.

One `logging.config.dictConfig` for the root logger and uvicorn's, so that worker processes
(which uvicorn configures from the same dictionary) log exactly like the parent. With
LOG_FORMAT=json each line is an object with the time, level, logger, message and the id of
the request being served (`X-Request-ID`), plus `exception` when there is one; uvicorn's
access lines also carry their fields (client, method, path, status) as keys.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from api.config import Settings
from api.requests import request_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_ACCESS_FIELDS = ("client", "method", "path", "http_version", "status")


class RequestId(logging.Filter):
    """Stamps each record with the id of the request being served ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "pid": record.process,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            line.update(zip(_ACCESS_FIELDS, record.args, strict=False))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def config(settings: Settings) -> dict[str, Any]:
    """The dictConfig for `settings` (LOG_LEVEL, LOG_FORMAT), for us and for uvicorn."""
    level = settings.log_level.upper()
    json_lines = settings.log_format == "json"
    formatters: dict[str, Any] = {
        "line": {"()": JsonFormatter} if json_lines else {"format": TEXT_FORMAT},
        "access": (
            {"()": JsonFormatter}
            if json_lines
            else {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s',
            }
        ),
    }
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestId}},
        "formatters": formatters,
        "handlers": {
            "default": {**handler, "formatter": "line"},
            "access": {**handler, "formatter": "access"},
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.error": {"level": level, "handlers": [], "propagate": True},
            "uvicorn.access": {"level": level, "handlers": ["access"], "propagate": False},
        },
    }
