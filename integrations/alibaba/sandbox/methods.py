"""Business methods of the sandbox (protocol doc §3, §8.4, §8.5).

Every handler takes a Call and returns (result dict, wrap context). Validation order inside a method:
missing required parameters (40), then types/JSON/enums/ranges/list sizes (41), then business rules (15 isv.*).
"""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from . import review, seed
from .config import SandboxConfig
from .protocol import ApiError, business, fmt_time, invalid, missing, parse_time
from .store import Store, plain_id_for, product_id_for


@dataclass
class Call:
    store: Store
    config: SandboxConfig
    seller_id: int
    params: dict[str, Any]
    files: dict[str, Any]
    base_url: str
    method: str

    def get(self, name: str) -> str:
        value = self.params.get(name)
        return value if isinstance(value, str) else ""


# -- small parsers ---------------------------------------------------------------------------------
def _required(call: Call, *names: str) -> None:
    for name in names:
        if not call.get(name):
            raise missing(name)


def _int(text: str, name: str, lo: int | None = None, hi: int | None = None) -> int:
    text = str(text).strip()
    if not re.fullmatch(r"-?\d{1,18}", text):
        raise invalid(name, "not an integer")
    value = int(text)
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise invalid(name, f"must be between {lo} and {hi}")
    return value


def _opt_int(call: Call, name: str, default: int, lo: int | None = None, hi: int | None = None) -> int:
    text = call.get(name)
    return _int(text, name, lo, hi) if text else default


def _json(text: str, name: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        raise invalid(name, "not valid JSON")
    if not isinstance(value, kind):
        raise invalid(name, f"must be a JSON {'object' if kind is dict else 'array'}")
    return value


def _str_list(text: str, name: str) -> list[str]:
    text = text.strip()
    if text.startswith("["):
        value = _json(text, name, list)
        if not all(isinstance(v, str) for v in value):
            raise invalid(name, "must be a list of strings")
        return [v.strip() for v in value]
    return [v.strip() for v in text.split(",")]


def _price(value: Any, name: str) -> Decimal:
    if isinstance(value, float) or isinstance(value, bool):
        raise invalid(name, "prices are decimal strings")
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        raise invalid(name, "not a decimal number")
    if not price.is_finite() or price < Decimal("0.01") or price > Decimal("9999999.00"):
        raise invalid(name, "must be between 0.01 and 9999999.00")
    if price.as_tuple().exponent < -2:  # type: ignore[operator]
        raise invalid(name, "at most 2 decimals")
    return price


def _obj_int(obj: dict, key: str, name: str, lo: int, hi: int) -> int:
    value = obj.get(key)
    if isinstance(value, bool) or value is None:
        raise invalid(name, f"{key} is required")
    return _int(str(value), name, lo, hi)


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise invalid(key, "must be text")
    return str(value).strip()


# -- categories ----------------------------------------------------------------------------------------
def _category_node(call: Call, cat_id: int) -> dict[str, Any]:
    if cat_id == 0:
        roots = call.store.child_categories(0)
        return {"category_id": 0, "name": "All Categories", "cn_name": "", "level": 0, "leaf_category": False,
                "parent_ids": [], "child_ids": [r["id"] for r in roots]}
    row = call.store.category(cat_id)
    if row is None:
        raise business("PUB_BIZCHECK_CAT_ID_NOTEXIST", f"Category {cat_id} does not exist.")
    parents, parent = [], row["parent_id"]
    while parent:
        parents.insert(0, parent)
        parent = call.store.category(parent)["parent_id"]
    return {"category_id": row["id"], "name": row["name"], "cn_name": "", "level": row["level"],
            "leaf_category": bool(row["leaf"]), "parent_ids": parents,
            "child_ids": [r["id"] for r in call.store.child_categories(cat_id)]}


def category_get(call: Call) -> tuple[dict, str]:
    _required(call, "cat_id")
    return {"category": _category_node(call, _int(call.get("cat_id"), "cat_id", 0))}, ""


def _leaf(call: Call, cat_id: int) -> Any:
    row = call.store.category(cat_id)
    if row is None:
        raise business("PUB_BIZCHECK_CAT_ID_NOTEXIST", f"Category {cat_id} does not exist.")
    if not row["leaf"]:
        raise business("CHK_CAT_NOT_LEAF", f"Category {cat_id} is not a leaf category; choose a leaf.")
    return row


def category_attributes(cat_row: Any) -> list[dict[str, Any]]:
    out = []
    for attr_id in seed.LEAF_ATTRIBUTES:
        spec = seed.ATTRIBUTES[attr_id]
        required = attr_id in seed.REQUIRED_ATTRIBUTES
        out.append({
            "attr_id": attr_id, "en_name": spec["en_name"], "required": required,
            "input_type": spec["input_type"], "show_type": spec["show_type"], "value_type": spec["value_type"],
            "units": [], "sku_attribute": False, "customize_value": spec["input_type"] == "input",
            "customize_image": False, "car_model": False,
            "attribute_values": [{"attr_value_id": vid, "en_name": name, "sku_value": False, "child_attrs": []}
                                 for vid, name in spec.get("values", [])],
        })
    return out


def category_attribute_get(call: Call) -> tuple[dict, str]:
    _required(call, "cat_id")
    row = _leaf(call, _int(call.get("cat_id"), "cat_id", 1))
    return {"attributes": category_attributes(row)}, "category"


# -- photo bank ----------------------------------------------------------------------------------------
def photobank_url(call: Call, file_id: int, file_name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", file_name).strip("-") or "image"
    return f"{call.base_url}/photobank/{file_id}/{safe}"


def photobank_upload(call: Call) -> tuple[dict, str]:
    from PIL import Image, UnidentifiedImageError

    _required(call, "file_name")
    upload = call.files.get("image_bytes")
    if upload is None:
        raise missing("image_bytes")
    data = upload.data
    if not data:
        raise invalid("image_bytes", "empty file")
    if len(data) > call.config.max_image_bytes:
        raise business("SIZE_TOO_LARGE", f"The image is {len(data)} bytes; the limit is "
                                         f"{call.config.max_image_bytes} bytes (5 MB).")
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt, (width, height) = im.format, im.size
            im.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise business("IMAGE_FORMAT_UNSUPPORTED", "The file is not a readable JPEG or PNG image.")
    if fmt not in ("JPEG", "PNG"):
        raise business("IMAGE_FORMAT_UNSUPPORTED", f"{fmt} images are not accepted; upload JPEG or PNG.")
    file_name = call.get("file_name")
    if len(file_name) > 128:
        raise invalid("file_name", "at most 128 characters")
    group_id = call.get("group_id") or None
    file_id = call.store.add_image(seller_id=call.seller_id, file_name=file_name,
                                   content_type="image/jpeg" if fmt == "JPEG" else "image/png", data=data,
                                   width=width, height=height, group_id=group_id)
    return {"upload_image_response": {"file_id": file_id, "file_name": file_name,
                                      "photobank_url": photobank_url(call, file_id, file_name)}}, ""


def annex_url(call: Call, file_id: int, file_name: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", file_name).strip("-") or "file"
    return f"{call.base_url}/annex/{file_id}/{safe}"


ANNEX_TYPES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def annex_upload(call: Call) -> tuple[dict, str]:
    """Attachments (the RFQ family's `alibaba.icbu.annex.upload`; its fields are not public, so these are the
    sandbox's): `file_name` + multipart `file_input_stream_bytes`, PDF/JPEG/PNG up to 5 MB, recognised by their
    first bytes. Answer `result{success, file_id, file_name, file_url}`; the same bytes twice give two files."""
    _required(call, "file_name")
    upload = call.files.get("file_input_stream_bytes")
    if upload is None:
        raise missing("file_input_stream_bytes")
    data = upload.data
    if not data:
        raise invalid("file_input_stream_bytes", "empty file")
    if len(data) > call.config.max_image_bytes:
        raise business("SIZE_TOO_LARGE", f"The file is {len(data)} bytes; the limit is "
                                         f"{call.config.max_image_bytes} bytes (5 MB).")
    content_type = next((kind for magic, kind in ANNEX_TYPES if data.startswith(magic)), None)
    if content_type is None:
        raise business("FILE_FORMAT_UNSUPPORTED", "Attachments must be PDF, JPEG or PNG files.")
    file_name = call.get("file_name")
    if len(file_name) > 128:
        raise invalid("file_name", "at most 128 characters")
    file_id = call.store.add_annex(seller_id=call.seller_id, file_name=file_name, content_type=content_type,
                                   data=data)
    return {"result": {"success": True, "file_id": file_id, "file_name": file_name,
                       "file_url": annex_url(call, file_id, file_name)}}, ""


def photobank_list(call: Call) -> tuple[dict, str]:
    page = _opt_int(call, "current_page", 1, 1)
    size = _opt_int(call, "page_size", 20, 1, 100)
    location = call.get("location_type") or "ALL_GROUP"
    if location not in ("ALL_GROUP", "SUB_GROUP", "UNGROUP"):
        raise invalid("location_type")
    total, rows = call.store.images_page(call.seller_id, (page - 1) * size, size)
    seller = call.store.seller(call.seller_id)
    items = [{"id": r["file_id"], "url": photobank_url(call, r["file_id"], r["file_name"]),
              "file_name": r["file_name"], "display_name": r["file_name"], "file_size": r["file_size"],
              "group_id": r["group_id"] or "", "reference_count": 0, "width": r["width"], "height": r["height"],
              "gmt_modified": fmt_time(r["gmt_create"]),
              "owner_member_display_name": seller.get("display_name", "")} for r in rows]
    return {"pagination_query_list": {"list": items, "total_item": total, "current_page": page,
                                      "page_size": size}}, ""


# -- product validation --------------------------------------------------------------------------
_ASCII_PRINTABLE = re.compile(r"^[\x20-\x7e]+$")
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
PRODUCT_FIELDS = ("category_id", "subject", "keywords", "language", "product_type", "main_image",
                  "description", "attributes", "sourcing_trade", "wholesale_trade", "bulk_discount_prices",
                  "product_sku", "group_id", "market", "is_smart_edit", "custom_info")


def _own_image(call: Call, url: str) -> bool:
    file_id = review.photobank_file_id(url)
    if file_id is None:
        return False
    row = call.store.image(file_id)
    return row is not None and row["seller_id"] == call.seller_id


def _attribute_spec(attr: dict) -> tuple[int, dict] | None:
    attr_id = attr.get("attribute_id")
    name = str(attr.get("attribute_name") or "").strip().lower()
    for aid, spec in seed.ATTRIBUTES.items():
        if (attr_id is not None and str(attr_id) == str(aid)) or (name and name == spec["en_name"].lower()):
            return aid, spec
    return None


def _parse_attributes(text: str, limit: int) -> list[dict[str, Any]]:
    raw = _json(text, "attributes", list)
    if len(raw) > limit:
        raise invalid("attributes", f"at most {limit} items")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise invalid("attributes", "each attribute must be an object")
        if item.get("attribute_id") is None and not item.get("attribute_name"):
            raise invalid("attributes", "attribute_id or attribute_name is required")
        if item.get("value_id") is None and item.get("value_name") in (None, ""):
            raise invalid("attributes", "value_id or value_name is required")
        clean = {k: item[k] for k in ("attribute_id", "attribute_name", "value_id", "value_name",
                                      "sku_custom_value_name", "sku_custom_image_url") if item.get(k) is not None}
        for key in ("attribute_id", "value_id"):
            if key in clean:
                clean[key] = _int(str(clean[key]), "attributes")
        for key in ("attribute_name", "value_name"):
            if key in clean and not isinstance(clean[key], str):
                raise invalid("attributes", f"{key} must be text")
        out.append(clean)
    return out


def _check_attributes(attrs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    custom = 0
    seen: set[int] = set()
    out = []
    for attr in attrs:
        match = _attribute_spec(attr)
        value = str(attr.get("value_name") or "").strip()
        if len(value) > 70:
            raise business("CHK_BASIC_MAX_LENGTH", f"Attribute value '{value[:20]}...' is longer than 70 characters.")
        if match is None:
            custom += 1
            if len(str(attr.get("attribute_name", ""))) > 40:
                raise business("CHK_BASIC_MAX_LENGTH", "Custom attribute names are limited to 40 characters.")
            out.append(attr)
            continue
        aid, spec = match
        seen.add(aid)
        attr = {**attr, "attribute_id": aid, "attribute_name": spec["en_name"]}
        choices = dict(spec.get("values", []))
        if choices:
            if attr.get("value_id") is not None and not value:
                if attr["value_id"] not in choices:
                    raise business("CHK_BASIC_ONEOF", f"Unknown value id for '{spec['en_name']}'.")
                value = choices[attr["value_id"]]
            names = [v.strip() for v in value.split(",")] if spec["input_type"] == "multi_select" else [value]
            known = {n.lower(): n for n in choices.values()}
            for name in names:
                if name.lower() not in known:
                    raise business("CHK_BASIC_ONEOF", f"'{name}' is not an allowed value of '{spec['en_name']}' "
                                                      f"(allowed: {', '.join(choices.values())}).")
            value = ", ".join(known[n.lower()] for n in names)
            attr["value_name"] = value
        regex = spec.get("regex")
        if regex and value and not re.fullmatch(regex, value):
            raise invalid("attributes", f"{spec['en_name']} must match {regex}")
        out.append(attr)
    if custom > 10:
        raise business("PUB_BIZCHECK_PROPERTY_CUSTOM_ITEMS_LIMIT", "At most 10 custom attributes are allowed.")
    for aid in seed.REQUIRED_ATTRIBUTES:
        if aid not in seen:
            raise business("CHK_BASIC_REQUIRED",
                           f"The category attribute '{seed.ATTRIBUTES[aid]['en_name']}' is required.")
    return out


def _parse_tiers(text: str, limit: int) -> list[dict[str, Any]]:
    raw = _json(text, "bulk_discount_prices", list)
    if len(raw) > limit:
        raise invalid("bulk_discount_prices", f"at most {limit} tiers")
    tiers = []
    for item in raw:
        if not isinstance(item, dict):
            raise invalid("bulk_discount_prices", "each tier must be an object")
        qty = _obj_int(item, "start_quantity", "bulk_discount_prices", 1, 99999)
        price = _price(item.get("price"), "bulk_discount_prices")
        tiers.append({"start_quantity": qty, "price": f"{price:.2f}"})
    for before, after in zip(tiers, tiers[1:]):
        if after["start_quantity"] <= before["start_quantity"]:
            raise business("CHK_STEP_LADDER_PERIOD_VALUE_ERROR", "Tier start quantities must ascend strictly.")
        if Decimal(after["price"]) > Decimal(before["price"]):
            raise business("CHK_STEP_LADDER_PERIOD_VALUE_ERROR",
                           "A larger quantity tier cannot have a higher price.")
    return tiers


def _deliver_periods(value: Any, name: str) -> list[dict[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(name, "deliver_periods must be an array")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise invalid(name, "deliver_periods items must be objects")
        out.append({"quantity": _obj_int(item, "quantity", name, 1, 99999999),
                    "process_period": _obj_int(item, "process_period", name, 1, 365)})
    return out


def _enum(value: str, allowed: tuple[str, ...], label: str) -> None:
    if value and value not in allowed:
        raise business("CHK_BASIC_ONEOF", f"'{value}' is not a valid {label} (allowed: {', '.join(allowed)}).")


def _parse_sourcing(text: str) -> dict[str, Any]:
    raw = _json(text, "sourcing_trade", dict)
    out: dict[str, Any] = {}
    for key in ("fob_currency", "fob_unit_type", "min_order_unit_type", "supply_unit_type", "supply_period_type",
                "delivery_port", "delivery_time", "packaging_desc"):
        value = _text(raw, key)
        if value:
            out[key] = value
    for key in ("fob_min_price", "fob_max_price"):
        if raw.get(key) not in (None, ""):
            _price(raw[key], f"sourcing_trade.{key}")
            out[key] = str(raw[key]).strip()
    for key in ("min_order_quantity", "supply_quantity"):
        if raw.get(key) not in (None, ""):
            out[key] = str(_int(str(raw[key]), f"sourcing_trade.{key}", 1, 999999999))
    if raw.get("payment_methods") is not None:
        pm = raw["payment_methods"]
        if isinstance(pm, str):
            pm = [p.strip() for p in pm.split(",") if p.strip()]
        if not isinstance(pm, list) or not all(isinstance(p, str) for p in pm):
            raise invalid("sourcing_trade.payment_methods")
        out["payment_methods"] = pm
    periods = _deliver_periods(raw.get("deliver_periods"), "sourcing_trade.deliver_periods")
    if periods:
        out["deliver_periods"] = periods
    return out


def _check_sourcing(st: dict[str, Any], tiers: list) -> None:
    _enum(st.get("fob_currency", "USD"), seed.CURRENCIES, "currency")
    for key in ("fob_unit_type", "min_order_unit_type", "supply_unit_type"):
        _enum(st.get(key, ""), seed.UNITS, "unit")
    _enum(st.get("supply_period_type", ""), seed.PERIODS, "supply period")
    for method in st.get("payment_methods", []):
        _enum(method, seed.PAYMENT_METHODS, "payment method")
    has_range = st.get("fob_min_price") and st.get("fob_max_price")
    if not has_range and not tiers:
        raise business("CHK_BASIC_REQUIRED", "sourcing_trade needs an FOB price range (fob_min_price, "
                                             "fob_max_price) or bulk_discount_prices.")
    if has_range:
        if not st.get("fob_unit_type"):
            raise business("CHK_BASIC_REQUIRED", "fob_unit_type is required with an FOB price range.")
        if Decimal(st["fob_min_price"]) > Decimal(st["fob_max_price"]):
            raise business("CHK_BASIC_ONEOF", "fob_min_price must not exceed fob_max_price.")
    if not st.get("min_order_quantity") or not st.get("min_order_unit_type"):
        raise business("CHK_BASIC_REQUIRED", "min_order_quantity and min_order_unit_type are required.")
    if len(st.get("delivery_port", "")) > 64 or not _ASCII_PRINTABLE.match(st.get("delivery_port", "x")):
        raise business("CHK_BASIC_MAX_LENGTH", "delivery_port must be ASCII, at most 64 characters.")
    if len(st.get("packaging_desc", "")) > 512:
        raise business("CHK_BASIC_MAX_LENGTH", "packaging_desc is limited to 512 characters.")


def _parse_wholesale(text: str) -> dict[str, Any]:
    raw = _json(text, "wholesale_trade", dict)
    out: dict[str, Any] = {}
    for key in ("unit_type", "sale_type"):
        if _text(raw, key):
            out[key] = _text(raw, key)
    if raw.get("price") in (None, ""):
        raise invalid("wholesale_trade", "price is required")
    out["price"] = f"{_price(raw['price'], 'wholesale_trade.price'):.2f}"
    out["min_order_quantity"] = _obj_int(raw, "min_order_quantity", "wholesale_trade", 1, 99999)
    if raw.get("batch_number") is not None:
        out["batch_number"] = _obj_int(raw, "batch_number", "wholesale_trade", 1, 99999)
    if raw.get("handling_time") is not None:
        out["handling_time"] = _obj_int(raw, "handling_time", "wholesale_trade", 1, 60)
    periods = _deliver_periods(raw.get("deliver_periods"), "wholesale_trade.deliver_periods")
    if periods:
        out["deliver_periods"] = periods
    return out


def build_product(call: Call, *, mode: str, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Validate the product parameters of add / update / update.field; returns the stored write form."""
    if mode == "field":
        _required(call, "product_id", "language", "product_type")
    elif mode == "update":
        _required(call, "product_id", "category_id", "subject", "keywords", "language", "main_image",
                  "product_type")
    else:
        _required(call, "category_id", "subject", "keywords", "language", "product_type", "main_image")
    if call.get("product_type") == "sourcing" and mode == "add" and not call.get("sourcing_trade"):
        raise missing("sourcing_trade")
    if call.get("product_type") == "wholesale" and mode == "add" and not call.get("wholesale_trade"):
        raise missing("wholesale_trade")

    # --- types, JSON, enums, ranges, list sizes (41)
    if call.get("language") != "ENGLISH":
        raise invalid("language", "only ENGLISH is supported")
    if call.get("product_type") not in ("sourcing", "wholesale"):
        raise invalid("product_type", "sourcing or wholesale")
    data: dict[str, Any] = dict(base or {}) if mode == "field" else {}
    supplied = {name for name in PRODUCT_FIELDS if call.get(name)}
    data["language"] = "ENGLISH"
    data["product_type"] = call.get("product_type")
    if "category_id" in supplied:
        data["category_id"] = _int(call.get("category_id"), "category_id", 1)
    if "subject" in supplied:
        data["subject"] = call.get("subject").strip()
    if "keywords" in supplied:
        keywords = [k for k in _str_list(call.get("keywords"), "keywords")]
        if not 1 <= len(keywords) <= 3 or any(not k for k in keywords):
            raise invalid("keywords", "1 to 3 non-empty keywords")
        data["keywords"] = keywords
    if "main_image" in supplied:
        main = _json(call.get("main_image"), "main_image", dict)
        images = main.get("images")
        if isinstance(images, str):
            images = [i for i in images.split(",") if i]
        if not isinstance(images, list) or not images or not all(isinstance(i, str) for i in images):
            raise invalid("main_image", "images must be a non-empty list of photo-bank URLs")
        clean = {"images": images, "watermark": bool(main.get("watermark", False))}
        for key in ("watermark_frame", "watermark_position"):
            if main.get(key):
                clean[key] = str(main[key])
        data["main_image"] = clean
    if "description" in supplied:
        data["description"] = call.get("description")
    elif mode == "update":
        data.pop("description", None)
    limit = 500 if mode == "add" else 100
    if "attributes" in supplied:
        data["attributes"] = _parse_attributes(call.get("attributes"), limit)
    if "bulk_discount_prices" in supplied:
        data["bulk_discount_prices"] = _parse_tiers(call.get("bulk_discount_prices"), 4 if mode == "add" else 20)
    if "sourcing_trade" in supplied:
        data["sourcing_trade"] = _parse_sourcing(call.get("sourcing_trade"))
    if "wholesale_trade" in supplied:
        data["wholesale_trade"] = _parse_wholesale(call.get("wholesale_trade"))
    if "product_sku" in supplied:
        data["product_sku"] = _json(call.get("product_sku"), "product_sku", dict)
    if "custom_info" in supplied:
        data["custom_info"] = _json(call.get("custom_info"), "custom_info", dict)
    if "group_id" in supplied:
        data["group_id"] = _int(call.get("group_id"), "group_id")
    if "market" in supplied:
        if call.get("market") not in ("main", "onesite"):
            raise invalid("market")
        data["market"] = call.get("market")
    if "is_smart_edit" in supplied:
        if call.get("is_smart_edit") not in ("true", "false"):
            raise invalid("is_smart_edit")
        data["is_smart_edit"] = call.get("is_smart_edit") == "true"
    if data["product_type"] == "sourcing" and "sourcing_trade" not in data:
        raise missing("sourcing_trade")
    if data["product_type"] == "wholesale" and "wholesale_trade" not in data:
        raise missing("wholesale_trade")

    # --- business rules (15 isv.*)
    _leaf(call, data["category_id"])
    subject = data["subject"]
    if len(subject) > 128:
        raise business("CHK_BASIC_MAX_LENGTH", f"subject is {len(subject)} characters; the limit is 128.")
    if not _ASCII_PRINTABLE.match(subject):
        raise business("CHK_BASIC_ONEOF", "subject must be printable ASCII (English) text.")
    for keyword in data["keywords"]:
        if len(keyword) > 64:
            raise business("CHK_BASIC_MAX_LENGTH", f"keyword '{keyword[:20]}...' is longer than 64 characters.")
        if ";" in keyword or "," in keyword:
            raise business("CHK_BASIC_ONEOF", "keywords must not contain ',' or ';'.")
    images = data["main_image"]["images"]
    if len(images) > 6:
        raise business("TOO_MANY_IMAGES", f"{len(images)} main images; at most 6 are allowed.")
    for url in images:
        if not _own_image(call, url):
            raise business("IMAGE_NOT_IN_PHOTOBANK", f"{url[:100]} is not an image in your photo bank; "
                                                     "upload it with alibaba.icbu.photobank.upload first.")
    description = data.get("description", "")
    if len(description) > 60000:
        raise business("CHK_BASIC_MAX_LENGTH", "description is limited to 60000 characters.")
    for src in _IMG_SRC.findall(description):
        if not _own_image(call, src):
            raise business("PUB_BIZCHECK_DESCRIPTION_IMAGE_SOURCE_ERROR",
                           "Description images must come from your photo bank.")
    data["attributes"] = _check_attributes(data.get("attributes", []))
    if data["product_type"] == "sourcing":
        _check_sourcing(data["sourcing_trade"], data.get("bulk_discount_prices", []))
    else:
        _enum(data["wholesale_trade"].get("unit_type", ""), seed.UNITS, "unit")
    return data


def _red_model(data: dict[str, Any]) -> str | None:
    for attr in data.get("attributes", []):
        if attr.get("attribute_id") == seed.MODEL_NUMBER:
            return str(attr.get("value_name") or "") or None
    return None


def _search_text(data: dict[str, Any]) -> str:
    parts = [data.get("subject", ""), " ".join(data.get("keywords", []))]
    parts += [str(a.get("value_name", "")) for a in data.get("attributes", [])]
    return " ".join(parts).lower()


def _schedule_review(call: Call, conn: Any, plain_id: int) -> None:
    knobs = call.config.knobs
    if knobs.review_mode != "auto":
        return
    if knobs.review_delay_seconds > 0:
        conn.execute("UPDATE products SET review_due_at=? WHERE id=?", (time.time() + knobs.review_delay_seconds,
                                                                         plain_id))
        return
    row = conn.execute("SELECT * FROM products WHERE id=?", (plain_id,)).fetchone()
    review.run_rules(conn, row, knobs)


def run_due_reviews(store: Store, config: SandboxConfig) -> int:
    now = time.time()
    due = store.all("SELECT id FROM products WHERE review_due_at IS NOT NULL AND review_due_at <= ? LIMIT 500",
                    (now,))
    if not due:
        return 0
    with store.write() as conn:
        for (plain_id,) in due:
            row = conn.execute("SELECT * FROM products WHERE id=? AND review_due_at IS NOT NULL",
                               (plain_id,)).fetchone()
            if row is not None:
                review.run_rules(conn, row, config.knobs)
    return len(due)


def product_add(call: Call) -> tuple[dict, str]:
    data = build_product(call, mode="add")
    now = time.time()
    with call.store.write() as conn:
        cur = conn.execute(
            "INSERT INTO products(product_id, seller_id, category_id, subject, red_model, status, display, data,"
            " audit_fail_reasons, search_text, gmt_create, gmt_modified) VALUES ('', ?, ?, ?, ?, 'new', 'Y', ?,"
            " '[]', ?, ?, ?)",
            (call.seller_id, data["category_id"], data["subject"], _red_model(data), json.dumps(data),
             _search_text(data), now, now))
        plain_id = int(cur.lastrowid)
        product_id = product_id_for(plain_id)
        conn.execute("UPDATE products SET product_id=? WHERE id=?", (product_id, plain_id))
        _schedule_review(call, conn, plain_id)
    return {"product_id": product_id}, ""


def _owned(call: Call, product_id: str) -> Any:
    row = call.store.product(product_id)
    if row is None:
        raise business("PRODUCT_NOT_FOUND", f"Product {product_id} does not exist.")
    if row["seller_id"] != call.seller_id:
        raise business("PUB_BIZCHECK_NOT_PRODUCT_OWNER", "The product belongs to another seller.")
    return row


def _update(call: Call, mode: str) -> tuple[dict, str]:
    _required(call, "product_id")
    row = _owned(call, call.get("product_id"))
    data = build_product(call, mode=mode, base=json.loads(row["data"]))
    if row["status"] in ("new", "modified") and call.config.knobs.reject_edits_while_pending:
        raise business("PUB_BIZCHECK_PRODUCT_NOT_EDITABLE", "The product is under review and cannot be edited.")
    now = time.time()
    with call.store.write() as conn:
        conn.execute(
            "UPDATE products SET category_id=?, subject=?, red_model=?, status='modified', data=?,"
            " audit_fail_reasons='[]', search_text=?, review_due_at=NULL, gmt_modified=? WHERE id=?",
            (data["category_id"], data["subject"], _red_model(data), json.dumps(data), _search_text(data), now,
             row["id"]))
        _schedule_review(call, conn, row["id"])
    return {"product_id": row["product_id"]}, ""


def product_update(call: Call) -> tuple[dict, str]:
    return _update(call, "update")


def product_update_field(call: Call) -> tuple[dict, str]:
    return _update(call, "field")


def pc_detail_url(base_url: str, row: Any) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", row["subject"]).strip("-")[:80] or "product"
    return f"{base_url}/product-detail/{slug}_{row['id']}.html"


def price_type(data: dict[str, Any]) -> str:
    if data.get("bulk_discount_prices"):
        return "ladder_price"
    skus = (data.get("product_sku") or {}).get("special_skus") or []
    if any(isinstance(s, dict) and s.get("price") for s in skus):
        return "sku_price"
    return "fob_price"


def read_form(base_url: str, row: Any, data: dict[str, Any], seller: dict[str, Any]) -> dict[str, Any]:
    """Product in the read form of product.get (§3.4, §4.5, §8.9)."""
    out: dict[str, Any] = {"product_id": row["product_id"], "id": row["id"]}
    for key in ("subject", "category_id", "language", "product_type", "keywords", "main_image", "description",
                "attributes", "sourcing_trade", "wholesale_trade", "group_id", "market", "custom_info",
                "is_smart_edit"):
        if key in data:
            out[key] = data[key]
    tiers = data.get("bulk_discount_prices") or []
    sku = {"sku_id": 1, "bulk_discount_prices": tiers}
    red = _red_model(data)
    if red:
        sku["sku_code"] = red
    out["product_sku"] = {"skus": [sku]}
    out.update({
        "price_type": price_type(data), "status": row["status"], "display": row["display"],
        "gmt_create": fmt_time(row["gmt_create"]), "gmt_modified": fmt_time(row["gmt_modified"]),
        "owner_member": seller.get("member_id", ""),
        "owner_member_display_name": seller.get("display_name", ""),
        "pc_detail_url": pc_detail_url(base_url, row), "rts": False,
        "audit_fail_reasons": json.loads(row["audit_fail_reasons"]),
    })
    return out


def product_get(call: Call) -> tuple[dict, str]:
    _required(call, "product_id", "language")
    if call.get("language") != "ENGLISH":
        raise invalid("language", "only ENGLISH is supported")
    row = _owned(call, call.get("product_id"))
    seller = call.store.seller(call.seller_id)
    return {"product": read_form(call.base_url, row, json.loads(row["data"]), seller)}, ""


def brief(base_url: str, row: Any, seller: dict[str, Any]) -> dict[str, Any]:
    data = json.loads(row["data"])
    return {
        "id": row["id"], "product_id": row["product_id"], "subject": row["subject"],
        "keywords": data.get("keywords", []), "category_id": row["category_id"],
        "group_id": data.get("group_id"), "main_image": {"images": data.get("main_image", {}).get("images", [])},
        "status": row["status"], "display": row["display"], "product_type": data.get("product_type"),
        "language": "ENGLISH", "owner_member_display_name": seller.get("display_name", ""),
        "pc_detail_url": pc_detail_url(base_url, row), "gmt_create": fmt_time(row["gmt_create"]),
        "gmt_modified": fmt_time(row["gmt_modified"]), "is_rts": False, "is_specific": False,
        "smart_edit": bool(data.get("is_smart_edit", False)), "red_model": row["red_model"] or "",
    }


def _time_param(call: Call, name: str) -> float | None:
    text = call.get(name)
    if not text:
        return None
    value = parse_time(text)
    if value is None:
        raise invalid(name, "format yyyy-MM-dd HH:mm:ss")
    return value


def product_list(call: Call) -> tuple[dict, str]:
    _required(call, "language")
    if call.get("language") != "ENGLISH":
        raise invalid("language", "only ENGLISH is supported")
    page = _opt_int(call, "current_page", 1, 1, 100000)
    size = _opt_int(call, "page_size", 30, 1, 30)
    where, args = ["seller_id=?"], [call.seller_id]
    if call.get("category_id"):
        where.append("category_id=?")
        args.append(_int(call.get("category_id"), "category_id"))
    if call.get("subject"):
        where.append("subject LIKE ? ESCAPE '\\'")
        args.append("%" + re.sub(r"([%_\\])", r"\\\1", call.get("subject")) + "%")
    if call.get("id"):
        where.append("id=?")
        args.append(_int(call.get("id"), "id"))
    for name, op in (("gmt_modified_from", ">="), ("gmt_modified_to", "<=")):
        value = _time_param(call, name)
        if value is not None:
            where.append(f"gmt_modified {op} ?")
            args.append(value if op == ">=" else value + 0.999999)
    for level in ("group_id1", "group_id2", "group_id3"):
        if call.get(level):
            _int(call.get(level), level)  # groups are not modelled beyond validation
    sql_where = " AND ".join(where)
    with call.store.conn() as conn:
        total = conn.execute(f"SELECT COUNT(*) FROM products WHERE {sql_where}", args).fetchone()[0]
        rows = conn.execute(f"SELECT * FROM products WHERE {sql_where} ORDER BY gmt_modified DESC, id DESC"
                            f" LIMIT ? OFFSET ?", [*args, size, (page - 1) * size]).fetchall()
    seller = call.store.seller(call.seller_id)
    return {"current_page": page, "page_size": size, "total_item": total,
            "products": [brief(call.base_url, r, seller) for r in rows]}, ""


def _id_list(call: Call, name: str, limit: int) -> list[str]:
    _required(call, name)
    ids = [i for i in _str_list(call.get(name), name) if i]
    if not ids:
        raise missing(name)
    if len(ids) > limit:
        raise invalid(name, f"at most {limit} ids per call")
    return ids


def _per_id(call: Call, ids: list[str], action: Callable[[Any, Any], None]) -> dict[str, Any]:
    failures: dict[str, list[str]] = {}
    messages = {"PRODUCT_NOT_FOUND": "product does not exist",
                "PUB_BIZCHECK_NOT_PRODUCT_OWNER": "product belongs to another seller"}
    with call.store.write() as conn:
        for product_id in ids:
            row = conn.execute("SELECT * FROM products WHERE product_id=?", (product_id,)).fetchone()
            code = None
            if row is None:
                code = "PRODUCT_NOT_FOUND"
            elif row["seller_id"] != call.seller_id:
                code = "PUB_BIZCHECK_NOT_PRODUCT_OWNER"
            if code:
                failures.setdefault(code, []).append(product_id)
            else:
                action(conn, row)
    out: dict[str, Any] = {"sub_success": not failures}
    if failures:
        first = next(iter(failures))
        out["sub_error_code"] = first
        out["sub_error_msg"] = "; ".join(f"{','.join(v)}: {messages[k]}" for k, v in failures.items())
        out["fail_id_map"] = {k: ",".join(v) for k, v in failures.items()}
    return out


def product_display(call: Call) -> tuple[dict, str]:
    _required(call, "new_display")
    display = call.get("new_display")
    if display not in ("on", "off"):
        raise invalid("new_display", "on or off")
    ids = _id_list(call, "product_id_list", 50)
    flag = "Y" if display == "on" else "N"
    now = time.time()

    def apply(conn: Any, row: Any) -> None:
        conn.execute("UPDATE products SET display=?, gmt_modified=? WHERE id=?", (flag, now, row["id"]))

    return _per_id(call, ids, apply), ""


def product_delete(call: Call) -> tuple[dict, str]:
    ids = _id_list(call, "product_id_list", 50)
    return _per_id(call, ids, lambda conn, row: conn.execute("DELETE FROM products WHERE id=?", (row["id"],))), ""


def id_encrypt(call: Call) -> tuple[dict, str]:
    _required(call, "product_id")
    plain = _int(call.get("product_id"), "product_id", 1)
    row = call.store.product_by_plain_id(plain)
    if row is None or row["seller_id"] != call.seller_id:
        raise business("PRODUCT_NOT_FOUND", f"Product {plain} does not exist.")
    return {"secret_id": row["product_id"]}, ""


def id_decrypt(call: Call) -> tuple[dict, str]:
    _required(call, "product_id")
    plain = plain_id_for(call.get("product_id"))
    if plain is None:
        raise invalid("product_id", "not a product id")
    row = _owned(call, call.get("product_id"))
    return {"id": row["id"]}, ""


# -- inquiries (sandbox extension §8.5) -----------------------------------------------------------
INQUIRY_STATUSES = ("new", "read", "quoted", "closed")


def inquiry_dict(row: Any, *, full: bool) -> dict[str, Any]:
    out = {"inquiry_id": row["inquiry_id"], "product_id": row["product_id"], "subject": row["subject"],
           "quantity": row["quantity"], "quantity_unit": row["quantity_unit"], "buyer_name": row["buyer_name"],
           "company_name": row["company_name"], "country_simple": row["country_simple"], "email": row["email"],
           "status": row["status"], "gmt_create": fmt_time(row["gmt_create"]),
           "gmt_modified": fmt_time(row["gmt_modified"])}
    if full:
        out["description"] = row["description"]
        out["replies"] = json.loads(row["replies"])
    return out


def inquiry_list(call: Call) -> tuple[dict, str]:
    page = _opt_int(call, "current_page", 1, 1, 100000)
    size = _opt_int(call, "page_size", 30, 1, 30)
    where, args = ["seller_id=?"], [call.seller_id]
    if call.get("status"):
        if call.get("status") not in INQUIRY_STATUSES:
            raise invalid("status", "new, read, quoted or closed")
        where.append("status=?")
        args.append(call.get("status"))
    if call.get("product_id"):
        where.append("product_id=?")
        args.append(call.get("product_id"))
    created_from = _time_param(call, "gmt_create_from")
    if created_from is not None:
        where.append("gmt_create >= ?")
        args.append(created_from)
    sql_where = " AND ".join(where)
    with call.store.conn() as conn:
        total = conn.execute(f"SELECT COUNT(*) FROM inquiries WHERE {sql_where}", args).fetchone()[0]
        rows = conn.execute(f"SELECT * FROM inquiries WHERE {sql_where} ORDER BY gmt_create DESC, inquiry_id DESC"
                            " LIMIT ? OFFSET ?", [*args, size, (page - 1) * size]).fetchall()
    return {"current_page": page, "page_size": size, "total_item": total,
            "inquiries": [inquiry_dict(r, full=False) for r in rows]}, ""


def _own_inquiry(call: Call) -> Any:
    _required(call, "inquiry_id")
    row = call.store.inquiry(_int(call.get("inquiry_id"), "inquiry_id", 1))
    if row is None or row["seller_id"] != call.seller_id:
        raise business("INQUIRY_NOT_FOUND", f"Inquiry {call.get('inquiry_id')} does not exist.")
    return row


def inquiry_get(call: Call) -> tuple[dict, str]:
    return {"inquiry": inquiry_dict(_own_inquiry(call), full=True)}, ""


def inquiry_update(call: Call) -> tuple[dict, str]:
    _required(call, "inquiry_id", "status")
    status = call.get("status")
    if status not in ("read", "quoted", "closed"):
        raise invalid("status", "read, quoted or closed")
    reply = call.get("reply").strip()
    if len(reply) > 8000:
        raise business("CHK_BASIC_MAX_LENGTH", "reply is limited to 8000 characters.")
    row = _own_inquiry(call)
    now = time.time()
    replies = json.loads(row["replies"])
    if reply:
        replies.append({"content": reply, "gmt_create": fmt_time(now)})
    with call.store.write() as conn:
        conn.execute("UPDATE inquiries SET status=?, replies=?, gmt_modified=? WHERE inquiry_id=?",
                     (status, json.dumps(replies), now, row["inquiry_id"]))
    return {"inquiry": inquiry_dict(call.store.inquiry(row["inquiry_id"]), full=True)}, ""


METHODS: dict[str, Callable[[Call], tuple[dict, str]]] = {
    "alibaba.icbu.category.get": category_get,
    "alibaba.icbu.category.get.new": category_get,
    "alibaba.icbu.category.attribute.get": category_attribute_get,
    "alibaba.icbu.photobank.upload": photobank_upload,
    "alibaba.icbu.photobank.list": photobank_list,
    "alibaba.icbu.annex.upload": annex_upload,
    "alibaba.icbu.product.add": product_add,
    "alibaba.icbu.product.update": product_update,
    "alibaba.icbu.product.update.field": product_update_field,
    "alibaba.icbu.product.get": product_get,
    "alibaba.icbu.product.list": product_list,
    "alibaba.icbu.product.batch.update.display": product_display,
    "alibaba.icbu.product.id.encrypt": id_encrypt,
    "alibaba.icbu.product.id.decrypt": id_decrypt,
    "sandbox.product.delete": product_delete,
    "sandbox.inquiry.list": inquiry_list,
    "sandbox.inquiry.get": inquiry_get,
    "sandbox.inquiry.update": inquiry_update,
}

WRITE_METHODS = frozenset({"alibaba.icbu.photobank.upload", "alibaba.icbu.annex.upload", "alibaba.icbu.product.add",
                           "alibaba.icbu.product.update", "alibaba.icbu.product.update.field",
                           "alibaba.icbu.product.batch.update.display", "sandbox.product.delete",
                           "sandbox.inquiry.update"})
