"""Fixtures of the supply tests: the two new roles and orders placed in the shop."""
import datetime

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The personas are users with passwords; the default PBKDF2 rounds cost about a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alliance_staff(db):
    """Staff of the Cần Thơ (92) provincial cooperative alliance, where `coop` is."""
    from storefront.supply.models import ProvincialAllianceMember
    from tests.factories import make_user

    user = make_user("lienminh.cantho@example.com")
    ProvincialAllianceMember.objects.create(user=user, province_id="92", title="Phó Chủ tịch")
    return user


@pytest.fixture
def distributor(db):
    from storefront.supply.models import Distributor

    return Distributor.objects.create(name="Liên hiệp HTX Thương mại Thành phố", slug="lhhtx-tm",
                                      address="Phường Bến Thành, TP. Hồ Chí Minh",
                                      representative_name="Lê Thị Hoa", representative_title="Tổng Giám đốc")


@pytest.fixture
def distributor_staff(distributor):
    from storefront.supply.models import DistributorMember
    from tests.factories import make_user

    user = make_user("phanphoi@example.com")
    DistributorMember.objects.create(distributor=distributor, user=user)
    return user


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def place_order(channel, lines, *, created_at, status="unfulfilled", charge_status="full",
                gateway="htx.payments.cod"):
    """An order as the checkout leaves it: one line per (variant, quantity), snapshotting the seller; paid
    unless `charge_status` says otherwise (only paid or delivered orders count as sold)."""
    from storefront.order.models import Order, OrderLine

    order = Order.objects.create(channel=channel, user_email="khach@example.com", payment_gateway=gateway,
                                 status=status, created_at=created_at, charge_status=charge_status)
    for variant, quantity in lines:
        product = variant.product
        OrderLine.objects.create(order=order, variant=variant, cooperative=product.cooperative,
                                 product_name=product.name, product_sku=variant.sku,
                                 cooperative_name=product.cooperative.name, is_combo=product.is_combo,
                                 quantity=quantity, unit_price_amount=100_000, total_price_amount=100_000 * quantity)
    return order
