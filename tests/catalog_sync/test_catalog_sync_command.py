import io

import pytest
from django.core.management import call_command

from catalog_sync.models import Listing
from tests.catalog_sync.helpers import make_export, remote_products

pytestmark = pytest.mark.django_db


def test_command_dry_run_then_sync(product, trade_staff, catalog, categories):
    make_export(product, trade_staff)
    out = io.StringIO()
    call_command("sync_catalog", "--dry-run", "--diff", stdout=out)
    text = out.getvalue()
    assert "Dry run" in text and "add" in text and "subject" in text
    assert remote_products(catalog) == []
    out = io.StringIO()
    call_command("sync_catalog", stdout=out)
    assert "write calls" in out.getvalue()
    assert Listing.objects.get().online
    out = io.StringIO()
    call_command("sync_catalog", "--full", stdout=out)
    assert "remote_total" in out.getvalue()
