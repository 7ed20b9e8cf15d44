from __future__ import annotations

from graphql import GraphQLError

from storefront.core.geo import find_province
from storefront.core.models import Commune, Province

from ..core.context import actor
from . import types  # noqa: F401


def _choices(items) -> list[dict]:
    return [{"raw": raw, "verbose": verbose} for raw, verbose in items]


def address_validation_rules(country_code: str, country_area: str | None = None) -> dict:
    """Vietnam's 2025 two-tier rules: province (`countryArea`) and commune/ward (`city`)."""
    province = find_province(country_area) if country_area else None
    communes = Commune.objects.filter(province=province).order_by("name") if province else []
    return {
        "countryCode": country_code,
        "countryName": "VIET NAM",
        "addressFormat": "%N%n%O%n%A%n%C%n%S",
        "addressLatinFormat": "%N%n%O%n%A%n%C%n%S",
        "allowedFields": ["name", "companyName", "streetAddress", "city", "countryArea"],
        "requiredFields": ["name", "streetAddress", "city", "countryArea"],
        "upperFields": [],
        "countryAreaType": "province",
        "countryAreaChoices": _choices((p.full_name, p.full_name) for p in Province.objects.order_by("code")),
        "cityType": "city",
        "cityChoices": _choices((c.name, c.name) for c in communes),
        "cityAreaType": "suburb",
        "cityAreaChoices": [],
        "postalCodeType": "postal",
        "postalCodeMatchers": [],
        "postalCodeExamples": [],
        "postalCodePrefix": "",
    }


class AccountQueries:
    @staticmethod
    def resolve_me(root, info):
        return actor(info)

    @staticmethod
    def resolve_address_validation_rules(root, info, country_code, country_area=None, city=None, city_area=None):
        code = str(getattr(country_code, "value", country_code))
        if code != "VN":
            raise GraphQLError(f"Addresses in {code} are not supported: this shop delivers in Việt Nam (VN).")
        return address_validation_rules(code, country_area)
