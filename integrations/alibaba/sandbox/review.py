"""Product review (audit) of the sandbox (protocol doc §8.6).

new/modified --(review)--> approved | tbd. All failing rules are collected, not only the first.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from typing import Any

from . import seed


def _attribute_value(data: dict[str, Any], attr_id: int) -> str:
    name = seed.ATTRIBUTES[attr_id]["en_name"].lower()
    for attr in data.get("attributes") or []:
        if attr.get("attribute_id") == attr_id or str(attr.get("attribute_name", "")).strip().lower() == name:
            value = str(attr.get("value_name") or "").strip()
            if value or attr.get("value_id"):
                return value or str(attr.get("value_id"))
    return ""


def photobank_file_id(url: str) -> int | None:
    match = re.search(r"/photobank/(\d+)/", url)
    return int(match.group(1)) if match else None


def evaluate(conn: sqlite3.Connection, data: dict[str, Any], *, min_image_px: int,
             prohibited_words: list[str]) -> list[dict[str, str]]:
    """Automatic review rules; returns the fail reasons (empty = approve)."""
    reasons: list[dict[str, str]] = []
    cat = conn.execute("SELECT * FROM categories WHERE id=?", (data["category_id"],)).fetchone()
    if cat is not None and cat["requires_hs_code"] and not _attribute_value(data, seed.HS_CODE):
        reasons.append({"code": "REVIEW_MISSING_HS_CODE", "field": "attributes.HS Code",
                        "message": f"Products in category '{cat['name']}' must state an HS code."})
    if cat is not None and cat["requires_certification"] and not _attribute_value(data, seed.CERTIFICATION):
        reasons.append({"code": "REVIEW_MISSING_CERTIFICATION", "field": "attributes.Certification",
                        "message": f"Products in category '{cat['name']}' must state a certification."})
    for index, url in enumerate((data.get("main_image") or {}).get("images") or []):
        file_id = photobank_file_id(url)
        row = conn.execute("SELECT width, height FROM images WHERE file_id=?", (file_id,)).fetchone()
        if row is not None and min(row["width"], row["height"]) < min_image_px:
            reasons.append({"code": "REVIEW_IMAGE_TOO_SMALL", "field": f"main_image.images[{index}]",
                            "message": f"Image {index + 1} is {row['width']}x{row['height']} px; the shorter "
                                       f"side must be at least {min_image_px} px."})
    texts = {"subject": data.get("subject") or "", "keywords": " ".join(data.get("keywords") or []),
             "description": data.get("description") or ""}
    for field_name, text in texts.items():
        for word in prohibited_words:
            if word and re.search(r"(?<!\w)" + re.escape(word.lower()) + r"(?!\w)", text.lower()):
                reasons.append({"code": "REVIEW_PROHIBITED_WORD", "field": field_name,
                                "message": f"The {field_name} contains the prohibited phrase '{word}'."})
    return reasons


def decide(conn: sqlite3.Connection, row: sqlite3.Row, reasons: list[dict[str, str]]) -> str:
    """Apply a review decision to a pending product inside the caller's write transaction."""
    now = time.time()
    if reasons:
        conn.execute(
            "UPDATE products SET status='tbd', audit_fail_reasons=?, review_due_at=NULL, gmt_modified=?"
            " WHERE id=?", (json.dumps(reasons), now, row["id"]))
        return "tbd"
    conn.execute(
        "UPDATE products SET status='approved', audit_fail_reasons='[]', review_due_at=NULL, gmt_modified=?,"
        " approved_data=data, approved_search_text=search_text, approved_category_id=category_id WHERE id=?",
        (now, row["id"]))
    return "approved"


def run_rules(conn: sqlite3.Connection, row: sqlite3.Row, knobs: Any) -> str:
    reasons = evaluate(conn, json.loads(row["data"]), min_image_px=knobs.min_image_px,
                       prohibited_words=knobs.prohibited_words)
    return decide(conn, row, reasons)
