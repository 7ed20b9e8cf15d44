"""Celery entry points of the cooperative domain (thin wrappers around services)."""
from __future__ import annotations

from celery import shared_task

from .services import certification_expiry_notices_send


@shared_task(acks_late=True)
def certification_expiry_notices_task() -> int:
    return len(certification_expiry_notices_send())
