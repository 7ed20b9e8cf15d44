"""VietQR: NAPAS's profile of the EMVCo merchant-presented QR, for a bank transfer to an account.

The payload is a chain of `ID(2) LEN(2) VALUE` objects with NAPAS's data in tag 38 and a
CRC-16/CCITT-FALSE over everything up to and including the literal `6304`. Short enough to own;
byte-identical to the worked example of the domain notes (tests pin it).
"""
from __future__ import annotations

import binascii
import io

import segno
from django.conf import settings

NAPAS_GUID = "A000000727"

# NAPAS bank identification numbers (BIN) of the banks a payer is likely to name, from NAPAS's list as kept by
# the `vietnam-qr-pay` package; a shopper checks the receiving bank by its name, not by six digits.
BANK_NAMES = {
    "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
    "970407": "Techcombank", "970422": "MB Bank", "970416": "ACB", "970432": "VPBank", "970423": "TPBank",
    "970403": "Sacombank", "970437": "HDBank", "970443": "SHB", "970441": "VIB", "970440": "SeABank",
    "970426": "MSB", "970448": "OCB", "970449": "LPBank", "970431": "Eximbank", "970428": "Nam A Bank",
    "970446": "Co-op Bank (Ngân hàng Hợp tác xã Việt Nam)",
}


def bank_name(bin_code: str) -> str:
    """The bank of a NAPAS BIN (`970436` -> `Vietcombank`); empty for a BIN not in the table."""
    return BANK_NAMES.get(str(bin_code).strip(), "")
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR):
    the standard library's CRC-CCITT started at 0xFFFF."""
    return binascii.crc_hqx(data, 0xFFFF)


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not 0 < len(value) <= 99:
        raise ValueError(f"EMVCo object {tag!r} must hold 1–99 characters, got {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def build_payload(*, bin: str, account: str, amount: int | None, purpose: str | None,
                  service: str = SERVICE_TO_ACCOUNT) -> str:
    """The VietQR text; dynamic (`01`=12) when an amount is set, static (11) otherwise."""
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
        raise ValueError("VietQR amounts are whole dong")
    if purpose is not None and not (purpose.isascii() and len(purpose) <= 25):
        raise ValueError("the transfer note must be ASCII and at most 25 characters")
    beneficiary = tlv("00", bin) + tlv("01", account)
    merchant_account = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service)
    payload = tlv("00", "01") + tlv("01", "12" if amount else "11") + tlv("38", merchant_account)
    payload += tlv("53", CURRENCY_VND)
    if amount:
        payload += tlv("54", str(amount))
    payload += tlv("58", "VN")
    if purpose:
        payload += tlv("62", tlv("08", purpose))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('utf-8')):04X}"


def payload_for_order(order) -> str:
    """Transfer of the order's total to the program's account, the order code as the note."""
    return build_payload(
        bin=settings.VIETQR_BANK_BIN,
        account=settings.VIETQR_ACCOUNT_NO,
        amount=int(order.total_amount),
        purpose=order.transfer_note,
    )


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(payload: str, *, scale: int = 4) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="svg", scale=scale, border=4, xmldecl=False)
    return buffer.getvalue().decode("utf-8")
