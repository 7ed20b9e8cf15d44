"""Extension types: a cooperative's public store (Saleor has no seller entity)."""
from __future__ import annotations

import graphene

from storefront.cooperative.models import Certification as CertificationModel
from storefront.cooperative.models import Cooperative as CooperativeModel

from ..core.saleor import named, register
from ..core.values import absolute_url, editorjs, image, is_english


class CooperativeKindEnum(graphene.Enum):
    HTX = "htx"
    THT = "tht"
    UNION = "union"


class CooperativeCertification(graphene.ObjectType):
    """A certificate the cooperative holds (VietGAP, GlobalGAP, OCOP …)."""

    type = graphene.String(required=True)
    stars = graphene.Int()
    number = graphene.String(required=True)
    issuer = graphene.String(required=True)
    valid_from = graphene.Date()
    valid_until = graphene.Date()
    is_expired = graphene.Boolean(required=True)

    @staticmethod
    def resolve_is_expired(root: CertificationModel, info):
        return root.is_expired


class Cooperative(graphene.ObjectType):
    """Extension: a cooperative (HTX/THT) that runs a store on the marketplace."""

    class Meta:
        interfaces = (graphene.relay.Node,)

    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(CooperativeKindEnum, required=True)
    description = graphene.JSONString(language_code=graphene.Argument(named("LanguageCodeEnum")))
    province = graphene.String(required=True, description="Full name of the 2025 province.")
    commune = graphene.String(required=True)
    address = graphene.String(required=True)
    phone = graphene.String(required=True)
    email = graphene.String(required=True)
    representative_name = graphene.String(required=True)
    logo = graphene.Field(lambda: named("Image"))
    founded_year = graphene.Int()
    members_count = graphene.Int()
    farm_area_ha = graphene.Float()
    certifications = graphene.List(graphene.NonNull(CooperativeCertification), required=True)
    products = graphene.Field(
        lambda: named("ProductCountableConnection"),
        channel=graphene.String(), search=graphene.String(), first=graphene.Int(), last=graphene.Int(),
        after=graphene.String(), before=graphene.String(),
    )

    @staticmethod
    def resolve_kind(root, info):
        return root.kind

    @staticmethod
    def resolve_description(root, info, language_code=None):
        text = root.description_en if is_english(language_code) and root.description_en else root.description
        return editorjs(text)

    @staticmethod
    def resolve_province(root, info):
        # Every source of cooperatives joins the province (the selectors' profile, the catalog
        # cards, CooperativeByIdLoader).
        return root.province.full_name

    @staticmethod
    def resolve_commune(root, info):
        return root.commune.name

    @staticmethod
    def resolve_address(root, info):
        return root.address_line

    @staticmethod
    def resolve_logo(root, info):
        return image(absolute_url(info, root.logo.url), root.name) if root.logo else None

    @staticmethod
    def resolve_farm_area_ha(root, info):
        return float(root.farm_area_ha) if root.farm_area_ha is not None else None

    @staticmethod
    def resolve_certifications(root, info):
        return [c for c in root.certifications.all() if c.product_id is None]

    @staticmethod
    def resolve_products(root, info, channel=None, search=None, **page):
        from ..product.schema import products_connection

        return products_connection(info, channel=channel, search=search, name="products", cooperative=root, **page)


register("Cooperative", Cooperative, CooperativeModel)
