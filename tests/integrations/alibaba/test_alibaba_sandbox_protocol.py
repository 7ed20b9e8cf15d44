"""Raw HTTP against the sandbox: bad requests get the protocol's error shapes (HTTP 200), never a 500;
documented limits and the review outcomes."""

from __future__ import annotations

import json
import time

import pytest
import requests
from alibaba_helpers import SECRET, SESSION, image_bytes, rice_draft, unique_ref

from integrations.alibaba import BusinessRuleError, ProductAttribute, ProductStatus
from integrations.alibaba.sandbox.protocol import compute_sign, fmt_time


def signed(method: str, *, sign_method: str = "hmac-sha256", **business: str) -> dict[str, str]:
    params = {"method": method, "app_key": "12345678", "session": SESSION, "timestamp": fmt_time(time.time()),
              "format": "json", "v": "2.0", "sign_method": sign_method, "simplify": "true", **business}
    params["sign"] = compute_sign(params, SECRET, sign_method)
    return params


def top_error(response: requests.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "error_response" in body, body
    return body["error_response"]


@pytest.mark.parametrize("mutate,code", [
    (lambda p: p.pop("method"), 21),
    (lambda p: p.update(method="alibaba.icbu.no.such.method"), 22),
    (lambda p: p.pop("app_key"), 28),
    (lambda p: p.update(app_key="000"), 29),
    (lambda p: p.pop("timestamp"), 30),
    (lambda p: p.update(timestamp="yesterday"), 31),
    (lambda p: p.update(timestamp="2020-01-01 00:00:00"), 31),
    (lambda p: p.pop("v"), 32),
    (lambda p: p.update(v="1.0"), 34),
    (lambda p: p.update(format="xml"), 23),
    (lambda p: p.pop("sign"), 24),
    (lambda p: p.update(sign="0" * 64), 25),
    (lambda p: p.update(sign_method="sha1"), 25),
    (lambda p: p.pop("session"), 26),
])
def test_system_parameter_errors(sandbox, mutate, code):
    params = signed("alibaba.icbu.category.get", cat_id="0")
    mutate(params)
    if code == 26:  # a correctly signed call without a session
        params["sign"] = compute_sign(params, SECRET, params["sign_method"])
    err = top_error(requests.post(sandbox.top_gateway, data=params, timeout=5))
    assert err["code"] == code and err["request_id"].startswith("sbx-") and err["msg"]


def test_tampered_parameter_breaks_the_signature(sandbox):
    params = signed("alibaba.icbu.category.get", cat_id="0")
    params["cat_id"] = "1"
    assert top_error(requests.post(sandbox.top_gateway, data=params, timeout=5))["code"] == 25


def test_query_and_body_layout_and_get_are_accepted(sandbox):
    params = signed("alibaba.icbu.category.get", cat_id="0")
    system = {k: params.pop(k) for k in list(params) if k != "cat_id"}
    ok = requests.post(sandbox.top_gateway, params=system, data=params, timeout=5).json()
    assert ok["category"]["child_ids"]
    ok = requests.get(sandbox.top_gateway, params=signed("alibaba.icbu.category.get", cat_id="0"), timeout=5)
    assert ok.json()["category"]["category_id"] == 0
    assert top_error(requests.put(sandbox.top_gateway, data=params, timeout=5))["code"] == 9


def test_iop_error_shape(sandbox):
    params = {"method": "alibaba.icbu.category.get", "app_key": "12345678", "access_token": SESSION,
              "timestamp": str(int(time.time() * 1000)), "sign_method": "sha256", "cat_id": "0", "sign": "BAD"}
    err = requests.post(sandbox.iop_gateway, data=params, timeout=5).json()["error_response"]
    assert err["code"] == "IncompleteSignature" and err["type"] == "ISV"
    params["sign_method"] = "md5"
    params["sign"] = compute_sign(params, SECRET, "md5")
    assert requests.post(sandbox.iop_gateway, data=params, timeout=5).json()["error_response"]["code"] == \
        "IncompleteSignature"  # only sha256 on /sync


@pytest.mark.parametrize("field,value,code,sub", [
    ("main_image", "{not json", 41, "isv.invalid-parameter:main_image"),
    ("attributes", '{"a": 1}', 41, "isv.invalid-parameter:attributes"),
    ("sourcing_trade", "[1,2]", 41, "isv.invalid-parameter:sourcing_trade"),
    ("bulk_discount_prices", '[{"start_quantity": 5, "price": "abc"}]', 41,
     "isv.invalid-parameter:bulk_discount_prices"),
    ("category_id", "rice", 41, "isv.invalid-parameter:category_id"),
    ("keywords", "a,b,c,d", 41, "isv.invalid-parameter:keywords"),
    ("language", "VIETNAMESE", 41, "isv.invalid-parameter:language"),
    ("subject", "", 40, "isv.missing-parameter:subject"),
])
def test_bad_product_parameters(sandbox, client, uploaded, field, value, code, sub):
    params = rice_draft((uploaded,)).to_params()
    params[field] = value
    err = top_error(requests.post(sandbox.top_gateway, data=signed("alibaba.icbu.product.add", **params), timeout=5))
    assert (err["code"], err["sub_code"]) == (code, sub)


def test_malformed_bodies_never_give_500(sandbox):
    url = sandbox.top_gateway
    cases = [
        dict(data=b"\xff\xfe not utf-8", headers={"Content-Type": "application/x-www-form-urlencoded"}),
        dict(data=b"{broken json", headers={"Content-Type": "application/json"}),
        dict(data=b"[1, 2]", headers={"Content-Type": "application/json"}),
        dict(data=b"--x\r\nbroken", headers={"Content-Type": "multipart/form-data; boundary=x"}),
        dict(data=b"abc", headers={"Content-Type": "multipart/form-data"}),
        dict(data=b"<xml/>", headers={"Content-Type": "text/xml"}),
    ]
    for case in cases:
        response = requests.post(url, timeout=5, **case)
        assert response.status_code == 200, case
        assert response.json()["error_response"]["code"] == 43
    response = requests.post(url, data=json.dumps(signed("alibaba.icbu.category.get", cat_id="0")),
                             headers={"Content-Type": "application/json"}, timeout=5)
    assert response.json()["category"]["category_id"] == 0  # a flat JSON object body is read like a form


def _upload(sandbox, data: bytes, name: str = "x.jpg") -> dict:
    params = signed("alibaba.icbu.photobank.upload", file_name=name)
    return requests.post(sandbox.top_gateway, data=params, files={"image_bytes": (name, data)}, timeout=10).json()


def test_image_upload_limits(sandbox):
    assert _upload(sandbox, image_bytes(700, 700))["upload_image_response"]["file_id"] > 0
    big = image_bytes(700, 700, "PNG") + b"\0" * (5 * 1024 * 1024)
    assert _upload(sandbox, big)["error_response"]["sub_code"] == "isv.SIZE_TOO_LARGE"
    assert _upload(sandbox, b"GIF89a not really")["error_response"]["sub_code"] == "isv.IMAGE_FORMAT_UNSUPPORTED"
    assert _upload(sandbox, image_bytes(700, 700, "GIF"), "x.gif")["error_response"]["sub_code"] == \
        "isv.IMAGE_FORMAT_UNSUPPORTED"
    params = signed("alibaba.icbu.photobank.upload", file_name="x.jpg")
    assert top_error(requests.post(sandbox.top_gateway, data=params, timeout=5))["sub_code"] == \
        "isv.missing-parameter:image_bytes"
    huge = requests.post(sandbox.top_gateway, data=b"x" * (13 * 1024 * 1024),
                         headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=20)
    assert huge.status_code == 200 and huge.json()["error_response"]["sub_code"] == "isv.SIZE_TOO_LARGE"


@pytest.mark.parametrize("changes,rule", [
    (dict(subject="Rice " * 30), "CHK_BASIC_MAX_LENGTH"),
    (dict(subject="Gạo ST25 thơm"), "CHK_BASIC_ONEOF"),
    (dict(category_id=10), "CHK_CAT_NOT_LEAF"),
    (dict(category_id=999), "PUB_BIZCHECK_CAT_ID_NOTEXIST"),
    (dict(attributes=(ProductAttribute("HS Code", "100630"),)), "CHK_BASIC_REQUIRED"),
    (dict(attributes=(ProductAttribute("Place of Origin", "Atlantis"),)), "CHK_BASIC_ONEOF"),
    (dict(images=("https://example.com/rice.jpg",)), "IMAGE_NOT_IN_PHOTOBANK"),
    (dict(description='<img src="https://example.com/x.jpg">'), "PUB_BIZCHECK_DESCRIPTION_IMAGE_SOURCE_ERROR"),
])
def test_documented_limits_on_add(client, uploaded, changes, rule):
    with pytest.raises(BusinessRuleError) as exc:
        client.add_product(rice_draft((uploaded,), **changes))
    assert exc.value.rule == rule


def test_image_count_limit(client, uploaded):
    with pytest.raises(BusinessRuleError) as exc:
        client.add_product(rice_draft((uploaded,) * 7))
    assert exc.value.rule == "TOO_MANY_IMAGES"


def test_price_tiers_must_ascend_and_not_increase(client, uploaded):
    from decimal import Decimal

    from integrations.alibaba import PriceTier

    with pytest.raises(BusinessRuleError) as exc:
        client.add_product(rice_draft((uploaded,), price_tiers=(PriceTier(100, Decimal("600")),
                                                                PriceTier(50, Decimal("500")))))
    assert exc.value.rule == "CHK_STEP_LADDER_PERIOD_VALUE_ERROR"
    with pytest.raises(BusinessRuleError):
        client.add_product(rice_draft((uploaded,), price_tiers=(PriceTier(10, Decimal("600")),
                                                                PriceTier(50, Decimal("650")))))


# -- review ----------------------------------------------------------------------------------------
def test_review_rejects_with_all_reasons(client):
    small = client.upload_image(image_bytes(320, 240), "small.jpg").url
    draft = rice_draft((small,), category_id=100000004, subject="Frozen Pangasius Fillet, best in the world",
                       attributes=(ProductAttribute("Place of Origin", "Vietnam"),))
    product = client.get_product(client.add_product(draft))
    assert product.status == ProductStatus.TBD and product.rejected
    codes = {r.code for r in product.audit_fail_reasons}
    assert codes == {"REVIEW_MISSING_HS_CODE", "REVIEW_MISSING_CERTIFICATION", "REVIEW_IMAGE_TOO_SMALL",
                     "REVIEW_PROHIBITED_WORD"}
    assert all(r.message for r in product.audit_fail_reasons)


def test_review_fixed_listing_is_approved_after_update(client, uploaded):
    ref = unique_ref()
    product_id = client.add_product(rice_draft((uploaded,), ref=ref, category_id=100000006,
                                               attributes=(ProductAttribute("Place of Origin", "Vietnam"),)))
    product = client.get_product(product_id)
    assert product.status == "tbd" and [r.code for r in product.audit_fail_reasons] == ["REVIEW_MISSING_HS_CODE"]
    client.update_product(product_id, rice_draft((uploaded,), ref=ref, category_id=100000006))
    fixed = client.get_product(product_id)
    assert fixed.status == "approved" and fixed.audit_fail_reasons == ()


def test_manual_review_and_edits_while_pending(client, admin, uploaded):
    admin.knobs(review_mode="manual")
    first = client.add_product(rice_draft((uploaded,)))
    second = client.add_product(rice_draft((uploaded,)))
    assert client.get_product(first).status == "new" and client.get_product(first).under_review
    with pytest.raises(BusinessRuleError) as exc:
        client.update_product(first, rice_draft((uploaded,)))
    assert exc.value.rule == "PUB_BIZCHECK_PRODUCT_NOT_EDITABLE"
    admin.review(product_id=first, decision="approve")
    admin.review(product_id=second, decision="reject",
                 reasons=[{"code": "REVIEW_PROHIBITED_WORD", "message": "No superlatives", "field": "subject"}])
    assert client.get_product(first).status == "approved"
    rejected = client.get_product(second)
    assert rejected.status == "tbd" and rejected.audit_fail_reasons[0].message == "No superlatives"


def test_review_delay_keeps_products_pending_then_decides(client, admin, uploaded):
    admin.knobs(review_delay_seconds=0.3)
    product_id = client.add_product(rice_draft((uploaded,)))
    assert client.get_product(product_id).status == "new"
    time.sleep(0.4)
    assert client.get_product(product_id).status == "approved"


def test_buyer_pages_follow_review_and_display(sandbox, client, admin, uploaded):
    marker = unique_ref("VISIBLE").replace("-", "")
    admin.knobs(review_mode="manual")
    product_id = client.add_product(rice_draft((uploaded,), keywords=("jasmine rice", marker)))
    plain = client.decrypt_product_id(product_id)
    page_url = f"{sandbox.base_url}/product-detail/x_{plain}.html"
    search = f"{sandbox.base_url}/search?q={marker}"
    assert requests.get(page_url, timeout=5).status_code == 404
    assert "No products found" in requests.get(search, timeout=5).text
    admin.review(product_id=product_id, decision="approve")
    assert requests.get(page_url, timeout=5).status_code == 200
    assert "product-card" in requests.get(search, timeout=5).text
    client.take_offline([product_id])
    assert requests.get(page_url, timeout=5).status_code == 404
    assert "No products found" in requests.get(search, timeout=5).text


def test_admin_endpoints_need_the_secret(sandbox):
    assert requests.get(f"{sandbox.base_url}/sandbox/admin/knobs", timeout=5).status_code == 401
    bad = requests.post(f"{sandbox.base_url}/sandbox/admin/knobs", json={"fault_rate": 2},
                        headers={"X-Sandbox-Admin-Token": SECRET}, timeout=5)
    assert bad.status_code == 400
    bad = requests.post(f"{sandbox.base_url}/sandbox/admin/knobs", json={"nope": 1},
                        headers={"X-Sandbox-Admin-Token": SECRET}, timeout=5)
    assert bad.status_code == 400


def test_fault_rate_is_reproducible_with_a_seed(client_factory, admin):
    client = client_factory(max_attempts=1)
    outcomes = []
    for _ in range(2):
        admin.knobs(fault_rate=0.5, seed=42)
        run = []
        for _ in range(12):
            try:
                client.get_category(0)
                run.append("ok")
            except Exception as exc:  # noqa: BLE001 - recording the class is the point
                run.append(type(exc).__name__)
        outcomes.append(run)
    assert outcomes[0] == outcomes[1] and "ok" in outcomes[0] and "ServerError" in outcomes[0]
