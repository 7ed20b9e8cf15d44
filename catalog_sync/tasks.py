"""Celery entry points: thin wrappers around the services (scheduled by beat, queued on demand)."""
from __future__ import annotations

from celery import shared_task

from . import services
from .remote import B2BCatalog
from .source import shop_source
from .sync import SyncBusy, catalog_sync_run


@shared_task(bind=True, max_retries=20, acks_late=True)
def sync_catalog_task(self, full: bool = False, triggered_by: str = "beat") -> dict:
    try:
        report = catalog_sync_run(source=shop_source(), full=full, triggered_by=triggered_by)
    except SyncBusy as exc:
        raise self.retry(countdown=30, exc=exc)
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
def prune_publish_snapshots_task() -> int:
    return services.publish_snapshots_prune()
