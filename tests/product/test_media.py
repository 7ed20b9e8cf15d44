import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from storefront.product.models import ProductMedia, ProductMediaThumbnail
from storefront.product.selectors import thumbnail_url
from storefront.product.services import product_media_create, product_media_delete, product_media_reorder

pytestmark = pytest.mark.django_db


def jpeg_with_exif(size=(900, 600)) -> bytes:
    image = Image.new("RGB", size, (30, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x8825] = {2: (10.0, 2.0, 3.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + chunk(b"IEND", b""))


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_upload_strips_exif_and_records_size_and_hash(product, coop_staff):
    source = jpeg_with_exif()
    assert Image.open(io.BytesIO(source)).getexif()
    media = product_media_create(actor=coop_staff, product=product, uploaded_file=upload(source), alt="Gạo")
    media.refresh_from_db()
    stored = media.image.read()
    assert (media.width, media.height) == (900, 600)
    assert len(media.content_hash) == 64
    reopened = Image.open(io.BytesIO(stored))
    assert reopened.format == "JPEG"
    assert not reopened.getexif() and "exif" not in reopened.info


def test_thumbnails_are_made_by_the_task_and_picked_by_size(product, coop_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        media = product_media_create(actor=coop_staff, product=product, uploaded_file=upload(jpeg_with_exif()))
    thumbs = ProductMediaThumbnail.objects.filter(media=media)
    assert sorted(thumbs.values_list("size", flat=True)) == [64, 128, 256, 512]  # none ≥ the 900 px original
    for thumb in thumbs:
        image = Image.open(thumb.image)
        assert image.format == "WEBP" and max(image.size) == thumb.size
    assert thumbnail_url(media=media, size=200).endswith("-256.webp")
    assert thumbnail_url(media=media, size=512).endswith("-512.webp")
    assert thumbnail_url(media=media, size=800) == media.image.url  # larger than any thumbnail


def test_not_an_image_is_refused(product, coop_staff):
    with pytest.raises(ValidationError) as exc:
        product_media_create(actor=coop_staff, product=product,
                             uploaded_file=upload(b"%PDF-1.4 not an image", name="x.jpg"))
    assert exc.value.error_dict["image"][0].code == "invalid"
    assert not ProductMedia.objects.exists()


def test_hundred_megapixel_image_is_refused_before_decoding(product, coop_staff):
    bomb = png_declaring(10_000, 10_000)
    assert len(bomb) < 200
    with pytest.raises(ValidationError) as exc:
        product_media_create(actor=coop_staff, product=product, uploaded_file=upload(bomb, "bomb.png", "image/png"))
    assert exc.value.error_dict["image"][0].code == "image_too_large"
    assert not ProductMedia.objects.exists()


def test_oversized_bytes_are_refused(product, coop_staff, settings):
    settings.MAX_IMAGE_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as exc:
        product_media_create(actor=coop_staff, product=product, uploaded_file=upload(jpeg_with_exif()))
    assert exc.value.error_dict["image"][0].code == "image_too_large"


def test_truncated_image_is_refused(product, coop_staff):
    with pytest.raises(ValidationError) as exc:
        product_media_create(actor=coop_staff, product=product, uploaded_file=upload(jpeg_with_exif()[:400]))
    assert exc.value.error_dict["image"][0].code == "invalid"


def test_reorder_and_delete(product, coop_staff):
    first = product_media_create(actor=coop_staff, product=product, uploaded_file=upload(jpeg_with_exif((100, 80))))
    second = product_media_create(actor=coop_staff, product=product,
                                  uploaded_file=upload(jpeg_with_exif((120, 80))))
    product_media_reorder(actor=coop_staff, product=product, media_ids=[second.pk, first.pk])
    assert list(product.media.all()) == [second, first]
    with pytest.raises(ValidationError):
        product_media_reorder(actor=coop_staff, product=product, media_ids=[second.pk])
    product_media_delete(actor=coop_staff, media=first)
    assert list(product.media.all()) == [second]
