import sys
from pathlib import Path

import pytest

from tests.prerequisites import missing_prerequisite

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(DEPLOY))  # deploy/localstack.py is a script beside the deploy files


@pytest.fixture(scope="session")
def nginx_binary():
    from localstack import StackError, ensure_nginx

    try:
        return ensure_nginx()
    except (StackError, OSError) as exc:
        missing_prerequisite(f"nginx unavailable: {exc}")
