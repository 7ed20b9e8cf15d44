import pytest

from storefront.payment.vietqr import build_payload, crc16_ccitt_false, payload_for_order, qr_png, qr_svg, tlv

DOC_DYNAMIC = ("00020101021238540010A00000072701240006970436011001234567890208QRIBFTTA5303704540712500005802VN"
               "62290825DH2026A0042 HTX Vinh Binh6304EEA6")
DOC_STATIC = "00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA53037045802VN63046A15"


def test_crc_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_worked_example_byte_for_byte():
    payload = build_payload(bin="970436", account="0123456789", amount=1_250_000, purpose="DH2026A0042 HTX Vinh Binh")
    assert payload == DOC_DYNAMIC
    assert payload.endswith("6304EEA6")


def test_static_example():
    assert build_payload(bin="970436", account="0123456789", amount=None, purpose=None) == DOC_STATIC


def test_crc_over_payload_verifies():
    body, crc = DOC_DYNAMIC[:-4], DOC_DYNAMIC[-4:]
    assert f"{crc16_ccitt_false(body.encode()):04X}" == crc


@pytest.mark.parametrize("kwargs", [
    {"amount": 1.5}, {"amount": -1}, {"purpose": "Đơn hàng có dấu"}, {"purpose": "X" * 26},
])
def test_rejects_what_banks_would_mangle(kwargs):
    args = {"bin": "970436", "account": "0123456789", "amount": 1000, "purpose": "HTX1"} | kwargs
    with pytest.raises(ValueError):
        build_payload(**args)


def test_tlv_length_limits():
    assert tlv("08", "HTX1") == "0804HTX1"
    with pytest.raises(ValueError):
        tlv("08", "")
    with pytest.raises(ValueError):
        tlv("08", "x" * 100)


def test_images():
    png = qr_png(DOC_DYNAMIC)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = qr_svg(DOC_DYNAMIC)
    assert svg.lstrip().startswith("<svg") and "</svg>" in svg


@pytest.mark.django_db
def test_order_payload_uses_settings_and_transfer_note(channel, variant, shipping_method, settings):
    from tests.checkout.helpers import place_order

    settings.VIETQR_BANK_BIN = "970436"
    settings.VIETQR_ACCOUNT_NO = "0123456789"
    order = place_order(channel, [(variant, 1)], gateway="htx.payments.vietqr")
    payload = payload_for_order(order)
    expected_note = f"HTX{order.pk}"
    assert f"0006970436" in payload and "01100123456789" in payload
    assert f"54{len(str(order.total_amount)):02d}{order.total_amount}" in payload
    assert f"08{len(expected_note):02d}{expected_note}" in payload
    assert payload[-4:] == f"{crc16_ccitt_false(payload[:-4].encode()):04X}"


def test_bank_names_of_napas_bins():
    from storefront.payment.vietqr import bank_name

    assert bank_name("970436") == "Vietcombank" and bank_name("970446").startswith("Co-op Bank")
    assert bank_name("970405") == "Agribank" and bank_name("999999") == ""
