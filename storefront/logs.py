"""The logging configuration, in one place: Django's (development and production settings) and
gunicorn's own loggers are built here. Plain dicts and no Django import, so gunicorn's master
process can read it before the app is loaded."""
from __future__ import annotations

import os

# One JSON object per line, for whatever collects container logs; ISO 8601 times in UTC,
# whatever TIME_ZONE the shop displays in.
JSON_FORMATTER = {
    "()": "pythonjsonlogger.json.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
    "timestamp": True,
}


def level() -> str:
    return os.environ.get("LOG_LEVEL", "INFO").upper()


def django_logging(*, production: bool) -> dict:
    """Django's LOGGING: plain lines on the console in development; JSON in production, where bots
    probing random Host headers are noise, not errors."""
    # A refusal (4xx) is expected behaviour: one plain line, no traceback, and not repeated by the
    # development server's access line (storefront/core/logs.py).
    filters = {"client_errors_plain": {"()": "storefront.core.logs.ClientErrorsWithoutTraceback"}}
    loggers = {"django.db.backends": {"level": "WARNING"}, "django.request": {"filters": ["client_errors_plain"]}}
    handler = {"class": "logging.StreamHandler"}
    config = {"version": 1, "disable_existing_loggers": False}
    if not production:
        filters["client_errors_once"] = {"()": "storefront.core.logs.ClientErrorsLoggedByDjango"}
        loggers["django.server"] = {"filters": ["client_errors_once"]}
    config["filters"] = filters
    if production:
        config["formatters"] = {"json": JSON_FORMATTER}
        handler["formatter"] = "json"
        loggers["django.security.DisallowedHost"] = {"handlers": ["console"], "level": "CRITICAL", "propagate": False}
    return config | {"handlers": {"console": handler}, "root": {"handlers": ["console"], "level": level()},
                     "loggers": loggers}


def gunicorn_logging(*, access_log: bool) -> dict:
    """gunicorn's logconfig_dict: its error and access logs as the same JSON lines, on stderr."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": JSON_FORMATTER},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": level(), "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO" if access_log else "WARNING",
                                "propagate": False},
        },
    }
