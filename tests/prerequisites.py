"""A test whose prerequisite (PostgreSQL, Redis, nginx) is missing skips on a developer's machine,
but fails in CI, where `.ci/run` provides them: a missing service there is a broken promise, not a skip."""
import os

import pytest


def missing_prerequisite(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)
