"""Writes of the supply domain: sales needs, sales records, distributor purchases and the two roles.

Every function takes the acting user, checks what they may do, reads its input with `inputs`
(collecting all errors before anything is written) and raises ValidationError with SupplyErrorCode.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storefront.core.numbers import format_number
from storefront.core.permissions import require_cooperative_access, require_program_staff
from storefront.core.text import vn_slugify

from . import inputs
from .access import require_cooperative_supply_access, require_distributor_access
from .error_codes import SupplyErrorCode
from .models import (RECORDED_CHANNELS, Distributor, DistributorMember, DistributorPurchase,
                     ProvincialAllianceMember, SalesChannel, SalesNeed, SalesRecord)
from .online import product_group_of

NEED_PLANNED_FIELDS = ("planned_market", "planned_distributor", "planned_processor", "planned_exporter")
NEED_TEXT_FIELDS = ("standard", "packaging", "delivery_period", "delivery_place")


def _invalid(field: str, message: str, code: SupplyErrorCode = SupplyErrorCode.INVALID) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code.value)})


def _read_product(data: dict, cooperative, errors: inputs.FieldErrors):
    """The shop product a row is about (optional); it must be the cooperative's own."""
    from storefront.product.models import Product

    value = data.get("product")
    if value in (None, ""):
        return None
    if not isinstance(value, Product):
        try:
            value = Product.objects.select_related("category").get(pk=int(value))
        except (Product.DoesNotExist, TypeError, ValueError):
            errors.add("product", _("Không tìm thấy sản phẩm."), SupplyErrorCode.NOT_FOUND)
            return None
    if value.cooperative_id != cooperative.pk:
        errors.add("product", _("Sản phẩm không thuộc hợp tác xã này."), SupplyErrorCode.INVALID)
        return None
    return value


def _read_described_product(data: dict, cooperative, errors: inputs.FieldErrors) -> dict:
    """Product, name and group of a row: the name and group default to the linked product's."""
    product = _read_product(data, cooperative, errors)
    name_data = dict(data)
    if product is not None and inputs._blank(data.get("product_name")):
        name_data["product_name"] = product.name
    return {
        "product": product,
        "product_name": inputs.text(name_data, "product_name", errors, required=True),
        "product_group": inputs.product_group(data, "product_group", errors,
                                              fallback=product_group_of(product, default=None) if product else None),
    }


# ---- sales needs ----------------------------------------------------------------------------------

def _clean_need(data: dict, cooperative) -> dict:
    errors = inputs.FieldErrors()
    values = _read_described_product(data, cooperative, errors)
    values["need_date"] = inputs.date(data, "need_date", errors, default=timezone.localdate())
    values["farm_area_ha"] = inputs.decimal(data, "farm_area_ha", errors, required=False, places=2)
    values["unit"] = inputs.unit(data, "unit", errors)
    values["quantity"] = inputs.decimal(data, "quantity", errors, positive=True)
    for field in NEED_TEXT_FIELDS:
        values[field] = inputs.text(data, field, errors)
    values["note"] = inputs.text(data, "note", errors, max_length=2000)
    price = inputs.decimal(data, "unit_price_thousand_vnd", errors, required=False, places=3)
    values["unit_price_vnd"] = None if price is None else int(price * 1000)
    unit_name = values["unit"] or _("đơn vị tính của nhu cầu")
    for field in NEED_PLANNED_FIELDS:
        values[field] = inputs.decimal(data, field, errors, default=Decimal(0), expected=_(
            "Cần số lượng dự kiến tiêu thụ qua kênh này, tính bằng %(unit)s (ví dụ 12,5); để trống nếu không có.")
            % {"unit": unit_name})
    planned = [values[f] for f in NEED_PLANNED_FIELDS]
    if values["quantity"] is not None and None not in planned and sum(planned) > values["quantity"]:
        errors.add("quantity", _("Tổng số lượng dự kiến theo kênh (%(planned)s) lớn hơn số lượng cần tiêu thụ.")
                   % {"planned": format_number(sum(planned))}, SupplyErrorCode.INVALID_QUANTITY)
    errors.raise_if_any()
    return values


def need_input_of(need: SalesNeed) -> dict:
    """A need's current values as input, the starting point of a partial update or an edit form."""
    data = {field: getattr(need, field) for field in (
        "need_date", "product_name", "product_group", "farm_area_ha", "unit", "quantity", "note",
        *NEED_TEXT_FIELDS, *NEED_PLANNED_FIELDS)}
    data["product"] = need.product_id
    data["unit_price_thousand_vnd"] = (None if need.unit_price_vnd is None
                                       else (Decimal(need.unit_price_vnd) / 1000).normalize())
    return data


def need_create(*, actor, cooperative, data: dict) -> SalesNeed:
    require_cooperative_supply_access(actor, cooperative)
    values = _clean_need(data, cooperative)
    return SalesNeed.objects.create(cooperative=cooperative, created_by=actor, **values)


def need_import(*, source_ref: str, cooperative, data: dict) -> SalesNeed:
    """Creates or refreshes the need imported under `source_ref` (a row of the program's sheets),
    so importing the same sheet twice changes nothing. For system imports: no actor is checked."""
    values = _clean_need(data, cooperative)
    need, _created = SalesNeed.objects.update_or_create(source_ref=source_ref,
                                                        defaults={"cooperative": cooperative, **values})
    return need


def need_update(*, actor, need: SalesNeed, data: dict) -> SalesNeed:
    """Changes the given fields; a closed need is no longer edited."""
    require_cooperative_supply_access(actor, need.cooperative)
    with transaction.atomic():
        locked = SalesNeed.objects.select_for_update().select_related("cooperative").get(pk=need.pk)
        if not locked.is_open:
            raise _invalid("status", _("Nhu cầu đã đóng, không sửa được nữa."), SupplyErrorCode.INVALID_STATUS)
        values = _clean_need({**need_input_of(locked), **data}, locked.cooperative)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
    return locked


def need_close(*, actor, need: SalesNeed) -> SalesNeed:
    require_cooperative_supply_access(actor, need.cooperative)
    with transaction.atomic():
        locked = SalesNeed.objects.select_for_update().get(pk=need.pk)
        if not locked.is_open:
            raise _invalid("status", _("Nhu cầu này đã đóng."), SupplyErrorCode.INVALID_STATUS)
        locked.status = SalesNeed.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
    return locked


def _draft_product_data(need: SalesNeed) -> dict:
    from storefront.product.models import Category
    from storefront.product.standards import parse_standard

    details = [
        (_("Tiêu chuẩn"), need.standard),
        (_("Quy cách"), need.packaging),
        (_("Diện tích canh tác"), f"{format_number(need.farm_area_ha)} ha" if need.farm_area_ha else ""),
        (_("Thời gian giao hàng"), need.delivery_period),
        (_("Địa điểm giao hàng"), need.delivery_place),
    ]
    description = "\n".join(f"{label}: {value}" for label, value in details if value)
    category = (Category.objects.filter(program_group=need.product_group).order_by("level", "sort_order", "pk")
                .first())
    return {
        "name": need.product_name,
        "description": description,
        "category": category,
        # Only the standards the catalog knows become product marks; the full text is in the description.
        "standards": [part.strip() for part in need.standard.split(",") if parse_standard(part)[0]],
        "unit_label": need.unit,
        "origin_province": need.cooperative.province,
    }


def need_to_draft_product(*, actor, need: SalesNeed, channel=None):
    """Turns a need into an unpublished product of the cooperative's store, prefilled from the need.

    Only the cooperative's staff or program staff open products in a store. Asking twice returns the
    product made the first time."""
    from storefront.channel.models import Channel
    from storefront.product import services as product_services

    require_cooperative_access(actor, need.cooperative_id)
    with transaction.atomic():
        locked = SalesNeed.objects.select_for_update().select_related("cooperative__province").get(pk=need.pk)
        if locked.draft_product_id:
            return locked.draft_product
        product = product_services.product_create(actor=actor, cooperative=locked.cooperative,
                                                  data=_draft_product_data(locked))
        channel = channel or Channel.objects.filter(is_active=True).order_by("pk").first()
        if channel is not None:
            product_services.product_channel_listing_update(actor=actor, product=product, channel=channel,
                                                            is_published=False)
        locked.draft_product = product
        if locked.product_id is None:
            locked.product = product
        locked.save(update_fields=["draft_product", "product", "updated_at"])
    return product


# ---- sales records --------------------------------------------------------------------------------

def _read_need(data: dict, cooperative, errors: inputs.FieldErrors) -> SalesNeed | None:
    value = data.get("need")
    if value in (None, ""):
        return None
    if not isinstance(value, SalesNeed):
        value = SalesNeed.objects.filter(pk=value).first() if str(value).isdigit() else None
    if value is None or value.cooperative_id != cooperative.pk:
        errors.add("need", _("Không tìm thấy nhu cầu tiêu thụ của hợp tác xã này."), SupplyErrorCode.NOT_FOUND)
        return None
    return value


def sales_record_create(*, actor, cooperative, data: dict) -> SalesRecord:
    """Records a quantity sold through one of the form's four channels; the shop's own orders are
    counted by the reports and cannot be entered here."""
    require_cooperative_supply_access(actor, cooperative)
    values = _clean_record(data, cooperative)
    return SalesRecord.objects.create(cooperative=cooperative, created_by=actor, **values)


def _clean_record(data: dict, cooperative) -> dict:
    errors = inputs.FieldErrors()
    values = _read_described_product(data, cooperative, errors)
    values["need"] = _read_need(data, cooperative, errors)
    values["sold_on"] = inputs.date(data, "sold_on", errors)
    if values["sold_on"] and values["sold_on"] > timezone.localdate():
        errors.add("sold_on", _("Ngày bán không được ở tương lai."), SupplyErrorCode.INVALID)
    values["unit"] = inputs.unit(data, "unit", errors)
    values["quantity"] = inputs.decimal(data, "quantity", errors, positive=True)
    if getattr(data.get("channel"), "value", data.get("channel")) == SalesChannel.ONLINE:
        errors.add("channel", _("Đơn hàng trên HTX Market được tính tự động, không cần nhập."),
                   SupplyErrorCode.INVALID)
    else:
        values["channel"] = inputs.choice(data, "channel", errors, RECORDED_CHANNELS)
    values["buyer_name"] = inputs.text(data, "buyer_name", errors, required=True)
    values["difficulties"] = inputs.text(data, "difficulties", errors, max_length=2000)
    values["proposals"] = inputs.text(data, "proposals", errors, max_length=2000)
    errors.raise_if_any()
    return values


def sales_record_import(*, source_ref: str, cooperative, data: dict) -> SalesRecord:
    """Creates or refreshes the record imported under `source_ref`; see `need_import`."""
    values = _clean_record(data, cooperative)
    record, _created = SalesRecord.objects.update_or_create(source_ref=source_ref,
                                                            defaults={"cooperative": cooperative, **values})
    return record


def sales_record_delete(*, actor, record: SalesRecord) -> None:
    require_cooperative_supply_access(actor, record.cooperative)
    record.delete()


# ---- distributors ---------------------------------------------------------------------------------

def distributor_purchase_create(*, actor, distributor: Distributor, data: dict) -> DistributorPurchase:
    from storefront.cooperative.models import Cooperative

    require_distributor_access(actor, distributor)
    errors = inputs.FieldErrors()
    cooperative = data.get("cooperative")
    if cooperative is not None and not isinstance(cooperative, Cooperative):
        cooperative = Cooperative.objects.filter(pk=cooperative).first() if str(cooperative).isdigit() else None
        if cooperative is None:
            errors.add("cooperative", _("Không tìm thấy hợp tác xã."), SupplyErrorCode.NOT_FOUND)
    elif cooperative is None:
        errors.add("cooperative", _("Hãy chọn hợp tác xã cung cấp hàng."), SupplyErrorCode.REQUIRED)
    values = (_read_described_product(data, cooperative, errors) if cooperative is not None else
              {"product": None, "product_name": inputs.text(data, "product_name", errors, required=True),
               "product_group": inputs.product_group(data, "product_group", errors)})
    values["purchased_on"] = inputs.date(data, "purchased_on", errors)
    values["unit"] = inputs.unit(data, "unit", errors)
    values["quantity"] = inputs.decimal(data, "quantity", errors, positive=True)
    destinations = ("sold_hcmc", "sold_hanoi", "sold_other")
    for field in destinations:
        values[field] = inputs.decimal(data, field, errors, default=Decimal(0))
    sold = [values[f] for f in destinations]
    if values["quantity"] is not None and None not in sold and sum(sold) > values["quantity"]:
        errors.add("quantity", _("Tổng số lượng đã bán theo địa bàn lớn hơn số lượng thu mua."),
                   SupplyErrorCode.INVALID_QUANTITY)
    values["difficulties"] = inputs.text(data, "difficulties", errors, max_length=2000)
    values["solutions"] = inputs.text(data, "solutions", errors, max_length=2000)
    errors.raise_if_any()
    return DistributorPurchase.objects.create(distributor=distributor, cooperative=cooperative, created_by=actor,
                                              **values)


def distributor_create(*, actor, data: dict) -> Distributor:
    require_program_staff(actor)
    errors = inputs.FieldErrors()
    values = {"name": inputs.text(data, "name", errors, required=True)}
    for field in ("address", "representative_name", "representative_title"):
        values[field] = inputs.text(data, field, errors)
    errors.raise_if_any()
    base = vn_slugify(values["name"]) or "nha-phan-phoi"
    slug, n = base, 1
    while Distributor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return Distributor.objects.create(slug=slug, **values)


def distributor_member_add(*, actor, distributor: Distributor, user) -> DistributorMember:
    require_program_staff(actor)
    member, _created = DistributorMember.objects.get_or_create(distributor=distributor, user=user)
    return member


def alliance_member_add(*, actor, user, province, title: str = "") -> ProvincialAllianceMember:
    """Program staff name a provincial alliance's staff member, who then sees that province's data."""
    require_program_staff(actor)
    member, created = ProvincialAllianceMember.objects.get_or_create(user=user, province=province,
                                                                      defaults={"title": title})
    if not created and title and member.title != title:
        member.title = title
        member.save(update_fields=["title"])
    return member
