"""Product images: what an upload must be before it is stored, and the WebP thumbnails made from it.

An upload is read up to the byte cap, opened lazily (Pillow reads only the header), refused when
its declared size exceeds the pixel cap (so a decompression bomb is never decoded), then decoded,
turned upright and re-encoded, which drops EXIF (GPS position, camera serials) with everything
else that is not pixels.
"""
from __future__ import annotations

import hashlib
import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .error_codes import ProductErrorCode
from .models import ProductMedia, ProductMediaThumbnail

# Formats accepted on upload -> format stored (animated GIFs keep their first frame, as PNG).
ACCEPTED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_FORMAT = "WEBP"

Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS


def _error(message: str, code: ProductErrorCode) -> ValidationError:
    return ValidationError({"image": ValidationError(message, code=code.value)})


def _read_capped(uploaded_file, limit: int) -> bytes:
    """At most `limit` + 1 bytes: enough to know the file is too big without reading all of it."""
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > limit:
        return b"\0" * (limit + 1)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    return uploaded_file.read(limit + 1)


def image_check_and_clean(uploaded_file) -> tuple[bytes, str, int, int]:
    """(re-encoded bytes, stored format, width, height) of an acceptable upload, else ValidationError."""
    byte_cap = settings.MAX_IMAGE_UPLOAD_BYTES
    pixel_cap = settings.MAX_IMAGE_PIXELS
    data = _read_capped(uploaded_file, byte_cap)
    if len(data) > byte_cap:
        raise _error(_("Ảnh quá lớn: tối đa %(mb)s MB.") % {"mb": round(byte_cap / 1024 / 1024, 1)},
                     ProductErrorCode.IMAGE_TOO_LARGE)
    if not data:
        raise _error(_("Tệp rỗng."), ProductErrorCode.INVALID)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            source_format = image.format
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error(_("Ảnh có quá nhiều điểm ảnh."), ProductErrorCode.IMAGE_TOO_LARGE) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _error(_("Tệp không phải là ảnh (chấp nhận JPEG, PNG, WebP)."), ProductErrorCode.INVALID) from None
        if source_format not in ACCEPTED_FORMATS:
            raise _error(_("Định dạng ảnh không được hỗ trợ: %(f)s (chấp nhận JPEG, PNG, WebP).")
                         % {"f": source_format}, ProductErrorCode.INVALID)
        if width < 1 or height < 1 or width * height > pixel_cap:
            raise _error(
                _("Ảnh %(w)s×%(h)s quá lớn: tối đa %(mp)s triệu điểm ảnh.")
                % {"w": width, "h": height, "mp": round(pixel_cap / 1_000_000)},
                ProductErrorCode.IMAGE_TOO_LARGE,
            )
        try:
            image.load()
            image = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _error(_("Ảnh bị hỏng, không đọc được."), ProductErrorCode.INVALID) from None
    stored_format = ACCEPTED_FORMATS[source_format]
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if stored_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA") and not (stored_format == "PNG" and image.mode in ("P", "L")):
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.info = {}  # nothing of the source's metadata is carried over
    out = io.BytesIO()
    options = {"JPEG": {"quality": 88, "optimize": True}, "PNG": {}, "WEBP": {"quality": 85}}
    image.save(out, format=stored_format, **options[stored_format])
    return out.getvalue(), stored_format, image.width, image.height


def media_store_image(media: ProductMedia, uploaded_file, *, name_hint: str) -> ProductMedia:
    """Check `uploaded_file` and put its cleaned bytes on `media` (not saved to the database)."""
    data, stored_format, width, height = image_check_and_clean(uploaded_file)
    digest = hashlib.sha256(data).hexdigest()
    name = f"{(name_hint or 'anh')[:60]}-{digest[:12]}.{EXTENSIONS[stored_format]}"
    media.image.save(name, ContentFile(data), save=False)
    media.width, media.height, media.content_hash = width, height, digest
    return media


def product_media_thumbnails_create(*, media: ProductMedia) -> list[ProductMediaThumbnail]:
    """WebP thumbnails of each configured size smaller than the image (longer side); idempotent."""
    if not media.image:
        return []
    with media.image.open("rb") as handle:
        source = Image.open(handle)
        source.load()
    longer = max(source.size)
    made = []
    previous = source
    # Largest first, each made from the one before: same look, a fraction of the resampling work.
    for size in sorted(settings.THUMBNAIL_SIZES, reverse=True):
        if size >= longer:
            continue
        thumb = previous.copy()
        thumb.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if thumb.mode not in ("RGB", "RGBA"):
            thumb = thumb.convert("RGBA")
        previous = thumb
        out = io.BytesIO()
        thumb.save(out, format=THUMBNAIL_FORMAT, quality=80, method=3)
        row = ProductMediaThumbnail.objects.filter(media=media, size=size, format=THUMBNAIL_FORMAT).first()
        if row is None:
            row = ProductMediaThumbnail(media=media, size=size, format=THUMBNAIL_FORMAT)
        elif row.image:
            row.image.delete(save=False)
        base = media.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        row.image.save(f"{base}-{size}.webp", ContentFile(out.getvalue()), save=False)
        row.save()
        made.append(row)
    return sorted(made, key=lambda t: t.size)
