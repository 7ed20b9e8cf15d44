import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Page tests sign people in many times; a cheap hasher keeps them fast (hash strength is
    the account package's concern, not the pages')."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
