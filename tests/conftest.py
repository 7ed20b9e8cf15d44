"""Shared fixtures: the personas of DEVELOPERS.md and a small catalog built through the models.

Domain-specific factories live in tests/factories.py so every test package can import them.
"""
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # PBKDF2 costs ~1 s per test user on CI's 2 cores; MD5 first for speed, PBKDF2 still verifies
    # passwords hashed outside the tests (the demo seed).
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in its thread (LocaleMiddleware activates, nothing
    resets it); each test starts in the shop's default language, as a new request does."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_catalog_version():
    """Each test's database starts over (rolled back or flushed) while the cache lives on (in
    process, or Redis in CI): a new catalog version keeps one test's cached listings from the next."""
    from storefront.product.catalog_cache import _advance

    _advance()


def _uses_database(request) -> bool:
    return bool(request.node.get_closest_marker("django_db")) or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _divisions(request):
    """The 2025 provinces and communes come from a data migration, so a transactional test's
    flush wipes them for the tests after it; load them again when they are missing."""
    if not _uses_database(request):
        return
    request.getfixturevalue("_django_db_helper")
    from django.apps import apps

    from storefront.core.models import Province

    if not Province.objects.exists():
        from importlib import import_module

        import_module("storefront.core.migrations.0002_load_divisions").load(apps, None)


@pytest.fixture
def channel(db):
    from tests.factories import make_channel

    return make_channel()


@pytest.fixture
def coop(db):
    from tests.factories import make_cooperative

    return make_cooperative(name="HTX Nông nghiệp Vĩnh Bình", province_code="92")


@pytest.fixture
def other_coop(db):
    from tests.factories import make_cooperative

    return make_cooperative(name="HTX Rau an toàn Đà Lạt", province_code="68")


@pytest.fixture
def coop_staff(coop):
    from tests.factories import make_coop_staff

    return make_coop_staff(coop, email="staff@vinhbinh.example.com")


@pytest.fixture
def other_coop_staff(other_coop):
    from tests.factories import make_coop_staff

    return make_coop_staff(other_coop, email="staff@dalat.example.com")


@pytest.fixture
def customer(db):
    from tests.factories import make_user

    return make_user("khach@example.com")


@pytest.fixture
def program_staff(db):
    from tests.factories import make_user

    return make_user("program@example.com", is_program_staff=True, is_staff=True)


@pytest.fixture
def trade_staff(db):
    from tests.factories import make_user

    return make_user("trade@example.com", is_trade_staff=True)


@pytest.fixture
def product(coop, channel):
    """A published rice product with one variant at 195,000 ₫ and 10 in stock."""
    from tests.factories import make_product

    return make_product(coop, channel, name="Gạo ST25 Vĩnh Bình – túi 5 kg", price=195_000, stock=10)


@pytest.fixture
def variant(product):
    return product.variants.get()


@pytest.fixture
def combo(coop, other_coop, channel):
    """A combo of 2 × rice (stock 10) + 1 × vegetables (stock 3) at 139,000 ₫: 3 available."""
    from tests.factories import make_combo, make_product

    rice = make_product(coop, channel, name="Gạo combo", price=50_000, stock=10)
    veg = make_product(other_coop, channel, name="Cải ngọt VietGAP", price=18_000, stock=3)
    return make_combo(channel, name="Combo rau gạo", price=139_000,
                      components=[(rice.variants.get(), 2), (veg.variants.get(), 1)])


@pytest.fixture
def shipping_method(channel):
    from tests.factories import make_shipping

    return make_shipping(channel)


@pytest.fixture
def vn_address_data():
    """Form-like data for a Vietnamese address (Saleor's AddressInput names)."""
    return {
        "first_name": "An",
        "last_name": "Nguyễn Văn",
        "street_address_1": "12 Đường 30/4",
        "city": "Phường Ninh Kiều",
        "country": "VN",
        "country_area": "Cần Thơ",
        "phone": "0912345678",
    }


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session: Playwright's sync API allows one
    running instance per thread, so every browser test shares this one."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield browser
        browser.close()


@pytest.fixture
def latest_schema_after():
    """For a test that migrates back to test a data migration: migrating back unapplies every later
    migration that depends on the target, so put them all back afterwards — the tests after it (in
    this process) need the current schema."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
