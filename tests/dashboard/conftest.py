import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Page tests sign people in many times; a cheap hasher keeps them fast (hash strength is
    the account package's concern, not the pages')."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The supply pages' tests use the supply domain's personas.
from tests.supply.conftest import alliance_staff, distributor, distributor_staff  # noqa: E402,F401
