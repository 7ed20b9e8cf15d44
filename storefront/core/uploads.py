"""Uploaded images: what a file must be before anything of it is stored, and the bytes to store.

One check for every upload that is a picture (product photos, certificate scans, and any later one):
the file is read up to a byte cap, opened lazily (Pillow reads only the header), refused when its
declared size exceeds the pixel cap (so a decompression bomb is never decoded), then decoded, turned
upright and re-encoded, which drops EXIF (GPS position, camera serials), trailing payloads and
everything else that is not pixels. The format is the one Pillow finds in the content, never the
file's name or the browser's content type.

Callers turn `UploadRejected` into their own field's ValidationError with their own error code:

    try:
        image = image_upload_clean(uploaded_file, max_bytes=..., max_pixels=...)
    except UploadRejected as exc:
        raise ValidationError({"image": ValidationError(exc.message, code=...)})
"""
from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Format found in the upload -> format stored (an animated GIF keeps its first frame, as PNG).
IMAGE_FORMATS: Mapping[str, str] = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_SAVE_OPTIONS = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {}, "WEBP": {"quality": 85}}


class UploadRejected(Exception):
    """Why an upload is refused: a translated message for the person who sent it, and whether the
    file was too big (bytes or pixels) rather than not an acceptable image."""

    def __init__(self, message: str, *, too_large: bool = False):
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class CleanImage:
    data: bytes  # the re-encoded image: the only bytes to store
    format: str  # the stored format, a value of the `formats` mapping ("JPEG", "PNG" or "WEBP")
    width: int
    height: int

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.format]

    @property
    def content_type(self) -> str:
        return f"image/{self.format.lower()}"


def read_capped(uploaded_file, limit: int) -> bytes:
    """At most `limit` + 1 bytes: enough to know the file is too big without reading all of it
    (a file that declares a larger size is not read at all)."""
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > limit:
        return b"\0" * (limit + 1)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return uploaded_file.read(limit + 1)


def image_upload_clean(uploaded_file, *, max_bytes: int, max_pixels: int,
                       formats: Mapping[str, str] = IMAGE_FORMATS) -> CleanImage:
    """The re-encoded image of an acceptable upload (at most `max_bytes`, `max_pixels` pixels, a
    format among `formats`' keys), else UploadRejected."""
    data = read_capped(uploaded_file, max_bytes)
    if len(data) > max_bytes:
        raise UploadRejected(_("Ảnh quá lớn: tối đa %(mb)s MB.") % {"mb": round(max_bytes / 1024 / 1024, 1)},
                             too_large=True)
    return image_clean(data, max_pixels=max_pixels, formats=formats)


def image_clean(data: bytes, *, max_pixels: int, formats: Mapping[str, str] = IMAGE_FORMATS) -> CleanImage:
    """`image_upload_clean` for bytes already read (and already within the caller's byte cap)."""
    if not data:
        raise UploadRejected(_("Tệp rỗng."))
    accepted = ", ".join(dict.fromkeys(_NAMES.get(f, f) for f in formats))
    with warnings.catch_warnings():
        # The pixel cap below decides, from the header and before any decoding; Pillow's own
        # warning (its global MAX_IMAGE_PIXELS) would refuse images under a larger cap.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            found = image.format
        except Image.DecompressionBombError:  # over twice Pillow's global cap: not even opened
            raise UploadRejected(_("Ảnh có quá nhiều điểm ảnh."), too_large=True) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise UploadRejected(_("Tệp không phải là ảnh (chấp nhận %(formats)s).")
                                 % {"formats": accepted}) from None
        if found not in formats:
            raise UploadRejected(_("Định dạng ảnh không được hỗ trợ: %(f)s (chấp nhận %(formats)s).")
                                 % {"f": found, "formats": accepted})
        if width < 1 or height < 1 or width * height > max_pixels:
            raise UploadRejected(_("Ảnh %(w)s×%(h)s quá lớn: tối đa %(mp)s triệu điểm ảnh.")
                                 % {"w": width, "h": height, "mp": round(max_pixels / 1_000_000)}, too_large=True)
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise UploadRejected(_("Ảnh bị hỏng, không đọc được.")) from None
    stored = formats[found]
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if stored == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA") and not (stored == "PNG" and image.mode in ("P", "L")):
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}  # nothing of the source's metadata is carried over
    out = io.BytesIO()
    image.save(out, format=stored, **_SAVE_OPTIONS[stored])
    return CleanImage(data=out.getvalue(), format=stored, width=image.width, height=image.height)
