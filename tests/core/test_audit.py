"""The audit log of staff actions outside orders: written by the services, read by program staff."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from catalog_sync import services as export_services
from catalog_sync.source import shop_source
from storefront.account.services import user_roles_update
from storefront.cooperative.services import cooperative_approve, cooperative_suspend
from storefront.core.audit import audit_entries
from storefront.core.models import AuditEntry
from storefront.product.services import (product_channel_listing_update, variant_channel_listing_update,
                                         variant_stocks_update)
from tests.factories import make_cooperative, make_user

pytestmark = pytest.mark.django_db
Action = AuditEntry.Action


def _only(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, entries
    return entries[0]


def test_cooperative_approval_and_suspension_are_logged(program_staff):
    pending = make_cooperative(name="HTX Chè Tân Cương", province_code="19", status="pending")
    cooperative_approve(actor=program_staff, cooperative=pending)
    cooperative_approve(actor=program_staff, cooperative=pending)  # already approved: nothing happens
    entry = _only(Action.COOPERATIVE_APPROVE)
    assert (entry.actor, entry.actor_email) == (program_staff, "program@example.com")
    assert (entry.target_type, entry.target_id) == ("cooperative.cooperative", str(pending.pk))
    assert entry.changes == {"status": ["pending", "approved"]}
    cooperative_suspend(actor=program_staff, cooperative=pending, reason="Hồ sơ hết hạn")
    assert _only(Action.COOPERATIVE_SUSPEND).changes == {"status": ["approved", "suspended"],
                                                         "status_reason": ["", "Hồ sơ hết hạn"]}


def test_price_stock_and_publication_changes_are_logged(variant, product, channel, coop, coop_staff):
    variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=210_000)
    entry = _only(Action.PRICE_CHANGE)
    assert entry.actor == coop_staff and entry.target_id == str(variant.pk)
    assert entry.changes == {"price_amount (vietnam)": [195_000, 210_000]}
    variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=210_000)
    assert AuditEntry.objects.filter(action=Action.PRICE_CHANGE).count() == 1  # unchanged: not logged

    warehouse = coop.warehouses.first()
    variant_stocks_update(actor=coop_staff, variant=variant, stocks=[(warehouse, 25)])
    assert _only(Action.STOCK_CHANGE).changes == {f"quantity ({warehouse.name})": [10, 25]}

    product_channel_listing_update(actor=coop_staff, product=product, channel=channel, is_published=False)
    assert _only(Action.PRODUCT_PUBLICATION).changes == {"is_published (vietnam)": [True, False]}


def test_a_refused_change_leaves_no_entry(variant, channel, coop, coop_staff, other_coop_staff):
    with pytest.raises(ValidationError):
        variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=0)
    with pytest.raises(PermissionDenied):
        variant_stocks_update(actor=other_coop_staff, variant=variant, stocks=[(coop.warehouses.first(), 1)])
    assert not AuditEntry.objects.exists()


def test_role_changes_are_logged(program_staff):
    user = make_user("nv@example.com")
    user_roles_update(actor=program_staff, user=user, is_trade_staff=True)
    assert _only(Action.USER_ROLES).changes == {"is_trade_staff": [False, True]}


def test_export_profile_edits_selection_and_sync_requests_are_logged(product, trade_staff):
    source = shop_source()
    profile = export_services.export_profile_get_or_create(actor=trade_staff, source=source, product_id=product.pk)
    export_services.export_profile_update(actor=trade_staff, source=source, profile=profile, data={
        "title_en": "ST25 rice, 5 kg bag", "moq": "200", "tiers": [{"min_quantity": 200, "price_usd": "1.20"}]})
    entry = _only(Action.EXPORT_PROFILE)
    assert entry.actor == trade_staff and entry.target_type == "catalog_sync.exportprofile"
    assert entry.changes["moq"] == [None, 200] and entry.changes["title_en"][1] == "ST25 rice, 5 kg bag"
    assert entry.changes["price_tiers"] == ["", "≥200: 1.20 USD"]
    export_services.export_profiles_select(actor=trade_staff, source=source, product_ids=[product.pk], selected=True)
    assert AuditEntry.objects.filter(action=Action.EXPORT_PROFILE, changes__selected=[False, True]).exists()
    export_services.sync_request(actor=trade_staff, source=source, full=True)
    assert _only(Action.EXPORT_PUBLISH).changes == {"full": True}


def test_program_staff_read_and_filter_the_log(client, program_staff, coop_staff, variant, channel):
    variant_channel_listing_update(actor=coop_staff, variant=variant, channel=channel, price=199_000)
    pending = make_cooperative(name="HTX Chè Tân Cương", province_code="19", status="pending")
    cooperative_approve(actor=program_staff, cooperative=pending)
    with pytest.raises(PermissionDenied):
        audit_entries(actor=coop_staff)
    assert [e.action for e in audit_entries(actor=program_staff, action=Action.PRICE_CHANGE)] == ["variant.price"]
    assert [e.action for e in audit_entries(actor=program_staff, actor_email="program@")] == ["cooperative.approve"]

    url = reverse("dashboard:program_audit_log")
    client.force_login(coop_staff)
    assert client.get(url).status_code == 403
    client.force_login(program_staff)
    page = client.get(url, {"action": "variant.price"}).content.decode()
    assert "195000 → 199000" in page and "HTX Chè Tân Cương" not in page
    assert "HTX Chè Tân Cương" in client.get(url).content.decode()


def test_a_new_variants_price_and_stock_are_logged(product, channel, coop, coop_staff):
    from storefront.product.services import variant_create

    warehouse = coop.warehouses.first()
    variant = variant_create(actor=coop_staff, product=product, data={
        "sku": "ST25-10KG", "channel_listings": [{"channel": channel, "price": 380_000}],
        "stocks": [(warehouse, 4)]})
    assert _only(Action.PRICE_CHANGE).changes == {"price_amount (vietnam)": [None, 380_000]}
    stock = _only(Action.STOCK_CHANGE)
    assert stock.target_id == str(variant.pk) and stock.changes == {f"quantity ({warehouse.name})": [0, 4]}
