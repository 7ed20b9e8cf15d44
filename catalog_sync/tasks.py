"""Celery entry points: thin wrappers around the services (scheduled by beat, queued on demand)."""
from __future__ import annotations

from celery import shared_task

from . import services
from .remote import B2BCatalog
from .selectors import SCHEDULED, scheduled_publishing_enabled
from .source import shop_source
from .sync import LeaseLost, SyncBusy, catalog_sync_run


@shared_task(bind=True, max_retries=20, acks_late=True)
def sync_catalog_task(self, full: bool = False, triggered_by: str = SCHEDULED) -> dict:
    if triggered_by == SCHEDULED and not scheduled_publishing_enabled():
        return {"skipped": "no sync started by a person yet"}
    try:
        report = catalog_sync_run(source=shop_source(), full=full, triggered_by=triggered_by)
    except SyncBusy as exc:
        raise self.retry(countdown=30, exc=exc)
    except LeaseLost:  # overtaken by a run that took the expired lease: that run finishes the work
        return {"lease_lost": True}
    return {"run": report.run.pk, "writes": report.write_calls, **{k: v for k, v in report.counts.items()}}


@shared_task(acks_late=True)
def pull_remote_updates_task() -> dict:
    catalog = B2BCatalog()
    try:
        return {"reviews": services.reviews_pull(catalog=catalog),
                "inquiries": services.inquiries_pull(catalog=catalog)}
    finally:
        catalog.close()


@shared_task(acks_late=True)
def fetch_exchange_rate_task() -> str:
    from django.conf import settings

    if not getattr(settings, "CATALOG_SYNC_RATE_URL", ""):
        return "no rate URL configured"
    rate = services.exchange_rate_fetch()
    return f"{rate.date} {rate.vnd_per_unit}"


@shared_task(acks_late=True)
def relay_inquiry_task(inquiry_id: int) -> bool:
    from .models import Inquiry

    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    return inquiry is not None and services.inquiry_relay(source=shop_source(), inquiry=inquiry)


@shared_task(acks_late=True)
def prune_publish_snapshots_task() -> int:
    return services.publish_snapshots_prune()
