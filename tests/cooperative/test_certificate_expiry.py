"""Expiry notices: 30 and 7 days before a certificate ends, to the cooperative and trade staff, once each."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from storefront.cooperative.models import CertificationExpiryNotice
from storefront.cooperative.services import certification_expiry_notices_send, certification_save
from storefront.cooperative.tasks import certification_expiry_notices_task
from tests.cooperative import pdfs
from tests.cooperative.test_certificate_vault import data, upload

pytestmark = pytest.mark.django_db

END = date(2027, 3, 31)


@pytest.fixture
def certificate(coop, coop_staff, trade_staff):
    return certification_save(actor=coop_staff, cooperative=coop, data=data(valid_from=date(2024, 4, 1),
                                                                           valid_until=END),
                              file=upload(pdfs.plain_pdf()))


def run(day: date, capture):
    with capture(execute=True):
        return certification_expiry_notices_send(today=day)


def test_notices_go_out_on_the_30th_and_7th_day_before_and_only_then(certificate, coop_staff, trade_staff,
                                                                     django_capture_on_commit_callbacks):
    sent_on = {}
    day = END - timedelta(days=40)
    while day <= END + timedelta(days=3):
        before = len(mail.outbox)
        run(day, django_capture_on_commit_callbacks)
        run(day, django_capture_on_commit_callbacks)  # a second beat the same day sends nothing
        if len(mail.outbox) > before:
            sent_on[day] = mail.outbox[before:]
        day += timedelta(days=1)
    assert list(sent_on) == [END - timedelta(days=30), END - timedelta(days=7)]
    for day, messages in sent_on.items():
        assert len(messages) == 1
        assert {coop_staff.email, trade_staff.email} <= set(messages[0].to)
        assert "VG-2026-0042" in messages[0].subject and "31/03/2027" in messages[0].body
    assert sorted(CertificationExpiryNotice.objects.values_list("days_before", flat=True)) == [7, 30]


def test_a_late_first_run_sends_one_notice_for_the_nearest_threshold(certificate,
                                                                     django_capture_on_commit_callbacks):
    run(END - timedelta(days=5), django_capture_on_commit_callbacks)
    run(END - timedelta(days=4), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and "5" in mail.outbox[0].subject
    assert CertificationExpiryNotice.objects.count() == 2  # the 30-day one is covered by it


def test_a_renewed_certificate_gets_fresh_notices(certificate, coop, coop_staff, django_capture_on_commit_callbacks):
    run(END - timedelta(days=30), django_capture_on_commit_callbacks)
    renewed = END + timedelta(days=365)
    certification_save(actor=coop_staff, cooperative=coop, certification=certificate,
                       data=data(valid_from=END, valid_until=renewed))
    run(renewed - timedelta(days=30), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_the_beat_task_runs_the_service(certificate, settings, django_capture_on_commit_callbacks):
    from django.utils import timezone

    assert "certificate-expiry-notices" in settings.CELERY_BEAT_SCHEDULE
    certificate.valid_until = timezone.localdate() + timedelta(days=30)
    certificate.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert certification_expiry_notices_task.delay().get() == 1
    assert len(mail.outbox) == 1
