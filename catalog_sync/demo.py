"""Demo export data: the sample catalog's `export` terms turned into export profiles, plus a day's rate.

Goes through the same services as the trade console (so the demo obeys the console's validation) and
is idempotent: an existing profile is never overwritten (staff may have edited it); only a B2B
category still missing is filled in once the platform's category tree is known.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal

from anyascii import anyascii
from django.utils import timezone

from .mapping import MARKETS, PAYMENT_METHODS, UNITS
from .models import ExchangeRate, ExportProfile, RemoteCategory
from .ports import CatalogSource

log = logging.getLogger("catalog_sync")

DEMO_RATE_VND_PER_USD = Decimal("26300")  # the sample data's assumed USD/VND rate

# Units of the sample data -> the platform's unit names.
UNIT_NAMES = {"kg": "Kilogram", "mt": "Metric Ton", "piece": "Piece", "bottle": "Piece", "litre": "Liter",
              "liter": "Liter", "bag": "Bag", "box": "Box", "carton": "Carton"}
PERIOD_NAMES = {"day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "year": "Year"}
MARKET_NAMES = {"UK": "United Kingdom", "USA": "United States", "UAE": "United Arab Emirates"}
# The platform's certification values; the sample's others ("Mã số vùng trồng", ATTP, 4C…) go to the text.
PLATFORM_CERTIFICATIONS = ("VietGAP", "GlobalGAP", "OCOP", "HACCP", "ISO 22000", "Organic", "Halal", "BRC")
# HS heading (first 4 or 6 digits) -> leaf category of the B2B catalog, by English name. A product with no
# fitting leaf is left without one: the console shows why.
HS_CATEGORIES = (("1006", "Rice"), ("080132", "Dried Fruit & Nuts"), ("0801", "Fresh Fruit"),
                 ("0804", "Fresh Fruit"), ("0805", "Fresh Fruit"), ("0810", "Fresh Fruit"),
                 ("0811", "Fresh Fruit"), ("0306", "Frozen Seafood"), ("0902", "Tea"), ("0901", "Coffee Beans"),
                 ("0904", "Spices (Pepper)"), ("1508", "Edible Oil"), ("2103", "Fish Sauce"),
                 ("3301", "Essential Oils"), ("1702", "Palm Sugar"))
KEYWORDS = {"Rice": ["vietnam rice", "fragrant rice"], "Fresh Fruit": ["vietnam fruit", "fresh fruit"],
            "Dried Fruit & Nuts": ["cashew nuts", "vietnam cashew"], "Frozen Seafood": ["vietnam seafood"],
            "Tea": ["vietnam tea", "green tea"], "Coffee Beans": ["vietnam coffee", "robusta coffee"],
            "Spices (Pepper)": ["black pepper", "vietnam pepper"], "Edible Oil": ["peanut oil", "cooking oil"],
            "Fish Sauce": ["fish sauce", "vietnam fish sauce"], "Essential Oils": ["essential oil", "natural oil"],
            "Palm Sugar": ["palm sugar", "natural sugar"]}


@dataclass
class ExportDemoResult:
    profiles_created: int = 0
    categories_filled: int = 0
    rate_created: bool = False
    categories_known: int = 0
    missing_products: list[str] = field(default_factory=list)
    without_category: list[str] = field(default_factory=list)


def hs_digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def category_name_for(hs_code: str) -> str:
    digits = hs_digits(hs_code)
    for prefix, name in HS_CATEGORIES:
        if digits.startswith(prefix):
            return name
    return ""


def platform_certifications(raw: list[str]) -> tuple[list[str], list[str]]:
    """(values the platform knows, the rest as English text for the description)."""
    known, other = [], []
    for item in raw:
        match = next((c for c in PLATFORM_CERTIFICATIONS if anyascii(item).lower().startswith(c.lower())), None)
        if match and match not in known:
            known.append(match)
        elif not match:
            other.append(anyascii(item))
    return known, other


def port_name(place: dict) -> str:
    name = anyascii(place.get("name", "")).split(" - ")[0].strip()
    return name[:64]


def profile_data(product: dict, *, category: RemoteCategory | None) -> dict:
    """Console form data (the service's `data`) for one sample product's export terms."""
    export = product["export"]
    certifications, other = platform_certifications(export.get("certifications") or [])
    description = [f"{anyascii(export['name_en'])}, grown and packed by a Vietnamese cooperative."]
    if other:
        description.append("Also: " + "; ".join(other) + ".")
    if export.get("payment_terms"):
        description.append("Payment: " + "; ".join(anyascii(t) for t in export["payment_terms"]) + ".")
    payment = [m for m in PAYMENT_METHODS if any(t.startswith(m) for t in export.get("payment_terms") or [])]
    markets = [MARKET_NAMES.get(m, m) for m in export.get("target_markets") or []]
    supply = export.get("supply_ability") or {}
    moq = export.get("moq") or {}
    unit = UNIT_NAMES.get(str(moq.get("unit", "")).lower(), "")
    headline = anyascii(export["name_en"]).split(",")[0].split(";")[0].strip()[:64]
    keywords = (KEYWORDS.get(category.name, []) if category else []) + [headline]
    data = {
        "selected": True,
        "title_en": anyascii(export["name_en"])[:128],
        "description_en": "\n\n".join(description),
        "keywords": keywords[:3],
        "hs_code": hs_digits(export.get("hs_code", "")),
        "place_of_origin": "Vietnam",
        "moq": moq.get("quantity"),
        "moq_unit": unit if unit in UNITS else "",
        "supply_quantity": supply.get("quantity"),
        "supply_unit": UNIT_NAMES.get(str(supply.get("unit", "")).lower(), ""),
        "supply_period": PERIOD_NAMES.get(str(supply.get("per", "month")).lower(), "Month"),
        "packaging": anyascii(export.get("packaging", ""))[:512],
        "port": port_name(export.get("named_place") or {}),
        "lead_time_days": export.get("lead_time_days"),
        "payment_methods": payment,
        "certifications": certifications,
        "target_markets": [m for m in markets if m in MARKETS],
        "tiers": [{"min_quantity": t["min_qty"], "price_usd": f"{Decimal(str(t['unit_price_usd'])):.2f}"}
                  for t in export.get("price_tiers") or []],
    }
    if category is not None:  # else keep whatever category the console suggested
        data["remote_category"] = category.pk
    return data


def _categories_by_name() -> dict[str, RemoteCategory]:
    return {c.name: c for c in RemoteCategory.objects.filter(is_leaf=True)}


def ensure_remote_categories(*, wait_seconds: float = 0.0) -> int:
    """Load the platform's category tree when we have none yet; waits for the platform up to `wait_seconds`
    (it may be starting next to us). Returns how many categories are known; 0 if the platform is unreachable."""
    if RemoteCategory.objects.exists():
        return RemoteCategory.objects.count()
    from integrations.alibaba import AlibabaError

    from .remote import B2BCatalog
    from .services import remote_categories_refresh

    deadline = time.monotonic() + wait_seconds
    while True:
        catalog = B2BCatalog()
        try:
            return remote_categories_refresh(catalog=catalog)
        except (AlibabaError, OSError) as exc:
            if time.monotonic() >= deadline:
                log.warning("B2B categories not loaded, the platform is unreachable: %s", exc)
                return 0
            time.sleep(1)
        finally:
            catalog.close()


def seed_export_demo(*, source: CatalogSource | None = None, wait_seconds: float = 0.0,
                     advance=None) -> ExportDemoResult:
    """`advance(steps, total=…)` (a progress bar's) hears of each sample product handled."""
    from .services import default_source, export_profile_get_or_create, export_profile_update

    source = source or default_source()
    result = ExportDemoResult()
    actor = source.a_trade_staff_user()
    if actor is None:
        raise RuntimeError("no trade-staff account: run `manage.py seed_demo` first")
    _rate, result.rate_created = ExchangeRate.objects.get_or_create(
        currency="USD", date=timezone.localdate(),
        defaults={"vnd_per_unit": DEMO_RATE_VND_PER_USD, "source": ExchangeRate.Source.MANUAL, "entered_by": actor})
    result.categories_known = ensure_remote_categories(wait_seconds=wait_seconds)
    categories = _categories_by_name()
    products = [p for p in source.sample_catalog()["products"] if p.get("export")]
    ids = source.product_ids_by_sku([p["sku"] for p in products])
    existing = {p.product_id: p for p in ExportProfile.objects.filter(product_id__in=list(ids.values()))}
    if advance is not None:
        advance(0, total=len(products))
    for product in products:
        if advance is not None:
            advance()
        product_id = ids.get(product["sku"])
        if product_id is None:
            result.missing_products.append(product["sku"])
            continue
        category = categories.get(category_name_for(product["export"].get("hs_code", "")))
        profile = existing.get(product_id)
        if profile is None:
            profile = export_profile_get_or_create(actor=actor, source=source, product_id=product_id)
            export_profile_update(actor=actor, source=source, profile=profile,
                                  data=profile_data(product, category=category))
            result.profiles_created += 1
        elif profile.remote_category_id is None and category is not None:
            export_profile_update(actor=actor, source=source, profile=profile,
                                  data={"remote_category": category.pk})
            result.categories_filled += 1
        if category is None:
            result.without_category.append(product["sku"])
    return result
