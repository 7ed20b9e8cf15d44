"""Health endpoint for load balancers and orchestrators: the database, the broker and the cache
(which holds the sessions in production) must all answer."""
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready"
        return f"{type(exc).__name__}"
    return None


def _check_broker() -> str | None:
    from storefront.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


def _check_cache() -> str | None:
    try:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            return "NotStored"
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


@never_cache
def healthz(request):
    checks = (("database", _check_database()), ("broker", _check_broker()), ("cache", _check_cache()))
    problems = {name: err for name, err in checks if err}
    status = 200 if not problems else 503
    return JsonResponse({"status": "ok" if not problems else "fail", "problems": problems}, status=status)
