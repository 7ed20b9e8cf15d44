"""Races between concurrent buyers and staff, run on PostgreSQL's row locks."""
import os

import pytest
from django.db import connection

# Every test here needs PostgreSQL: skipped on another database, except in CI, where it must run
# (and `conftest._postgresql_only` fails it if CI's database is not PostgreSQL).
POSTGRESQL_ONLY = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(connection.vendor != "postgresql" and not os.environ.get("CI"),
                       reason="row locks need PostgreSQL: set DATABASE_URL=postgres://… (CI does)"),
]
