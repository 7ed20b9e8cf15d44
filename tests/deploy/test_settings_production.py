"""storefront.settings_production, loaded in a child process as gunicorn would load it."""
import json
import os
import secrets
import subprocess
import sys

import pytest

from .conftest import ROOT

GOOD_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "shop.example.vn,.htx.example.vn",
    "DATABASE_URL": "postgres://htx:pw@db.internal:5432/htx",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "CELERY_BROKER_URL": "redis://cache.internal:6379/1",
}

PROBE = r"""
import json, logging, io, os
import django
from django.conf import settings
django.setup()
from django.core.checks import run_checks
from django.core.files.storage import default_storage
out = {
    "DEBUG": settings.DEBUG,
    "checks": [f"{m.id}: {m.msg}" for m in run_checks(tags=["security"], include_deployment_checks=True)],
    "csrf": settings.CSRF_TRUSTED_ORIGINS,
    "site_url": settings.SITE_URL,
    "db": {k: settings.DATABASES["default"][k] for k in ("ENGINE", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")},
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "caches": {k: v["BACKEND"] for k, v in settings.CACHES.items()},
    "session_engine": settings.SESSION_ENGINE,
    "session_cache": settings.SESSION_CACHE_ALIAS,
    "storage": type(default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage).__name__,
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "s3": settings.STORAGES["default"].get("OPTIONS", {}),
    "hijack": settings.CELERY_WORKER_HIJACK_ROOT_LOGGER,
}
default_storage._setup() if hasattr(default_storage, "_setup") else None
out["storage"] = type(default_storage._wrapped).__name__
stream = io.StringIO()
handler = logging.getLogger().handlers[0]
handler.setStream(stream)
logging.getLogger("htx.probe").warning("đơn hàng %s", 42)
out["log_line"] = stream.getvalue().strip()
print("PROBE" + json.dumps(out, default=str))
"""


def load(extra: dict | None = None, drop: tuple = ()) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL",
                                                                     "CELERY_", "AWS_", "SECRET_KEY",
                                                                     "ALLOWED_HOSTS", "CSRF_", "DB_"))}
    env.update(GOOD_ENV)
    env.update(extra or {})
    for name in drop:
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "storefront.settings_production"
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


def probe(extra: dict | None = None) -> dict:
    result = load(extra)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.split("PROBE", 1)[1])


@pytest.fixture(scope="module")
def loaded():
    return probe()


def test_deployment_checks_pass(loaded):
    # HSTS preloading is hard to undo, so it stays the operator's explicit choice; Django's
    # deployment check reminds of it until then, and says nothing else.
    assert loaded["DEBUG"] is False
    assert [c.split(":")[0] for c in loaded["checks"]] == ["security.W021"]
    assert probe({"SECURE_HSTS_PRELOAD": "true"})["checks"] == []


def test_csrf_origins_and_site_url_follow_allowed_hosts(loaded):
    assert loaded["csrf"] == ["https://shop.example.vn", "https://*.htx.example.vn"]
    assert loaded["site_url"] == "https://shop.example.vn"


def test_database_pool_per_process(loaded):
    assert loaded["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert loaded["db"]["CONN_MAX_AGE"] == 0
    assert loaded["db_options"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10.0}


def test_persistent_connections_instead_of_pool_behind_pgbouncer():
    result = probe({"DB_POOL": "false", "DB_CONN_MAX_AGE": "120"})
    assert "pool" not in result["db_options"]
    assert result["db"]["CONN_MAX_AGE"] == 120 and result["db"]["CONN_HEALTH_CHECKS"] is True


def test_statements_prepared_on_the_server_with_the_pool(loaded):
    assert loaded["db_options"]["server_side_binding"] is True
    assert loaded["db_options"]["prepare_threshold"] == 5


def test_no_prepared_statements_behind_pgbouncer_unless_asked():
    assert probe({"DB_POOL": "false"})["db_options"]["prepare_threshold"] is None
    assert probe({"DB_POOL": "false", "DB_PREPARE_THRESHOLD": "2"})["db_options"]["prepare_threshold"] == 2
    off = probe({"DB_SERVER_SIDE_BINDING": "false"})["db_options"]
    assert "server_side_binding" not in off and "prepare_threshold" not in off


def test_cache_and_sessions_in_redis(loaded):
    assert set(loaded["caches"].values()) == {"django.core.cache.backends.redis.RedisCache"}
    assert loaded["session_engine"] == "django.contrib.sessions.backends.cache"
    assert loaded["session_cache"] == "sessions"


def test_media_on_local_volume_until_a_bucket_is_configured(loaded):
    assert loaded["storage"] == "FileSystemStorage"
    assert loaded["static_storage"].endswith("ManifestStaticFilesStorage")


def test_media_on_s3_compatible_storage_when_configured():
    result = probe({"AWS_STORAGE_BUCKET_NAME": "htx-media", "AWS_S3_ENDPOINT_URL": "http://minio.internal:9000",
                    "AWS_S3_ADDRESSING_STYLE": "path"})
    assert result["storage"] == "S3Storage"
    assert result["s3"]["bucket_name"] == "htx-media"
    assert result["s3"]["endpoint_url"] == "http://minio.internal:9000"
    assert result["s3"]["addressing_style"] == "path"
    assert result["s3"]["querystring_auth"] is False


def test_logs_are_json_with_celery_not_hijacking_them(loaded):
    line = json.loads(loaded["log_line"])
    assert line["level"] == "WARNING" and line["logger"] == "htx.probe" and line["message"] == "đơn hàng 42"
    assert "timestamp" in line
    assert loaded["hijack"] is False


@pytest.mark.parametrize(
    ("extra", "drop", "message"),
    [
        ({}, ("SECRET_KEY",), "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, (), "SECRET_KEY must be a random value"),
        ({"SECRET_KEY": "dev-only-insecure-key-change-me-in-production-0123456789"}, (), "SECRET_KEY must be a random"),
        ({}, ("ALLOWED_HOSTS",), "ALLOWED_HOSTS must list"),
        ({"ALLOWED_HOSTS": "*"}, (), "ALLOWED_HOSTS must list"),
        ({}, ("DATABASE_URL",), "DATABASE_URL must point at PostgreSQL"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, (), "production runs on PostgreSQL"),
        ({}, ("REDIS_URL",), "REDIS_URL must be set"),
        ({"CELERY_BROKER_URL": "filesystem://"}, (), "must be a shared broker"),
    ],
)
def test_refuses_to_start_without_what_production_needs(extra, drop, message):
    env_extra = dict(extra)
    result = subprocess.run(
        [sys.executable, "-c", "import storefront.settings_production"], cwd=ROOT, capture_output=True, text=True,
        env={**{k: v for k, v in os.environ.items() if k not in GOOD_ENV and not k.startswith("DJANGO_")},
             **{k: v for k, v in GOOD_ENV.items() if k not in drop}, **env_extra},
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr, result.stderr[-1500:]


def test_gunicorn_logs_the_same_json_as_the_shop(monkeypatch):
    import runpy

    from storefront.logs import JSON_FORMATTER, django_logging

    monkeypatch.setenv("LOG_LEVEL", "warning")
    monkeypatch.delenv("GUNICORN_ACCESS_LOG", raising=False)
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert conf["loglevel"] == "warning"
    assert conf["logconfig_dict"]["formatters"]["json"] == JSON_FORMATTER == django_logging(
        production=True)["formatters"]["json"]
    assert conf["logconfig_dict"]["loggers"]["gunicorn.error"]["level"] == "WARNING"
    assert conf["logconfig_dict"]["loggers"]["gunicorn.access"]["level"] == "WARNING"  # nginx logs access
    assert "formatters" not in django_logging(production=False)
