"""/healthz: 200 when the database, broker and cache answer; 503 naming the part that does not."""
import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_healthy(client):
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok", "problems": {}}
    assert "no-cache" in resp["Cache-Control"]


def test_broker_down_is_unhealthy(client, monkeypatch):
    from storefront.celery import app

    connect = app.connection_for_write
    # Nothing listens on port 1: the broker is "down" whatever broker the suite runs with.
    monkeypatch.setattr(app, "connection_for_write", lambda *a, **k: connect(url="redis://127.0.0.1:1/0"))
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert set(resp.json()["problems"]) == {"broker"}


def test_cache_down_is_unhealthy(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", refuse)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.json()["problems"] == {"cache": "ConnectionError"}
