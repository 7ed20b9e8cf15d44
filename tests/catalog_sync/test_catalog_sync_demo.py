"""The export demo: the sample catalog's export terms become publishable profiles, idempotently."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from catalog_sync.models import ExchangeRate, ExportProfile, Listing, PriceTier, RemoteCategory
from catalog_sync.sync import catalog_sync_run
from tests.catalog_sync.helpers import remote_products

pytestmark = pytest.mark.django_db

# Fish sauce, three essential oils and palm sugar have leaves of their own in the sandbox's tree.
FILLED_BY_NEW_LEAVES = {"C11-P038": "Fish Sauce", "C10-P055": "Essential Oils", "C10-P056": "Essential Oils",
                        "C10-P057": "Essential Oils", "C12-P059": "Palm Sugar"}


def _state():
    return (list(ExportProfile.objects.order_by("pk").values()), list(PriceTier.objects.order_by("pk").values()),
            list(ExchangeRate.objects.values()))


def test_seed_export_demo_is_idempotent_and_a_sync_publishes_the_ready_listings(sandbox, settings, source, catalog):
    from storefront.demo.seed import seed_demo

    seed_demo(with_images=True)
    # First run with the platform down: profiles are created, categories wait for the platform.
    gateway = settings.ALIBABA_GATEWAY_URL
    settings.ALIBABA_GATEWAY_URL = "http://127.0.0.1:9/router/rest"
    out = io.StringIO()
    call_command("seed_export_demo", stdout=out)
    assert "22 export profiles created" in out.getvalue() and "platform unreachable" in out.getvalue()
    assert ExportProfile.objects.filter(selected=True, prices_confirmed=True).count() == 22
    assert not RemoteCategory.objects.exists()
    rate = ExchangeRate.objects.get(currency="USD", date=timezone.localdate())
    assert rate.vnd_per_unit == Decimal("26300")

    settings.ALIBABA_GATEWAY_URL = gateway
    out = io.StringIO()
    call_command("seed_export_demo", stdout=out)
    assert "0 export profiles created" in out.getvalue()
    assert "22 B2B categories filled in" in out.getvalue() and "No fitting B2B category" not in out.getvalue()
    assert not ExportProfile.objects.filter(remote_category=None).exists()
    ids = source.product_ids_by_sku(list(FILLED_BY_NEW_LEAVES))
    assert {sku: ExportProfile.objects.get(product_id=pid).remote_category.name
            for sku, pid in ids.items()} == FILLED_BY_NEW_LEAVES
    jasmine = ExportProfile.objects.get(title_en="Vietnamese Jasmine fragrant rice, 5% broken")
    assert jasmine.remote_category.name == "Rice" and jasmine.hs_code == "100630" and jasmine.moq == 25
    assert jasmine.moq_unit == "Metric Ton" and jasmine.port == "Cat Lai (TP. Ho Chi Minh)"
    assert [(t.min_quantity, t.price_usd) for t in jasmine.price_tiers.all()] == [
        (25, Decimal("560.00")), (100, Decimal("545.00")), (500, Decimal("530.00"))]

    before = _state()
    quiet = io.StringIO()
    call_command("seed_export_demo", stdout=quiet, verbosity=0)
    assert _state() == before  # a third run changes nothing
    assert quiet.getvalue() == ""  # -v0: silent

    report = catalog_sync_run(source=source, catalog=catalog)
    ready = 22
    assert report.counts["add"] == ready and report.counts["failed"] == 0
    assert report.counts["blocked"] == 0
    remote = remote_products(catalog)
    assert len(remote) == ready and len({p.red_model for p in remote}) == ready
    assert Listing.objects.filter(state=Listing.State.LIVE, online=True).count() == ready
