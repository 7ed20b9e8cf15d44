"""Small Saleor value objects built from our data, as dicts the generated types read."""
from __future__ import annotations

import time

from django.utils.text import Truncator

LANGUAGES = {"VI": "Tiếng Việt", "EN": "English"}
EDITORJS_VERSION = "2.24.3"


def editorjs(text: str | None) -> dict | None:
    """Plain text as EditorJS JSON (Saleor's rich-text format): one paragraph per blank-line block."""
    if not text:
        return None
    blocks = [
        {"id": f"p{i}", "type": "paragraph", "data": {"text": part.strip().replace("\n", "<br>")}}
        for i, part in enumerate(str(text).split("\n\n"))
        if part.strip()
    ]
    return {"time": int(time.time() * 1000), "blocks": blocks, "version": EDITORJS_VERSION}


def seo_description(explicit: str, description: str) -> str | None:
    return explicit or (Truncator(description).chars(300) if description else None)


def weight(grams) -> dict | None:
    if grams is None:
        return None
    return {"unit": "G", "value": float(grams)}


def image(url: str | None, alt: str | None = "") -> dict | None:
    return {"url": url, "alt": alt or ""} if url else None


def enum_value(value):
    """The plain value of a graphene enum argument (graphene hands resolvers the enum member)."""
    return getattr(value, "value", value)


def language_display(code) -> dict:
    code = str(enum_value(code))
    base = code.split("_")[0].upper()
    return {"code": code, "language": LANGUAGES.get(base, code)}


def is_english(language_code) -> bool:
    return bool(language_code) and str(enum_value(language_code)).upper().split("_")[0] == "EN"


def absolute_url(info, url: str | None) -> str | None:
    if not url:
        return None
    if url.startswith(("http://", "https://")):
        return url
    request = info.context
    if url.startswith("/") and not url.startswith("//"):
        origin = getattr(request, "_htx_origin", None)
        if origin is None:  # scheme://host once per request, not a urljoin per image
            origin = request.build_absolute_uri("/").rstrip("/")
            request._htx_origin = origin
        return origin + url
    return request.build_absolute_uri(url)


def country_display(code: str = "VN") -> dict:
    names = {"VN": "Việt Nam"}
    return {"code": code, "country": names.get(code, code), "vat": None}
