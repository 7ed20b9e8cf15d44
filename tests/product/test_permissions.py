"""Every cooperative-scoped catalog action, tried by another cooperative's staff and by a customer,
is refused and changes nothing; the cooperative's own staff and program staff may do it."""
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from storefront.cooperative import services as coop_services
from storefront.product import services

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "green").save(out, format="PNG")
    return SimpleUploadedFile("a.png", out.getvalue(), content_type="image/png")


def _media(product):
    from storefront.product.models import ProductMedia

    return ProductMedia.objects.create(product=product, image="products/none.png")


ACTIONS = {
    "product_create": lambda actor, ctx: services.product_create(
        actor=actor, cooperative=ctx["coop"], data={"name": "Mới"}),
    "product_update": lambda actor, ctx: services.product_update(
        actor=actor, product=ctx["product"], data={"name": "Đổi tên"}),
    "product_delete": lambda actor, ctx: services.product_delete(actor=actor, product=ctx["product"]),
    "variant_create": lambda actor, ctx: services.variant_create(
        actor=actor, product=ctx["product"], data={"sku": "NEW-SKU-1"}),
    "variant_update": lambda actor, ctx: services.variant_update(
        actor=actor, variant=ctx["variant"], data={"name": "x"}),
    "variant_delete": lambda actor, ctx: services.variant_delete(actor=actor, variant=ctx["variant"]),
    "variant_price": lambda actor, ctx: services.variant_channel_listing_update(
        actor=actor, variant=ctx["variant"], channel=ctx["channel"], price=1_000),
    "variant_stocks_update": lambda actor, ctx: services.variant_stocks_update(
        actor=actor, variant=ctx["variant"], stocks=[(ctx["coop"].warehouses.get(), 99)]),
    "product_channel_listing_update": lambda actor, ctx: services.product_channel_listing_update(
        actor=actor, product=ctx["product"], channel=ctx["channel"], is_published=False),
    "product_media_create": lambda actor, ctx: services.product_media_create(
        actor=actor, product=ctx["product"], uploaded_file=png()),
    "product_media_reorder": lambda actor, ctx: services.product_media_reorder(
        actor=actor, product=ctx["product"], media_ids=[]),
    "product_media_delete": lambda actor, ctx: services.product_media_delete(actor=actor, media=_media(ctx["product"])),
    "combo_create": lambda actor, ctx: services.combo_create(
        actor=actor, cooperative=ctx["coop"], data={"name": "Combo"}, components=[(ctx["variant"], 1)]),
    "combo_components_update": lambda actor, ctx: services.combo_components_update(
        actor=actor, combo=ctx["own_combo"], components=[(ctx["variant"], 5)]),
    "cooperative_update_profile": lambda actor, ctx: coop_services.cooperative_update_profile(
        actor=actor, cooperative=ctx["coop"], data={"description": "Bị sửa"}),
    "cooperative_member_add": lambda actor, ctx: coop_services.cooperative_member_add(
        actor=actor, cooperative=ctx["coop"], user=actor, role="owner"),
    "cooperative_approve": lambda actor, ctx: coop_services.cooperative_approve(actor=actor, cooperative=ctx["coop"]),
    "cooperative_suspend": lambda actor, ctx: coop_services.cooperative_suspend(
        actor=actor, cooperative=ctx["coop"], reason="x"),
}


@pytest.fixture
def ctx(coop, product, variant, channel, program_staff):
    from tests.factories import make_product

    part = make_product(coop, channel, name="Thành phần combo", price=20_000)
    own_combo = services.combo_create(actor=program_staff, cooperative=coop, data={"name": "Combo riêng"},
                                      components=[(part.variants.get(), 1)])
    return {"coop": coop, "product": product, "variant": variant, "channel": channel, "own_combo": own_combo}


def snapshot(ctx):
    from storefront.cooperative.models import Cooperative, CooperativeMember
    from storefront.product.models import ComboComponent, Product, ProductMedia, ProductVariant
    from storefront.warehouse.models import Stock

    coop = Cooperative.objects.get(pk=ctx["coop"].pk)
    return (
        list(Product.objects.values_list("pk", "name", "updated_at")),
        list(ProductVariant.objects.values_list("pk", "sku", "name")),
        list(Stock.objects.values_list("pk", "quantity")),
        list(ComboComponent.objects.values_list("pk", "quantity")),
        ProductMedia.objects.count(),
        (coop.status, coop.description),
        CooperativeMember.objects.count(),
    )


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("who", ["other_coop_staff", "customer"])
def test_outsiders_are_refused(action, who, ctx, request):
    actor = request.getfixturevalue(who)
    if action == "product_media_delete":
        media = _media(ctx["product"])
        before = snapshot(ctx)
        with pytest.raises(PermissionDenied):
            services.product_media_delete(actor=actor, media=media)
    else:
        before = snapshot(ctx)
        with pytest.raises(PermissionDenied):
            ACTIONS[action](actor, ctx)
    assert snapshot(ctx) == before


PROGRAM_ONLY = {"cooperative_approve", "cooperative_suspend"}
OWNER_ONLY = {"cooperative_member_add"}


@pytest.mark.parametrize("action", sorted(set(ACTIONS) - PROGRAM_ONLY - OWNER_ONLY))
def test_own_staff_may_act(action, ctx, coop_staff):
    ACTIONS[action](coop_staff, ctx)


@pytest.mark.parametrize("action", sorted(PROGRAM_ONLY | OWNER_ONLY))
def test_own_staff_may_not_approve_or_manage_members(action, ctx, coop_staff):
    with pytest.raises(PermissionDenied):
        ACTIONS[action](coop_staff, ctx)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_program_staff_may_act(action, ctx, program_staff):
    ACTIONS[action](program_staff, ctx)
