"""Publishing follows a person's choice: the scheduler publishes nothing until trade staff start a sync; the
console says so, and its "sync now" answers JSON for the progress line."""
from __future__ import annotations

import pytest
from django.urls import reverse

from catalog_sync.models import Listing, SyncRun
from catalog_sync.tasks import sync_catalog_task
from tests.catalog_sync.helpers import make_export, remote_products

pytestmark = pytest.mark.django_db


def test_the_scheduler_publishes_nothing_before_a_person_starts_a_sync(client, trade_staff, product, catalog,
                                                                         categories,
                                                                         django_capture_on_commit_callbacks):
    make_export(product, trade_staff)  # selected in advance, as the export demo does
    assert sync_catalog_task.apply().get() == {"skipped": "no sync started by a person yet"}
    assert remote_products(catalog) == [] and not SyncRun.objects.exists()
    client.force_login(trade_staff)
    page = client.get(reverse("catalog_sync:dashboard")).content.decode()
    assert 'id="publishing-notice"' in page and "1 sản phẩm đang được chọn nhưng chưa đăng" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog_sync:sync_now"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["queued"] is True
    assert len(remote_products(catalog)) == 1
    status = client.get(reverse("catalog_sync:sync_status")).json()
    assert status["running"] is False and status["added"] == 1 and status["done"] == 1
    assert SyncRun.objects.get().triggered_by == f"user:{trade_staff.pk}"
    assert 'id="publishing-notice"' not in client.get(reverse("catalog_sync:dashboard")).content.decode()

    Listing.objects.update(content_hash="stale", input_hash="")  # something for the scheduler to do
    result = sync_catalog_task.apply().get()
    assert result["update"] == 1 and SyncRun.objects.filter(triggered_by="beat").count() == 1


def test_sync_status_is_for_trade_staff_only(client, coop_staff):
    assert client.get(reverse("catalog_sync:sync_status")).status_code == 302
    client.force_login(coop_staff)
    assert client.get(reverse("catalog_sync:sync_status")).status_code == 403
