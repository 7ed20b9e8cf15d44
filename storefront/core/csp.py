"""Content-Security-Policy on every HTML page Django renders: scripts and styles only from our static files.

No template carries inline script, inline style or event-handler attributes (they live in static/js and the
apps' CSS), so an injected `<script>` or `onerror=` runs nowhere. Images may also come over HTTPS (product
photos in object storage) and from the B2B catalog (the trade console previews the platform's copies).
A view that needs another policy sets the header itself; this middleware leaves it alone.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def default_policy() -> str:
    gateway = urlsplit(getattr(settings, "ALIBABA_GATEWAY_URL", ""))
    platform = f" {gateway.scheme}://{gateway.netloc}" if gateway.scheme and gateway.netloc else ""
    return ("default-src 'self'; script-src 'self'; style-src 'self'; "
            f"img-src 'self' data: https:{platform}; font-src 'self'; connect-src 'self'; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "") or default_policy()

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response and \
                response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = self.policy
        return response
