"""Production settings: `storefront.settings` hardened for many processes on many hosts.

Use with DJANGO_SETTINGS_MODULE=storefront.settings_production. Every value comes from the
environment (deploy/README.md lists them). What a production deployment cannot work without is
required here and fails loudly at start-up instead of falling back to a laptop default: a shop
that silently used SQLite, a per-process cache or a file-system broker behind a load balancer
would lose carts and orders across processes.
"""
from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from storefront.settings import *  # noqa: F401,F403  (this module is the base settings, hardened)
from storefront.logs import django_logging
from storefront.settings import DATABASES, env_bool, env_list


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (see deploy/README.md)")
    return value


DEBUG = False

SECRET_KEY = _required("SECRET_KEY")
if SECRET_KEY.startswith("dev-only-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters")
# Old keys still verify existing sessions and signed links while the new key is rolled out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the shop's host names (no '*')")


def _origins_for(hosts: list[str]) -> list[str]:
    # ".example.com" in ALLOWED_HOSTS means the domain and its subdomains.
    return [f"https://*{host}" if host.startswith(".") else f"https://{host}" for host in hosts]


CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "") or _origins_for(ALLOWED_HOSTS)
# Absolute links in e-mails: the shop's public address, never the development default.
SITE_URL = (os.environ.get("SITE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}").rstrip("/")

# --- HTTPS. TLS ends at nginx (or the ingress), which says so in X-Forwarded-Proto. ---------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Orchestrator probes talk plain HTTP to the pod; a redirect would read as "unhealthy".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = True

# --- PostgreSQL with a connection pool. ------------------------------------------------------------
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL in production")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("production runs on PostgreSQL (stock locks need SELECT ... FOR UPDATE)")
if env_bool("DB_POOL", True):
    # psycopg's pool, one per process: a gunicorn worker or Celery child reuses a few warm
    # connections instead of opening one per request. Django requires CONN_MAX_AGE=0 with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", 1)),
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", 4)),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", 10)),
    }
else:
    # Behind PgBouncer (which pools for every process at once) keep persistent connections and
    # check them before reuse instead.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "DB_PREPARE_THRESHOLD" not in os.environ and "prepare_threshold" in DATABASES["default"].get("OPTIONS", {}):
        # A transaction-mode PgBouncer hands each transaction to any server connection: statements
        # prepared on one are unknown on the next unless PgBouncer ≥ 1.21 tracks them
        # (max_prepared_statements). Off unless DB_PREPARE_THRESHOLD says so.
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", 5))
)

# --- Redis: the cache and the sessions, shared by every web process. -------------------------------
REDIS_URL = _required("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "htx",
        "TIMEOUT": 300,
    },
    # Its own alias (and, if the operator wants, its own Redis database via SESSION_REDIS_URL) so
    # that clearing the cache never logs shoppers out or empties their carts.
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("SESSION_REDIS_URL", REDIS_URL),
        "KEY_PREFIX": "htx-session",
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

# --- Celery: a real broker shared by all workers; the scheduler runs as exactly one copy. ----------
CELERY_BROKER_URL = _required("CELERY_BROKER_URL")
if CELERY_BROKER_URL.startswith(("filesystem://", "memory://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a shared broker (redis:// or amqp://) in production")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Let the LOGGING below (JSON) format the worker's logs instead of Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME", CELERY_BEAT_SCHEDULE_FILENAME)  # noqa: F405

# --- Files. Static: hashed names, collected into the image, served by nginx. Media: local volume
# on a single host, S3-compatible object storage as soon as a bucket is configured. -----------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    # Credentials come from boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or the
    # pod's workload identity), never from this file.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # MinIO and most non-AWS providers want path-style addressing.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "default_acl": None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    # Files only their owners may see (return photos), served through a view that checks who asks:
    # under their own prefix, never public (give the bucket no public read on `private/`).
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "custom_domain": None, "default_acl": "private",
                    "location": os.environ.get("AWS_PRIVATE_LOCATION", "private"), "querystring_auth": True,
                    "object_parameters": {"CacheControl": "private, no-store"}},
    }
# Without a bucket, private files stay under HTX_VAR_DIR (PRIVATE_MEDIA_ROOT), which nginx does not serve.

# --- Mail goes out over SMTP. ----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# --- Logs: one JSON object per line on stdout (storefront/logs.py). ---------------------------------
LOGGING = django_logging(production=True)
