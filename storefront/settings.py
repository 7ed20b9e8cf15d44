"""Django settings for HTX Market.

Everything that differs between a laptop, CI and production is read from the environment; the
defaults are the embedded ones (SQLite file, a broker that needs no server) so `make run` works on
a fresh machine. Production hardening lives in `storefront.settings_production`, which imports this.
"""
from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from storefront.logs import django_logging

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HTX_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "graphene_django",
    "storefront.core",
    "storefront.account",
    "storefront.cooperative",
    "storefront.channel",
    "storefront.product",
    "storefront.warehouse",
    "storefront.shipping",
    "storefront.discount",
    "storefront.checkout",
    "storefront.order",
    "storefront.payment",
    "storefront.settlement",
    "storefront.menu",
    "storefront.supply",
    "storefront.web",
    "storefront.dashboard",
    "storefront.demo",
    "catalog_sync",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "storefront.core.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "storefront" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'htx.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_SERVER_SIDE_BINDING", True):
    # Parameters travel apart from the SQL, so psycopg prepares a statement on the server once it has
    # run DB_PREPARE_THRESHOLD times on a connection (PostgreSQL then skips parsing and planning it:
    # about half its CPU per placed order). Behind PgBouncer this needs PgBouncer ≥ 1.21 with
    # max_prepared_statements set, or DB_PREPARE_THRESHOLD=none (binding on, preparing off).
    _threshold = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip().lower()
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": None if _threshold in {"", "none"} else int(_threshold)}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web process and the Celery worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )

AUTH_USER_MODEL = "account.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "storefront.web.views.errors.csrf_failure"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "storefront" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
# The project-wide assets (site.css, vendored htmx) are not inside an app's static/ folder.
STATICFILES_DIRS = [BASE_DIR / "storefront" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files only their owners may see (return photos): outside MEDIA_ROOT, which the web server serves to anyone.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: images are checked by the product service; these caps stop huge bodies earlier.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
MAX_IMAGE_UPLOAD_BYTES = int(os.environ.get("MAX_IMAGE_UPLOAD_BYTES", 10 * 1024 * 1024))
MAX_IMAGE_PIXELS = int(os.environ.get("MAX_IMAGE_PIXELS", 40_000_000))
# Certificate scans in the cooperative vault (PDF, JPEG or PNG).
CERTIFICATE_MAX_BYTES = int(os.environ.get("CERTIFICATE_MAX_BYTES", 8 * 1024 * 1024))
CERTIFICATE_MAX_PIXELS = int(os.environ.get("CERTIFICATE_MAX_PIXELS", 40_000_000))
CERTIFICATE_MAX_PDF_PAGES = int(os.environ.get("CERTIFICATE_MAX_PDF_PAGES", 30))
THUMBNAIL_SIZES = (64, 128, 256, 512, 1024)

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          # Parallel test workers (pytest -n) share one Redis: each keeps its own keys,
                          # so one worker's catalog writes do not empty another's cache mid-test.
                          "KEY_PREFIX": os.environ.get("PYTEST_XDIST_WORKER", "")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "htx"}}

# Celery. The default broker keeps messages in files under var/, so a real worker process runs
# on a fresh machine with no broker server; CI and production point CELERY_BROKER_URL at Redis.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://localhost//")
_broker_dir = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    "expire-unpaid-orders": {"task": "storefront.order.tasks.expire_unpaid_orders_task", "schedule": 300.0},
    "expire-stock-lots": {"task": "storefront.warehouse.tasks.expire_stock_lots_task", "schedule": 900.0},
    "catalog-sync": {"task": "catalog_sync.tasks.sync_catalog_task", "schedule": 900.0},
    "catalog-sync-pull": {"task": "catalog_sync.tasks.pull_remote_updates_task", "schedule": 300.0},
    "catalog-sync-exchange-rate": {"task": "catalog_sync.tasks.fetch_exchange_rate_task", "schedule": 6 * 3600.0},
    "certificate-expiry-notices": {"task": "storefront.cooperative.tasks.certification_expiry_notices_task",
                                   "schedule": 6 * 3600.0},
    "catalog-sync-prune-snapshots": {"task": "catalog_sync.tasks.prune_publish_snapshots_task",
                                     "schedule": 24 * 3600.0},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "storefront.core.logs.LoggingEmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HTX Market <no-reply@htx-market.example.com>")
# Absolute links in e-mails (order status page, dashboard) start with this.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Payments: the program's one receiving account for VietQR bank transfers.
VIETQR_BANK_BIN = os.environ.get("VIETQR_BANK_BIN", "970446")
VIETQR_ACCOUNT_NO = os.environ.get("VIETQR_ACCOUNT_NO", "0123456789")
VIETQR_ACCOUNT_NAME = os.environ.get("VIETQR_ACCOUNT_NAME", "LIEN MINH HTX VIET NAM")
UNPAID_TRANSFER_EXPIRY_HOURS = int(os.environ.get("UNPAID_TRANSFER_EXPIRY_HOURS", "24"))
# The program's fee on cooperative sales, in percent (Decimal string).
SETTLEMENT_FEE_PERCENT = os.environ.get("SETTLEMENT_FEE_PERCENT", "5")

# Operator identity shown on every page (marketplace duty under the e-commerce rules).
OPERATOR = {
    "name": os.environ.get("OPERATOR_NAME", "Liên minh Hợp tác xã Việt Nam — Chương trình HTX Market"),
    "address": os.environ.get("OPERATOR_ADDRESS", "Số 77 Nguyễn Thái Học, Phường Ba Đình, Thành phố Hà Nội"),
    "registration": os.environ.get("OPERATOR_REGISTRATION", "Mã số thuế 0100000000 (demo)"),
    "phone": os.environ.get("OPERATOR_PHONE", "024 3843 0000"),
    "email": os.environ.get("OPERATOR_EMAIL", "hotro@htx-market.example.com"),
}

# B2B catalog (Alibaba Open Platform protocol); sandbox defaults.
ALIBABA_GATEWAY_URL = os.environ.get("ALIBABA_GATEWAY_URL", "http://127.0.0.1:8700/router/rest")
ALIBABA_APP_KEY = os.environ.get("ALIBABA_APP_KEY", "12345678")
ALIBABA_APP_SECRET = os.environ.get("ALIBABA_APP_SECRET", "vnagri-sandbox-secret")
ALIBABA_SESSION_KEY = os.environ.get("ALIBABA_SESSION_KEY", "SANDBOX-SESSION-0001")
# Vietcombank-format XML feed of exchange rates for USD quotes (empty: staff enter rates by hand).
CATALOG_SYNC_RATE_URL = os.environ.get("CATALOG_SYNC_RATE_URL", "")

GRAPHENE = {
    "SCHEMA": "storefront.graphql.api.schema",
    "RELAY_CONNECTION_MAX_LIMIT": 100,
    # graphene-django adds its DjangoDebugMiddleware by default when DEBUG is on. It swaps every
    # connection's cursor for a recording one and swaps it back only when a `_debug` field is
    # resolved; the API has no such field (Saleor neither), so the recording cursor stayed on the
    # thread's connection for good, and its executemany breaks any later batch write with
    # `TypeError: not enough arguments for format string` (catalog_sync saves listings that way).
    "MIDDLEWARE": [],
}
# The API's trimmed execution context (storefront/graphql/core/execution.py; bench/RESULTS.md has
# its measured worth); off: graphql-core-promise's own. On, start-up checks the graphql-core release.
GRAPHQL_FAST_EXECUTION = env_bool("GRAPHQL_FAST_EXECUTION", True)
JWT_ACCESS_TTL_SECONDS = int(os.environ.get("JWT_ACCESS_TTL_SECONDS", 300))
JWT_REFRESH_TTL_SECONDS = int(os.environ.get("JWT_REFRESH_TTL_SECONDS", 30 * 24 * 3600))

LOGGING = django_logging(production=False)
