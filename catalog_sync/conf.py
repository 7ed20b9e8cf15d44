"""Tuning knobs of the sync: Django setting `CATALOG_SYNC_<NAME>`, else environment variable of that name."""
from __future__ import annotations

import os

from django.conf import settings


def setting(name: str, default):
    key = f"CATALOG_SYNC_{name}"
    if hasattr(settings, key):
        return getattr(settings, key)
    raw = os.environ.get(key)
    if raw is None or raw == "":
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float) or default is None:
        return float(raw)
    return raw
