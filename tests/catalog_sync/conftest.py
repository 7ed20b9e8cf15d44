"""The sandbox B2B catalog over real HTTP (one per test session, reset per test) and ready-made exports."""
from __future__ import annotations

import pytest
import requests

from integrations.alibaba.sandbox.config import DEFAULT_PROHIBITED_WORDS, SandboxConfig
from integrations.alibaba.sandbox.server import serve


class SandboxHandle:
    def __init__(self, running):
        self.running = running
        self.base_url = running.base_url
        self.gateway = running.top_gateway
        self.secret = running.app.config.app_secret

    def admin(self, route: str, body: dict | None = None, method: str = "POST") -> dict:
        response = requests.request(method, f"{self.base_url}/sandbox/admin/{route}", json=body,
                                    headers={"X-Sandbox-Admin-Token": self.secret}, timeout=10)
        response.raise_for_status()
        return response.json()

    def knobs(self, **changes) -> dict:
        return self.admin("knobs", changes)

    def reset(self) -> None:
        self.admin("reset", {})
        self.knobs(fault_rate=0.0, rate_limit_share=0.0, rate_limit_qps=0, latency_ms=0, latency_jitter_ms=0,
                   review_mode="auto", review_delay_seconds=0, fail_next=0, lose_next_replies=0, seed=7,
                   fault_modes=["isp"], min_image_px=640, reject_edits_while_pending=True,
                   lose_reply_methods=["alibaba.icbu.product.add"], prohibited_words=list(DEFAULT_PROHIBITED_WORDS))


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory):
    db = tmp_path_factory.mktemp("sandbox") / "sandbox.sqlite3"
    running = serve(SandboxConfig.from_env(environ={}, db_path=str(db)))
    yield SandboxHandle(running)
    running.stop()


@pytest.fixture
def sandbox(sandbox_server, settings):
    sandbox_server.reset()
    settings.ALIBABA_GATEWAY_URL = sandbox_server.gateway
    settings.ALIBABA_APP_KEY = "12345678"
    settings.ALIBABA_APP_SECRET = sandbox_server.secret
    settings.ALIBABA_SESSION_KEY = "SANDBOX-SESSION-0001"
    settings.CATALOG_SYNC_MAX_QPS = 0
    settings.CATALOG_SYNC_BACKOFF_INITIAL = 0.01
    settings.CATALOG_SYNC_BACKOFF_MAX = 0.05
    settings.CATALOG_SYNC_READ_TIMEOUT = 5.0
    settings.CATALOG_SYNC_BACKOFF_BASE_SECONDS = 0
    settings.CATALOG_SYNC_WORKERS = 4
    return sandbox_server


@pytest.fixture
def catalog(sandbox):
    from catalog_sync.remote import B2BCatalog

    remote = B2BCatalog()
    yield remote
    remote.close()


@pytest.fixture
def source():
    from catalog_sync.source import shop_source

    return shop_source()


@pytest.fixture
def categories(catalog, db):
    from catalog_sync.services import remote_categories_refresh

    remote_categories_refresh(catalog=catalog)


