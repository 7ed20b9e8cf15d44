"""Logging helpers: a refused or missing page is one plain line, and demo e-mails go to the log."""
from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend

mail_log = logging.getLogger("storefront.mail")


class ClientErrorsWithoutTraceback(logging.Filter):
    """Django logs a 403/404 with the exception's traceback; a refusal is expected behaviour, not a bug, so
    it stays one line (`Forbidden (Permission denied): /trade/`). Server errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class ClientErrorsLoggedByDjango(logging.Filter):
    """For the development server's access lines: a 4xx answer was already logged by `django.request`, with
    the reason ("Forbidden (Permission denied): /trade/"); a second line per refusal is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        return not (status is not None and 400 <= status < 500)


class LoggingEmailBackend(BaseEmailBackend):
    """The demo's outgoing mail at INFO on `storefront.mail` (not printed raw to stdout), one record each."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            mail_log.info("E-mail to %s: %s\n%s", ", ".join(message.recipients()), message.subject, message.body)
        return len(email_messages)
