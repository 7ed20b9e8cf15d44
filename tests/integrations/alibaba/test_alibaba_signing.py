"""Signing test vectors of the protocol doc §2.4 and §8.10, checked against BOTH readings of the
protocol: the client's ``signing`` module and the sandbox's own implementation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import alibaba_helpers  # noqa: F401  (puts the repository on sys.path)
from integrations.alibaba import signing
from integrations.alibaba.sandbox import protocol as sandbox_protocol

T1 = {"app_key": "12345678", "fields": "num_iid,title,nick,price,num", "format": "json",
      "method": "taobao.item.seller.get", "num_iid": "11223344", "session": "test",
      "timestamp": "2016-01-01 12:00:00", "v": "2.0"}
T9 = {"foo": "1", "bar": "2", "foo_bar": "3", "foobar": "4", "empty": "", "sign": "IGNORED"}
LIST_TOP = {"app_key": "12345678", "method": "alibaba.icbu.product.list", "session": "SANDBOX-SESSION-0001",
            "timestamp": "2024-05-01 09:30:00", "format": "json", "v": "2.0", "simplify": "true",
            "language": "ENGLISH", "current_page": "1", "page_size": "30"}
LIST_IOP = {"access_token": "SANDBOX-SESSION-0001", "app_key": "12345678", "current_page": "1", "format": "json",
            "language": "ENGLISH", "method": "alibaba.icbu.product.list", "page_size": "30",
            "sign_method": "sha256", "simplify": "true", "timestamp": "1714527000000"}
ADD = {"app_key": "12345678", "session": "SANDBOX-SESSION-0001", "timestamp": "2024-05-01 09:30:00",
       "format": "json", "v": "2.0", "simplify": "true", "method": "alibaba.icbu.product.add",
       "category_id": "100000001", "language": "ENGLISH", "product_type": "sourcing",
       "subject": "Vietnam ST25 Jasmine Rice Long Grain 5% Broken",
       "keywords": "jasmine rice,vietnam rice,st25 rice",
       "main_image": '{"images":["https://sandbox.local/photobank/rice-st25-01.jpg"]}',
       "sourcing_trade": '{"fob_currency":"USD","fob_min_price":"620","fob_max_price":"680","fob_unit_type":'
                         '"Metric Ton","min_order_quantity":"25","min_order_unit_type":"Metric Ton",'
                         '"supply_quantity":"5000","supply_unit_type":"Metric Ton","supply_period_type":"Month",'
                         '"delivery_port":"Ho Chi Minh City","packaging_desc":"25 kg PP bags, 1000 bags per '
                         '20ft container","payment_methods":["T/T","L/C"]}'}


def _with(params: dict, **extra: str) -> dict:
    return {**params, **extra}


VECTORS = [
    ("T1", "helloworld", _with(T1, sign_method="md5"), "md5", "", "66987CB115214E59E6EC978214934FB8"),
    ("T2", "helloworld", _with(T1, sign_method="hmac"), "hmac", "", "D56D7858309C31B6251083A874D48273"),
    ("T3", "helloworld", _with(T1, sign_method="hmac-sha256"), "hmac-sha256", "",
     "04DB15AD0774D5CFCE2C837DE43E3FCEA9011ED74F3038FB6AB5F3C4CEA119E8"),
    ("T4", "key", {"foo": "bar"}, "md5", "", "1B7608966A4EC944E5EF527A0534E664"),
    ("T5", "key", {"foo": "bar"}, "hmac", "", "319762045E12C05969D37AE7813D05A1"),
    ("T6", "key", {"foo": "bar"}, "hmac-sha256", "",
     "37508E74CC6EDBED6D80273299668BD17F04EE5D9B087E60D03396F4E1F3D97E"),
    ("T7", b"\x0b" * 16, {"Hi": " There"}, "hmac", "", "9294727A3638BB1C13F48EF8158BFC9D"),
    ("T8", b"\x0b" * 20, {"Hi": " There"}, "hmac-sha256", "",
     "B0344C61D8DB38535CA8AFCEAF0BF12B881DC200C9833DA726E9376C2E32CFF7"),
    ("T9", "helloworld", T9, "md5", "", "5AAF1C690262A24768F5478B084C2C8A"),
    ("T10", "helloworld", T9, "hmac", "", "E687005F819D6F9E6ED085311C8ACC75"),
    ("T11", "helloworld", T9, "hmac-sha256", "", "339676BF36C50A8BD3D8F6B4A81B2F9AA614B05BFCFEBEFC169CB830D6B77D3B"),
    ("T12", "vnagri-sandbox-secret", _with(LIST_TOP, sign_method="md5"), "md5", "",
     "E6486B98B19A5232B19A7D4BB046D546"),
    ("T13", "vnagri-sandbox-secret", _with(LIST_TOP, sign_method="hmac"), "hmac", "",
     "F8514FE78F3CD0BC1AD30675A5432AAF"),
    ("T14", "vnagri-sandbox-secret", _with(LIST_TOP, sign_method="hmac-sha256"), "hmac-sha256", "",
     "DED47B0D1ABBB7469C13ED88012C1B6BE963A07CFE541E3ED60A424E1CF7CF0A"),
    ("T15", "vnagri-sandbox-secret", _with(ADD, sign_method="md5"), "md5", "", "CB17CD9F54B4B397A772CE75C3003EFB"),
    ("T16", "vnagri-sandbox-secret", _with(ADD, sign_method="hmac-sha256"), "hmac-sha256", "",
     "3C9D2E5D6998C337219344690FFF14062D378772013D08AB74516A2C9728A1BE"),
    ("T17", "vnagri-sandbox-secret", {"a": "1", "note": "Gạo thơm ST25", "sign_method": "md5"}, "md5", "",
     "AE0EEC51B22B3E6209CBEA550E223AA3"),
    ("T18", "vnagri-sandbox-secret", LIST_IOP, "sha256", "",
     "76006535F00A5A96B2CD73C448407EDB118712F39E96A203B2C9236B6DAEC5A0"),
    ("T19", "helloworld", {"access_token": "test", "aliexpress_category_id": "200135143", "app_key": "123456",
                           "method": "aliexpress.logistics.redefining.getonlinelogisticsinfo",
                           "sign_method": "sha256", "timestamp": "1517820392000"}, "sha256", "",
     "F7F7926B67316C9D1E8E15F7E66940ED3059B1638C497D77973F30046EFB5BBB"),
    ("T20", "helloworld", {"app_key": "12345678", "method": "aliexpress.affiliate.category.get",
                           "sign_method": "sha256", "timestamp": "1517820392000"}, "sha256", "",
     "F3ABBAB059750C3CD6D341A2FDA939ECB0FA892120E9196270ED67D6EC1511DD"),
    ("T21", "helloworld", {"app_key": "12345678", "code": "3_500102_JxZ05Ux3cnnSSUm6dCxYg6Q26",
                           "sign_method": "sha256", "timestamp": "1517820392000"}, "sha256", "/auth/token/create",
     "35607762342831B6A417A0DED84B79C05FEFBF116969C48AD6DC00279A9F4D81"),
    ("T22", "vnagri-sandbox-secret", {"app_key": "12345678", "code": "3_12345678_SANDBOXCODE0001",
                                      "sign_method": "sha256", "timestamp": "1714527000000"}, "sha256",
     "/auth/token/create", "8D3586DEB62FEBBB6F87E73514CFB87B37FB5BED056F1C538B6F6B60FEEC9761"),
]


@pytest.mark.parametrize("name,secret,params,method,path,expected", VECTORS, ids=[v[0] for v in VECTORS])
def test_client_signing_vectors(name, secret, params, method, path, expected):
    assert signing.sign(params, secret, method, path) == expected


@pytest.mark.parametrize("name,secret,params,method,path,expected", VECTORS, ids=[v[0] for v in VECTORS])
def test_sandbox_signing_vectors(name, secret, params, method, path, expected):
    if isinstance(secret, bytes):
        secret = secret.decode("latin-1")  # 0x0b bytes are the same in latin-1 and UTF-8
    assert sandbox_protocol.compute_sign(params, secret, method, path) == expected


def test_canonical_strings_of_the_worked_example():
    assert signing.canonical(_with(LIST_TOP, sign_method="md5")) == (
        "app_key12345678current_page1formatjsonlanguageENGLISHmethodalibaba.icbu.product.listpage_size30"
        "sessionSANDBOX-SESSION-0001sign_methodmd5simplifytruetimestamp2024-05-01 09:30:00v2.0")
    assert signing.canonical(LIST_IOP) == (
        "access_tokenSANDBOX-SESSION-0001app_key12345678current_page1formatjsonlanguageENGLISHmethod"
        "alibaba.icbu.product.listpage_size30sign_methodsha256simplifytruetimestamp1714527000000")
    assert signing.canonical(T9) == "bar2foo1foo_bar3foobar4"


def test_webhook_signature_vector_w1():
    body = (b'{"message_type":9001,"seller_id":"10001","timestamp":1714527000,"data":'
            b'{"product_id":"AAGVN0000001","status":"approved"}}')
    assert signing.webhook_signature("12345678", "vnagri-sandbox-secret", body) == (
        "9a72e9058658fbe232e69eeda49565f9cdb92e95c6a591036d3e0a3cb5a2bf97")


def test_timestamps_match_the_doc_instant():
    from datetime import datetime, timezone

    instant = datetime(2024, 5, 1, 1, 30, tzinfo=timezone.utc)
    assert signing.top_timestamp(instant) == "2024-05-01 09:30:00"
    assert signing.epoch_millis(instant) == "1714527000000"


def test_unknown_sign_method_is_refused():
    with pytest.raises(ValueError):
        signing.sign({"a": "1"}, "s", "sha1")


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
_values = st.text(min_size=0, max_size=12).filter(lambda s: "\x00" not in s)


@given(st.dictionaries(_names, _values, max_size=8), st.sampled_from(["md5", "hmac", "hmac-sha256", "sha256"]))
def test_client_and_sandbox_agree_on_any_parameters(params, method):
    reordered = dict(reversed(list(params.items())))
    expected = sandbox_protocol.compute_sign(params, "vnagri-sandbox-secret", method)
    assert signing.sign(reordered, "vnagri-sandbox-secret", method) == expected
    assert len(expected) == (32 if method in ("md5", "hmac") else 64) and expected == expected.upper()
