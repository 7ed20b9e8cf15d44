"""Every client method against the live sandbox over real HTTP, on both gateways and both response shapes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
import requests
from alibaba_helpers import image_bytes, rice_draft, unique_ref

from integrations.alibaba import (AlibabaClient, AlibabaSettings, BusinessRuleError, FeatureUnavailable, Page,
                                  PriceTier, ProductBrief, ProductNotFound, ProductStatus)

VARIANTS = {
    "iop-sync-sha256": dict(gateway="iop"),
    "top-hmac-sha256": dict(gateway="top"),
    "top-md5-wrapped": dict(gateway="top", sign_method="md5", simplify=False),
    "top-hmac": dict(gateway="top", sign_method="hmac"),
}


@pytest.fixture(params=list(VARIANTS))
def any_client(request, client_factory) -> AlibabaClient:
    return client_factory(**VARIANTS[request.param])


def test_category_tree_and_attributes(any_client):
    roots = any_client.get_category(0)
    assert roots.category_id == 0 and not roots.leaf and len(roots.child_ids) >= 2
    tree = any_client.get_category_tree()
    leaves = {c.name: c for node in tree for c in node.leaves()}
    assert {"Rice", "Frozen Seafood", "Tea", "Coffee Beans", "Spices (Pepper)"} <= set(leaves)
    rice = leaves["Rice"]
    assert rice.leaf and rice.level == 3 and len(rice.parent_ids) == 2
    attrs = {a.en_name: a for a in any_client.get_category_attributes(rice.category_id)}
    assert attrs["Place of Origin"].required and attrs["Place of Origin"].input_type == "single_select"
    assert "Vietnam" in {v.en_name for v in attrs["Place of Origin"].values}
    assert {"VietGAP", "GlobalGAP", "HACCP"} <= {v.en_name for v in attrs["Certification"].values}
    assert attrs["Model Number"].input_type == "input" and not attrs["Model Number"].required
    with pytest.raises(BusinessRuleError) as exc:
        any_client.get_category_attributes(rice.parent_ids[-1])
    assert exc.value.rule == "CHK_CAT_NOT_LEAF" and not exc.value.retryable


def test_upload_list_add_get_list_update_offline_delete(any_client, sandbox):
    image = any_client.upload_image(image_bytes(900, 700), "rice st25.jpg")
    assert image.file_id > 0 and image.url.startswith(sandbox.base_url + "/photobank/")
    served = requests.get(image.url, timeout=5)
    assert served.status_code == 200 and served.headers["Content-Type"] == "image/jpeg"
    png = any_client.upload_image(image_bytes(700, 700, "PNG"), "rice-2.png")
    images = any_client.list_images(page=1, page_size=5)
    assert isinstance(images, Page) and {image.file_id, png.file_id} <= {i.id for i in images}

    started = datetime.now(timezone.utc) - timedelta(seconds=2)
    ref = unique_ref()
    product_id = any_client.add_product(rice_draft((image.url, png.url), ref=ref))
    assert product_id.startswith("AAGVN")

    product = any_client.get_product(product_id)
    assert product.status == ProductStatus.APPROVED and product.is_online and product.audit_fail_reasons == ()
    assert product.model_number == ref and product.images == (image.url, png.url)
    assert product.price_tiers == (PriceTier(25, Decimal("680.00")), PriceTier(100, Decimal("650.00")),
                                   PriceTier(500, Decimal("620.00")))
    assert product.price_type == "ladder_price"
    trade = product.sourcing_trade
    assert trade.fob_min_price == Decimal("620") and trade.min_order_quantity == 25
    assert trade.payment_methods == ("T/T", "L/C") and trade.deliver_periods[1].process_period == 30
    assert product.keywords == ("jasmine rice", "vietnam rice", "st25 rice")
    assert any_client.decrypt_product_id(product_id) == product.id
    assert any_client.encrypt_product_id(product.id) == product_id

    page = any_client.list_products(page=1, page_size=30, modified_from=started)
    assert isinstance(page.items[0], ProductBrief) and page.items[0].product_id == product_id  # newest first
    assert page.items[0].red_model == ref and page.total_item >= 1
    found = any_client.find_products_by_reference(ref, modified_from=started)
    assert [p.product_id for p in found] == [product_id]
    assert any_client.list_products(category_id=100000001, plain_id=product.id).items[0].product_id == product_id

    new_id = any_client.update_product(product_id, rice_draft((image.url,), ref=ref,
                                                              subject="Vietnam ST25 Rice, New Crop"))
    assert new_id == product_id
    updated = any_client.get_product(product_id)
    assert updated.subject == "Vietnam ST25 Rice, New Crop" and updated.images == (image.url,)
    assert updated.status == ProductStatus.APPROVED

    result = any_client.take_offline([product_id])
    assert result.success and any_client.get_product(product_id).display == "N"
    assert any_client.put_online([product_id]).success
    assert any_client.get_product(product_id).is_online

    deleted = any_client.delete_products([product_id, "AAGVN9999999"])
    assert not deleted.success and deleted.failed == {"AAGVN9999999": "PRODUCT_NOT_FOUND"}
    with pytest.raises(ProductNotFound):
        any_client.get_product(product_id)


def test_paging_walks_every_product(client, uploaded):
    prefix = unique_ref("PAGE")
    ids = {client.add_product(rice_draft((uploaded,), ref=f"{prefix}-{i}", subject=f"Paging rice {prefix} {i}"))
           for i in range(7)}
    first = client.list_products(page=1, page_size=3, subject=prefix)
    assert first.total_item == 7 and len(first) == 3 and first.has_next
    last = client.list_products(page=3, page_size=3, subject=prefix)
    assert len(last) == 1 and not last.has_next
    assert {p.product_id for p in client.iter_products(subject=prefix, page_size=3)} == ids
    with pytest.raises(ValueError):
        client.list_products(page_size=31)


def test_display_batch_reports_products_of_other_sellers(client_factory, uploaded):
    mine = client_factory()
    other = client_factory(session_key="SANDBOX-SESSION-0002")
    product_id = mine.add_product(rice_draft((uploaded,)))
    result = other.take_offline([product_id])
    assert not result.success and result.failed == {product_id: "PUB_BIZCHECK_NOT_PRODUCT_OWNER"}
    with pytest.raises(BusinessRuleError) as exc:
        other.get_product(product_id)
    assert exc.value.rule == "PUB_BIZCHECK_NOT_PRODUCT_OWNER"
    # other seller cannot use this seller's photo bank either
    with pytest.raises(BusinessRuleError) as exc:
        other.add_product(rice_draft((uploaded,)))
    assert exc.value.rule == "IMAGE_NOT_IN_PHOTOBANK"


def test_inquiries_are_unavailable_against_the_real_platform():
    real = AlibabaClient(AlibabaSettings(gateway_url="https://open-api.alibaba.com/sync",
                                         max_calls_per_second=None))
    assert not real.settings.is_sandbox
    with pytest.raises(FeatureUnavailable, match="not available on the real Alibaba.com platform"):
        real.list_inquiries()
    with pytest.raises(FeatureUnavailable):
        real.reply_to_inquiry(1, "hello")
    with pytest.raises(FeatureUnavailable):
        real.delete_products(["AAGVN0000001"])
    real.close()


def test_settings_from_env_and_repr_hide_secrets():
    settings = AlibabaSettings.from_env({"ALIBABA_GATEWAY_URL": "http://127.0.0.1:9/sync",
                                         "ALIBABA_APP_KEY": "777", "ALIBABA_APP_SECRET": "s3cr3t-value",
                                         "ALIBABA_SESSION_KEY": "SESSION-XYZ", "ALIBABA_QPS": "5"})
    assert settings.protocol == "iop" and settings.effective_sign_method == "sha256"
    assert settings.app_key == "777" and settings.max_calls_per_second == 5.0
    assert "s3cr3t-value" not in repr(settings) and "SESSION-XYZ" not in repr(settings)
    default = AlibabaSettings.from_env({})
    assert default.gateway_url == "http://127.0.0.1:8700/router/rest" and default.protocol == "top"
    assert default.effective_sign_method == "hmac-sha256" and default.is_sandbox
    with pytest.raises(ValueError):
        AlibabaSettings(gateway_url="http://x/sync", sign_method="md5")


def test_money_is_never_float():
    with pytest.raises(TypeError):
        PriceTier(10, 1.5).to_api()  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PriceTier(10, Decimal("1.555")).to_api()
