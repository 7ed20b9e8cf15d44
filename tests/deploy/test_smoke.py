"""The production smoke run (deploy/smoke.py) on CI's PostgreSQL and Redis."""
import os
import subprocess
import sys

import pytest

from .conftest import DEPLOY, ROOT

DATABASE_URL = os.environ.get("DATABASE_URL", "")
BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


@pytest.mark.slow
@pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")) and not os.environ.get("CI"),
                    reason="the production smoke run needs DATABASE_URL pointing at PostgreSQL")
@pytest.mark.skipif(not BROKER_URL.startswith("redis://") and not os.environ.get("CI"),
                    reason="the production smoke run needs CELERY_BROKER_URL pointing at Redis")
def test_production_smoke_run():
    # In CI these are promised by .ci/run: run (and fail loudly) rather than skip.
    assert DATABASE_URL.startswith(("postgres://", "postgresql://")) and BROKER_URL.startswith("redis://")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.setdefault("REDIS_URL", BROKER_URL)
    result = subprocess.run([sys.executable, str(DEPLOY / "smoke.py")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    print(result.stdout[-20000:])
    print(result.stderr[-5000:], file=sys.stderr)
    assert result.returncode == 0, "smoke run failed; its report is above"
