"""The certificate vault: uploads checked by content, and no cooperative reaching another's certificates."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from storefront.cooperative.models import Certification
from storefront.cooperative.selectors import certification_for_actor, certifications_for_actor
from storefront.cooperative.services import certification_save
from tests.cooperative import pdfs

pytestmark = pytest.mark.django_db

UNTIL = date.today() + timedelta(days=365)


def data(**changes):
    base = {"type": "VietGAP", "number": "VG-2026-0042", "issuer": "Trung tâm chứng nhận phù hợp Quacert",
            "valid_from": date.today() - timedelta(days=10), "valid_until": UNTIL}
    base.update(changes)
    return base


def upload(content: bytes, name: str = "chung-nhan.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def jpeg_with_exif(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (10, 45, 0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def codes(exc):
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def test_pdf_is_stored_through_the_storage_api_with_its_hash(coop, coop_staff):
    cert = certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(pdfs.plain_pdf()))
    cert.refresh_from_db()
    assert cert.file_type == "pdf" and cert.file.name.startswith("certificates/") and cert.file.name.endswith(".pdf")
    with cert.file.open("rb") as handle:
        stored = handle.read()
    assert stored == pdfs.plain_pdf()
    import hashlib
    assert cert.file_hash == hashlib.sha256(stored).hexdigest() and cert.file_size == len(stored)


def test_jpeg_is_re_encoded_without_its_metadata(coop, coop_staff):
    original = jpeg_with_exif()
    cert = certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(
        original, "scan.pdf", "application/pdf"))  # the name and declared type lie; the content decides
    with cert.file.open("rb") as handle:
        stored = handle.read()
    assert cert.file_type == "jpeg" and cert.file.name.endswith(".jpg")
    assert stored != original and b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


@pytest.mark.parametrize("content, name", [
    (b"MZ\x90\x00\x03" + b"\x00" * 200, "chung-nhan.pdf"),  # a program named like a PDF
    (b"<html><script>alert(1)</script></html>", "chung-nhan.png"),
    (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "scan.png"),  # right signature, broken body
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "broken.pdf"),  # no xref, no pages
])
def test_forged_or_broken_files_are_refused_and_nothing_is_written(coop, coop_staff, content, name):
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(content, name))
    assert codes(exc.value) == {"file": ["invalid_file"]}
    assert not Certification.objects.exists()


@pytest.mark.parametrize("make", [pdfs.pdf_with_javascript, pdfs.pdf_with_open_action, pdfs.pdf_with_launch_on_page])
def test_pdfs_that_run_something_are_refused(coop, coop_staff, make):
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(make()))
    assert codes(exc.value) == {"file": ["file_scripted"]}
    assert not Certification.objects.exists()


def test_oversized_file_and_too_many_pixels_are_refused(coop, coop_staff, settings):
    settings.CERTIFICATE_MAX_BYTES = 2000
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(b"%PDF-1.4" + b"0" * 3000))
    assert codes(exc.value) == {"file": ["file_too_large"]}
    settings.CERTIFICATE_MAX_BYTES = 8 * 1024 * 1024
    settings.CERTIFICATE_MAX_PIXELS = 100_000
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(jpeg_with_exif((400, 300)),
                                                                                         "a.jpg", "image/jpeg"))
    assert codes(exc.value) == {"file": ["file_too_large"]}
    assert not Certification.objects.exists()


@pytest.mark.parametrize("changes, field, code", [
    ({"type": "Kosher"}, "type", "invalid"),
    ({"type": "OCOP"}, "stars", "required"),
    ({"type": "VietGAP", "stars": 4}, "stars", "invalid"),
    ({"number": ""}, "number", "required"),
    ({"valid_until": None}, "valid_until", "required"),
    ({"valid_from": UNTIL + timedelta(days=1)}, "valid_until", "invalid"),
])
def test_bad_fields_give_a_clear_error(coop, coop_staff, changes, field, code):
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(**changes), file=upload(pdfs.plain_pdf()))
    assert codes(exc.value) == {field: [code]}


def test_a_new_certificate_needs_its_file_and_kinds_of_the_brief_are_accepted(coop, coop_staff):
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data())
    assert codes(exc.value) == {"file": ["file_required"]}
    for kind, stars in (("OCOP", 4), ("Organic-EU", None), ("Organic-USDA", None), ("Organic-JAS", None),
                        ("Organic", None), ("GlobalGAP", None), ("HACCP", None), ("ISO 22000", None),
                        ("Halal", None), ("Other", None)):
        certification_save(actor=coop_staff, cooperative=coop, data=data(type=kind, stars=stars),
                           file=upload(pdfs.plain_pdf()))
    assert Certification.objects.filter(cooperative=coop).count() == 10


def test_replacing_the_file_keeps_the_row_and_removes_the_old_file(coop, coop_staff, django_capture_on_commit_callbacks):
    cert = certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(pdfs.plain_pdf()))
    old_name = cert.file.name
    storage = cert.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        replaced = certification_save(actor=coop_staff, cooperative=coop, data=data(number="VG-2027-0001"),
                                      certification=cert, file=upload(jpeg_with_exif(), "a.jpg", "image/jpeg"))
    assert replaced.pk == cert.pk and replaced.number == "VG-2027-0001" and replaced.file_type == "jpeg"
    assert not storage.exists(old_name) and storage.exists(replaced.file.name)


def test_scope_products_must_be_the_cooperatives_own(coop, other_coop, coop_staff, channel):
    from tests.factories import make_product

    mine = make_product(coop, channel, "Gạo ST25", 100_000)
    theirs = make_product(other_coop, channel, "Cà phê", 100_000)
    cert = certification_save(actor=coop_staff, cooperative=coop, data=data(scope_products=[mine.pk]),
                              file=upload(pdfs.plain_pdf()))
    assert list(cert.scope_products.all()) == [mine]
    with pytest.raises(ValidationError) as exc:
        certification_save(actor=coop_staff, cooperative=coop, data=data(scope_products=[theirs.pk]),
                           file=upload(pdfs.plain_pdf()))
    assert codes(exc.value) == {"scope_products": ["invalid"]}


def test_the_profile_tick_boxes_never_delete_vault_certificates(coop, coop_staff):
    from storefront.cooperative.services import cooperative_update_profile

    cert = certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(pdfs.plain_pdf()))
    cooperative_update_profile(actor=coop_staff, cooperative=coop, data={"certifications": [{"type": "HACCP"}]})
    assert Certification.objects.filter(pk=cert.pk).exists()
    assert set(coop.certifications.values_list("type", flat=True)) == {"VietGAP", "HACCP"}


# -- who sees what ---------------------------------------------------------------------------------------

@pytest.fixture
def two_vaults(coop, other_coop, coop_staff, other_coop_staff):
    mine = certification_save(actor=coop_staff, cooperative=coop, data=data(), file=upload(pdfs.plain_pdf()))
    theirs = certification_save(actor=other_coop_staff, cooperative=other_coop, data=data(number="OTHER-1"),
                                file=upload(pdfs.plain_pdf()))
    return mine, theirs


def test_selectors_scope_certificates_to_who_asks(two_vaults, coop_staff, trade_staff, program_staff, customer):
    mine, theirs = two_vaults
    assert list(certifications_for_actor(coop_staff)) == [mine]
    assert set(certifications_for_actor(trade_staff)) == {mine, theirs}
    assert set(certifications_for_actor(program_staff)) == {mine, theirs}
    assert not certifications_for_actor(customer).exists()
    with pytest.raises(Certification.DoesNotExist):
        certification_for_actor(actor=coop_staff, certification_id=theirs.pk)


def test_services_refuse_another_cooperatives_certificate(two_vaults, coop, other_coop, coop_staff, trade_staff):
    mine, theirs = two_vaults
    with pytest.raises(PermissionDenied):
        certification_save(actor=coop_staff, cooperative=other_coop, data=data(), file=upload(pdfs.plain_pdf()))
    with pytest.raises(PermissionDenied):  # another's row through one's own cooperative
        certification_save(actor=coop_staff, cooperative=coop, data=data(), certification=theirs)
    with pytest.raises(PermissionDenied):  # trade staff see, they do not edit
        certification_save(actor=trade_staff, cooperative=coop, data=data(), certification=mine)
    theirs.refresh_from_db()
    assert theirs.number == "OTHER-1" and Certification.objects.count() == 2


def test_pages_never_show_or_change_another_cooperatives_certificates(client, two_vaults, coop, other_coop,
                                                                    coop_staff):
    mine, theirs = two_vaults
    client.force_login(coop_staff)
    own_list = client.get(reverse("dashboard:certifications", args=[coop.pk]))
    assert own_list.status_code == 200
    body = own_list.content.decode()
    assert "VG-2026-0042" in body and "OTHER-1" not in body
    assert client.get(reverse("dashboard:certifications", args=[other_coop.pk])).status_code == 403
    assert client.get(reverse("dashboard:certification_edit", args=[other_coop.pk, theirs.pk])).status_code == 403
    assert client.get(reverse("dashboard:certification_edit", args=[coop.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("dashboard:certification_file", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("dashboard:certifications_all")).status_code == 403
    posted = client.post(reverse("dashboard:certification_edit", args=[coop.pk, theirs.pk]),
                         {"type": "VietGAP", "number": "HIJACK", "valid_until": UNTIL.isoformat()})
    assert posted.status_code == 404
    posted = client.post(reverse("dashboard:certifications", args=[other_coop.pk]),
                         {"type": "VietGAP", "number": "HIJACK", "valid_until": UNTIL.isoformat(),
                          "file": upload(pdfs.plain_pdf())})
    assert posted.status_code == 403
    theirs.refresh_from_db()
    assert theirs.number == "OTHER-1" and not Certification.objects.filter(number="HIJACK").exists()
    own_file = client.get(reverse("dashboard:certification_file", args=[mine.pk]))
    assert own_file.status_code == 200 and own_file["Content-Type"] == "application/pdf"
    assert b"".join(own_file.streaming_content) == pdfs.plain_pdf()


def test_upload_and_replace_through_the_pages(client, coop, coop_staff):
    client.force_login(coop_staff)
    url = reverse("dashboard:certifications", args=[coop.pk])
    response = client.post(url, {"type": "OCOP", "stars": "4", "number": "OCOP-BT-17", "valid_until": UNTIL.isoformat(),
                                 "file": upload(pdfs.plain_pdf())})
    assert response.status_code == 302
    cert = Certification.objects.get(number="OCOP-BT-17")
    refused = client.post(reverse("dashboard:certification_edit", args=[coop.pk, cert.pk]), {
        "type": "OCOP", "stars": "4", "number": "OCOP-BT-17", "valid_until": UNTIL.isoformat(),
        "file": upload(pdfs.pdf_with_open_action())})
    assert refused.status_code == 400 and "JavaScript" in refused.content.decode()
    cert.refresh_from_db()
    assert cert.file_type == "pdf"
    response = client.post(reverse("dashboard:certification_edit", args=[coop.pk, cert.pk]), {
        "type": "OCOP", "stars": "5", "number": "OCOP-BT-17", "valid_until": UNTIL.isoformat()})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.stars == 5 and cert.file_type == "pdf"  # no new file: the scan stays


def test_trade_and_program_staff_see_every_cooperatives_certificates(client, two_vaults, trade_staff, program_staff,
                                                                     customer):
    mine, theirs = two_vaults
    for user in (trade_staff, program_staff):
        client.force_login(user)
        body = client.get(reverse("dashboard:certifications_all")).content.decode()
        assert "VG-2026-0042" in body and "OTHER-1" in body
        assert client.get(reverse("dashboard:certification_file", args=[theirs.pk])).status_code == 200
    client.force_login(customer)
    assert client.get(reverse("dashboard:certifications_all")).status_code == 403
    assert client.get(reverse("dashboard:certification_file", args=[mine.pk])).status_code == 404


def test_the_api_shows_a_store_its_certificates_but_never_their_files(client, two_vaults, coop):
    from storefront.graphql.api import schema

    certification_type = schema.graphql_schema.get_type("CooperativeCertification")
    assert not {"file", "fileUrl", "fileHash", "url"} & set(certification_type.fields)
    mutations = schema.graphql_schema.mutation_type.fields
    assert not [name for name in mutations if "ertific" in name]  # the vault is edited on its pages only
