"""The shared image check (storefront.core.uploads): what passes, what is refused and why, and what is stored."""
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from storefront.core.uploads import CleanImage, UploadRejected, image_clean, image_upload_clean, read_capped

CAPS = {"max_bytes": 1024 * 1024, "max_pixels": 4_000_000}


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's shape)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16))
            + chunk(b"IEND", b""))


def upload(data: bytes, name="anh.jpg"):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def rejected(data: bytes, **kwargs) -> UploadRejected:
    with pytest.raises(UploadRejected) as exc:
        image_upload_clean(upload(data), **{**CAPS, **kwargs})
    return exc.value


def test_jpeg_is_re_encoded_upright_without_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned, the viewer must rotate 90°
    exif[0x8825] = {2: (10.0, 2.0, 3.0)}  # GPS
    source = encoded(Image.new("RGB", (300, 200), (30, 140, 60)), "JPEG", exif=exif) + b"<script>x</script>"
    clean = image_upload_clean(upload(source), **CAPS)
    assert isinstance(clean, CleanImage)
    assert (clean.format, clean.extension, clean.content_type) == ("JPEG", "jpg", "image/jpeg")
    assert (clean.width, clean.height) == (200, 300)  # turned upright
    assert b"SecretCam" not in clean.data and b"<script>" not in clean.data
    stored = Image.open(io.BytesIO(clean.data))
    assert stored.format == "JPEG" and stored.size == (200, 300)
    assert not stored.getexif() and "exif" not in stored.info


def test_the_format_comes_from_the_content_and_maps_to_the_stored_one():
    gif = encoded(Image.new("P", (40, 30)), "GIF")
    clean = image_upload_clean(upload(gif, name="anh.jpg"), **CAPS)  # the name says JPEG: the bytes say GIF
    assert (clean.format, clean.extension) == ("PNG", "png")
    assert Image.open(io.BytesIO(clean.data)).format == "PNG"
    rgba = encoded(Image.new("RGBA", (20, 20), (255, 0, 0, 128)), "PNG")
    kept = Image.open(io.BytesIO(image_upload_clean(upload(rgba), **CAPS).data))
    assert kept.mode == "RGBA" and kept.getpixel((0, 0)) == (255, 0, 0, 128)
    webp = image_upload_clean(upload(encoded(Image.new("RGB", (20, 20)), "WEBP")), **CAPS)
    assert (webp.format, webp.content_type) == ("WEBP", "image/webp")


def test_only_the_formats_asked_for_pass():
    jpeg = encoded(Image.new("RGB", (20, 20)), "JPEG")
    error = rejected(jpeg, formats={"PNG": "PNG"})
    assert not error.too_large and "JPEG" in error.message and "PNG" in error.message
    bmp = encoded(Image.new("RGB", (20, 20)), "BMP")
    error = rejected(bmp)
    assert not error.too_large and "BMP" in error.message
    assert image_clean(jpeg, max_pixels=1000, formats={"JPEG": "JPEG"}).format == "JPEG"


@pytest.mark.parametrize("data", [
    b"",
    b"%PDF-1.4 not an image",
    b"MZ\x90\x00\x03" + b"\x00" * 200,
    b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10,
])
def test_what_is_not_a_readable_image_is_refused_as_invalid(data):
    assert not rejected(data).too_large


def test_a_truncated_image_is_refused_as_invalid():
    jpeg = encoded(Image.new("RGB", (400, 300), (200, 10, 10)), "JPEG")
    error = rejected(jpeg[:400])
    assert not error.too_large and error.message


def test_too_many_bytes_is_refused_without_reading_the_file():
    class Declared:
        size = CAPS["max_bytes"] + 1

        def read(self, *args):
            raise AssertionError("read although its size is over the cap")

    with pytest.raises(UploadRejected) as exc:
        image_upload_clean(Declared(), **CAPS)
    assert exc.value.too_large
    jpeg = encoded(Image.new("RGB", (200, 200)), "JPEG")
    assert rejected(jpeg, max_bytes=len(jpeg) - 1).too_large
    assert image_upload_clean(io.BytesIO(jpeg), max_bytes=len(jpeg), max_pixels=CAPS["max_pixels"]).width == 200


def test_read_capped_reads_at_most_one_byte_over_the_cap():
    assert read_capped(io.BytesIO(b"x" * 100), 10) == b"x" * 11
    assert read_capped(io.BytesIO(b"abc"), 10) == b"abc"


def test_too_many_pixels_is_refused_before_decoding():
    error = rejected(encoded(Image.new("RGB", (400, 300)), "PNG"), max_pixels=100_000)
    assert error.too_large and "400×300" in error.message
    bomb = png_declaring(10_000, 10_000)  # 100 million pixels in under 200 bytes
    assert len(bomb) < 200
    assert rejected(bomb).too_large
    assert rejected(png_declaring(3_000, 3_000), max_pixels=4_000_000).too_large  # under Pillow's own cap, over ours


def test_refusals_are_translated():
    from django.utils import translation

    bmp = encoded(Image.new("RGB", (20, 20)), "BMP")
    with translation.override("en"):
        assert rejected(bmp).message == "Unsupported image format: BMP (JPEG, PNG, WebP, GIF accepted)."
        assert rejected(b"not an image").message == "The file is not an image (JPEG, PNG, WebP, GIF accepted)."
