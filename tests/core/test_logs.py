"""Demo e-mails go to the log at INFO (one record each), not raw to stdout."""
from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail
from django.test import override_settings


def test_the_default_backend_logs_each_email_at_info(caplog, capsys):
    import os

    from storefront import settings as defaults

    if "EMAIL_BACKEND" not in os.environ:
        assert defaults.EMAIL_BACKEND == "storefront.core.logs.LoggingEmailBackend"
    with override_settings(EMAIL_BACKEND="storefront.core.logs.LoggingEmailBackend"), caplog.at_level(logging.INFO):
        sent = mail.send_mail("Đơn hàng #1001", "Cảm ơn bạn đã đặt hàng.", settings.DEFAULT_FROM_EMAIL,
                              ["khach@example.com"])
    assert sent == 1
    [record] = [r for r in caplog.records if r.name == "storefront.mail"]
    assert record.levelno == logging.INFO
    assert "khach@example.com" in record.getMessage() and "Đơn hàng #1001" in record.getMessage()
    assert "Content-Transfer-Encoding" not in capsys.readouterr().out  # no raw MIME dump


def test_the_development_server_does_not_log_a_refusal_a_second_time():
    server = logging.getLogger("django.server")
    record = server.makeRecord("django.server", logging.WARNING, __file__, 1, '"%s" %s %s',
                               ("GET /trade/ HTTP/1.1", "403", "2345"), None, extra={"status_code": 403})
    assert not server.filter(record)  # django.request already said "Forbidden (Permission denied): /trade/"
    ok = server.makeRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                           ("GET / HTTP/1.1", "200", "2345"), None, extra={"status_code": 200})
    assert server.filter(ok)
