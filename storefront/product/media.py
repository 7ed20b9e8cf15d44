"""Product images: an upload checked and re-encoded by `storefront.core.uploads` (content sniffed,
byte and pixel caps, EXIF dropped), stored on its media row, and the WebP thumbnails made from it.
"""
from __future__ import annotations

import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from storefront.core.uploads import UploadRejected, image_upload_clean

from .error_codes import ProductErrorCode
from .models import ProductMedia, ProductMediaThumbnail

THUMBNAIL_FORMAT = "WEBP"

Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS


def media_store_image(media: ProductMedia, uploaded_file, *, name_hint: str) -> ProductMedia:
    """Check `uploaded_file` and put its cleaned bytes on `media` (not saved to the database);
    ValidationError({"image": ...}) when it is not an acceptable picture."""
    try:
        image = image_upload_clean(uploaded_file, max_bytes=settings.MAX_IMAGE_UPLOAD_BYTES,
                                   max_pixels=settings.MAX_IMAGE_PIXELS)
    except UploadRejected as exc:
        code = ProductErrorCode.IMAGE_TOO_LARGE if exc.too_large else ProductErrorCode.INVALID
        raise ValidationError({"image": ValidationError(exc.message, code=code.value)}) from None
    digest = hashlib.sha256(image.data).hexdigest()
    name = f"{(name_hint or 'anh')[:60]}-{digest[:12]}.{image.extension}"
    media.image.save(name, ContentFile(image.data), save=False)
    media.width, media.height, media.content_hash = image.width, image.height, digest
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
