import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgresql_only():
    assert connection.vendor == "postgresql", "row locks need PostgreSQL: set DATABASE_URL=postgres://…"
