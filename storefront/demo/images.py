"""Pictures for demo products: a coloured square with the product's initials, drawn with Pillow.

800 px square so the pictures also pass the B2B catalog's 640 px minimum; a JPEG of flat colours
keeps each to a few tens of kilobytes.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from storefront.core.text import fold

SIZE = 800
# Background colours by category slug (earthy greens, reds and browns); others get one from the hash.
PALETTE = {
    "gao": (196, 160, 82), "rau-cu": (74, 141, 68), "rau-an-la": (58, 128, 60), "cu-qua": (205, 112, 52),
    "trai-cay": (226, 140, 38), "thuy-hai-san": (40, 110, 160), "thuy-san-tuoi": (36, 118, 170),
    "nuoc-mam": (138, 82, 40), "thuy-san-kho": (160, 110, 70), "trung": (230, 190, 120),
    "dau-an": (200, 170, 40), "tra-thao-duoc": (90, 130, 60), "ca-phe": (100, 64, 40),
    "tinh-dau": (120, 150, 110), "thuc-pham-che-bien": (170, 90, 60), "khac": (130, 100, 80),
    "combo": (180, 50, 60),
}


# Pillow's built-in font has no Vietnamese letters (ơ, ư, ạ… come out as boxes): a cut of DejaVu Sans Bold
# with the Latin and Vietnamese ones ships next to this module (fonts/LICENSE).
FONT = Path(__file__).resolve().parent / "fonts" / "DejaVuSans-Bold-vi.ttf"


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size=size)


def initials(name: str, limit: int = 3) -> str:
    words = [w for w in fold(name).replace("–", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:limit]).upper() or "HTX"


def product_picture(*, name: str, category_slug: str = "", caption: str = "") -> SimpleUploadedFile:
    colour = PALETTE.get(category_slug) or tuple(hashlib.sha256(name.encode()).digest()[:3])
    image = Image.new("RGB", (SIZE, SIZE), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, SIZE - 40, SIZE - 40), outline=(255, 255, 255), width=8)
    big = _font(260)
    draw.text((SIZE / 2, SIZE / 2 - 40), initials(name), font=big, fill=(255, 255, 255), anchor="mm")
    small = _font(40)
    draw.text((SIZE / 2, SIZE - 130), (caption or name)[:30], font=small, fill=(255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    slug = "-".join(fold(name).split())[:40] or "product"
    return SimpleUploadedFile(f"{slug}.jpg", out.getvalue(), content_type="image/jpeg")
