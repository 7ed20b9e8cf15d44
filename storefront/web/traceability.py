"""Addresses and QR codes of the lots' public pages, shared by the API, the packing slip and the pages."""
from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse


def lot_public_url(lot) -> str:
    """Absolute: it is printed, then scanned on another device."""
    return settings.SITE_URL + reverse("web:lot", args=[lot.public_id])


def qr_png_data_uri(payload: str, *, scale: int = 4) -> str:
    """A QR code of `payload` as a PNG data URI, inline in a printed page (error correction M: survives
    a crumpled slip). PNG rather than SVG so any print path and any scanner app read it the same."""
    return segno.make(payload, error="m", micro=False).png_data_uri(scale=scale, border=4)
