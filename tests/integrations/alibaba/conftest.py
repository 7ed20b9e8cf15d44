"""Fixtures for the Alibaba client and sandbox tests: a live sandbox over real HTTP on a free port."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from alibaba_helpers import Admin, image_bytes, make_settings  # noqa: E402

from integrations.alibaba import AlibabaClient  # noqa: E402
from integrations.alibaba.sandbox import Knobs, RunningSandbox, SandboxConfig, serve  # noqa: E402


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> RunningSandbox:
    db = tmp_path_factory.mktemp("alibaba-sandbox") / "sandbox.sqlite3"
    running = serve(SandboxConfig(db_path=str(db)))
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def _fresh_knobs(request: pytest.FixtureRequest) -> None:
    """Every test starts with default knobs and a full quota bucket (data stays; tests use their own refs)."""
    if "sandbox" not in request.fixturenames:
        return
    running: RunningSandbox = request.getfixturevalue("sandbox")
    # A generous quota so that ordinary tests never meet it; the quota tests set their own.
    running.app.config.knobs = Knobs(rate_limit_qps=500)
    running.app.bucket.reset()
    running.app.stats.reset()


@pytest.fixture
def client_factory(sandbox: RunningSandbox) -> Callable[..., AlibabaClient]:
    made: list[AlibabaClient] = []

    def factory(gateway: str = "top", **overrides: Any) -> AlibabaClient:
        client = AlibabaClient(make_settings(sandbox, gateway, **overrides))
        made.append(client)
        return client

    yield factory
    for client in made:
        client.close()


@pytest.fixture
def client(client_factory: Callable[..., AlibabaClient]) -> AlibabaClient:
    return client_factory()


@pytest.fixture
def admin(sandbox: RunningSandbox) -> Admin:
    return Admin(sandbox.base_url)


@pytest.fixture
def uploaded(client: AlibabaClient) -> str:
    """URL of a large-enough photo-bank image of the default seller."""
    return client.upload_image(image_bytes(), "rice-st25.jpg").url
