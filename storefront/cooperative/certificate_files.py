"""What a certificate scan must be before it is stored: a PDF without active content, or a JPEG/PNG image.

The kind is decided from the first bytes, never from the name or the browser's content type. Images go
through the shop's one image check (`storefront.core.uploads`: pixel cap, decoded and re-encoded, so only
pixels survive: no EXIF, no trailing payload). PDFs are parsed with pypdf and every object reachable from
the trailer is walked: a document that runs anything on its own (JavaScript, an open action, additional
actions, a launch of another program, embedded files) is refused, and so is one that cannot be parsed,
since a reader that tolerates a broken file may see objects our parser did not.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from storefront.core.uploads import UploadRejected, image_clean, read_capped

from .error_codes import CooperativeErrorCode

PDF, JPEG, PNG = "pdf", "jpeg", "png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
# Names whose presence anywhere in a PDF means it acts by itself when opened or clicked.
ACTIVE_PDF_NAMES = frozenset({"/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile",
                              "/EmbeddedFiles", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData", "/GoToE"})


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: str  # PDF | JPEG | PNG
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


def _error(message: str, code: CooperativeErrorCode = CooperativeErrorCode.INVALID_FILE) -> ValidationError:
    return ValidationError({"file": ValidationError(message, code=code.value)})


def sniff(data: bytes) -> str | None:
    """The file's kind from its signature (PDF may carry up to 1 KB of junk before `%PDF-`, as readers allow)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if b"%PDF-" in data[:1024]:
        return PDF
    return None


def certificate_file_check(uploaded_file) -> CheckedFile:
    """The bytes to store for an acceptable scan, else ValidationError({"file": ...})."""
    limit = settings.CERTIFICATE_MAX_BYTES
    data = read_capped(uploaded_file, limit)
    if len(data) > limit:
        raise _error(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)},
                     CooperativeErrorCode.FILE_TOO_LARGE)
    if not data:
        raise _error(_("Tệp rỗng."))
    kind = sniff(data)
    if kind is None:
        raise _error(_("Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên)."))
    if kind == PDF:
        _pdf_check(data)
    else:
        data = _image_clean(data, kind)
    return CheckedFile(data=data, kind=kind, sha256=hashlib.sha256(data).hexdigest())


def _image_clean(data: bytes, kind: str) -> bytes:
    same = {kind.upper(): kind.upper()}  # the content must be the image its signature announced
    try:
        return image_clean(data, max_pixels=settings.CERTIFICATE_MAX_PIXELS, formats=same).data
    except UploadRejected as exc:
        raise _error(exc.message, CooperativeErrorCode.FILE_TOO_LARGE if exc.too_large
                     else CooperativeErrorCode.INVALID_FILE) from None


def _pdf_check(data: bytes) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise _error(_("Không nhận PDF có mật khẩu hoặc mã hoá."))
        if len(reader.pages) < 1:
            raise _error(_("PDF không có trang nào."))
        if len(reader.pages) > settings.CERTIFICATE_MAX_PDF_PAGES:
            raise _error(_("PDF quá nhiều trang: tối đa %(n)d.") % {"n": settings.CERTIFICATE_MAX_PDF_PAGES},
                         CooperativeErrorCode.FILE_TOO_LARGE)
        seen: set[tuple[int, int]] = set()
        stack = [reader.trailer]
        budget = 200_000  # objects visited: a pathological file is refused, not walked for ever
        while stack:
            budget -= 1
            if budget < 0:
                raise _error(_("PDF quá phức tạp để kiểm tra."))
            obj = stack.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                obj = obj.get_object()
            if isinstance(obj, DictionaryObject):
                for name, value in obj.items():
                    if name in ACTIVE_PDF_NAMES or value in ("/JavaScript", "/Launch"):
                        raise _error(_("PDF có nội dung tự chạy (JavaScript, hành động khi mở hoặc tệp nhúng); "
                                       "hãy in lại ra PDF thường rồi tải lên."), CooperativeErrorCode.FILE_SCRIPTED)
                    stack.append(value)
            elif isinstance(obj, ArrayObject):
                stack.extend(obj)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError, AttributeError):
        raise _error(_("Tệp PDF bị hỏng hoặc sai cấu trúc.")) from None
