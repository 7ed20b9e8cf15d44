"""Celery tasks of the warehouse: thin wrappers over its services."""
from __future__ import annotations

from celery import shared_task

from storefront.warehouse.services import stock_lots_expire


@shared_task
def expire_stock_lots_task() -> int:
    """Write off the lots past their last day of sale. Readers and placements already skip such lots
    before this runs; running it keeps the stock rows' totals (and so listings) exact and cheap."""
    return stock_lots_expire()
