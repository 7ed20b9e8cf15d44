"""Content-Security-Policy on Django's pages, and no template that the policy would break."""
import re
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [p for package in ("storefront", "catalog_sync") for p in (ROOT / package).glob("**/templates")]
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "inline <style>"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event-handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_pages_carry_the_policy(client, product):
    for url in (reverse("web:home"), reverse("web:product", args=[product.slug]), reverse("web:login")):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "http://127.0.0.1:8700" in policy  # the trade console shows the platform's copies of photos


def test_graphiql_has_its_own_policy(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "https://cdn.jsdelivr.net" in response["Content-Security-Policy"]


def test_no_template_needs_inline_script_or_style():
    found = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            found += [f"{path.relative_to(ROOT)}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert TEMPLATE_DIRS and not found, found
