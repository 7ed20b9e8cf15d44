"""Image preparation for the photo bank: square canvas on white, bounded size, JPEG within the limit."""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_SIDE = 1600
MAX_BYTES = 3 * 1024 * 1024  # the ISV forms' 3 MB (the platform's hard cap is 5 MB)
RECIPE = f"square-white-{MAX_SIDE}-v1"


@dataclass(frozen=True)
class PreparedImage:
    data: bytes
    width: int
    height: int
    sha256: str


def prepare_image(data: bytes, *, max_side: int = MAX_SIDE, max_bytes: int = MAX_BYTES) -> PreparedImage:
    """Raises PIL.UnidentifiedImageError / OSError for bytes that are not an image."""
    with Image.open(io.BytesIO(data)) as original:
        original.load()
        image = ImageOps.exif_transpose(original)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    if max(image.size) > max_side:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    side = max(image.size)
    canvas = Image.new("RGB", (side, side), "white")
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    while True:
        for quality in (88, 80, 70, 60):
            buffer = io.BytesIO()
            canvas.save(buffer, "JPEG", quality=quality, optimize=True)  # no EXIF is written
            if buffer.tell() <= max_bytes:
                out = buffer.getvalue()
                return PreparedImage(out, canvas.width, canvas.height, hashlib.sha256(out).hexdigest())
        canvas = canvas.resize((int(canvas.width * 0.8), int(canvas.height * 0.8)), Image.Resampling.LANCZOS)
