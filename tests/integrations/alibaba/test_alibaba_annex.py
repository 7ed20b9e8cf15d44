"""Attachments (certificate documents) through `alibaba.icbu.annex.upload`: the client and the sandbox over HTTP."""
from __future__ import annotations

import pytest
import requests
from alibaba_helpers import image_bytes

from integrations.alibaba import BusinessRuleError, UploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("gateway", ["iop", "top"])
def test_a_document_is_stored_and_served_as_a_download(client_factory, sandbox, gateway):
    client = client_factory(gateway=gateway)
    uploaded = client.upload_file(PDF, "VietGAP VG-2026-0042.pdf")
    assert isinstance(uploaded, UploadedFile) and uploaded.file_id > 0
    assert uploaded.url.startswith(sandbox.base_url + "/annex/")
    served = requests.get(uploaded.url, timeout=5)
    assert served.status_code == 200 and served.content == PDF
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Security-Policy"] == "sandbox"
    again = client.upload_file(PDF, "VietGAP VG-2026-0042.pdf")
    assert again.file_id != uploaded.file_id  # as the photo bank: reuse is the caller's business
    scan = client.upload_file(image_bytes(300, 200), "scan.jpg")
    assert requests.get(scan.url, timeout=5).headers["Content-Type"] == "image/jpeg"


def test_other_content_and_oversized_files_are_refused(client_factory, sandbox):
    client = client_factory(gateway="iop")
    with pytest.raises(BusinessRuleError) as exc:
        client.upload_file(b"MZ\x90\x00 a program", "certificate.pdf")
    assert exc.value.rule == "FILE_FORMAT_UNSUPPORTED" and not exc.value.retryable
    with pytest.raises(BusinessRuleError) as exc:
        client.upload_file(PDF + b"\0" * (5 * 1024 * 1024), "big.pdf")
    assert exc.value.rule == "SIZE_TOO_LARGE"


def test_an_attachment_is_not_a_photo_bank_image(client_factory, sandbox):
    from alibaba_helpers import rice_draft

    client = client_factory(gateway="iop")
    document = client.upload_file(image_bytes(900, 900), "scan.jpg")
    with pytest.raises(BusinessRuleError) as exc:
        client.add_product(rice_draft((document.url,)))
    assert exc.value.rule == "IMAGE_NOT_IN_PHOTOBANK"
