"""Health endpoint for load balancers and orchestrators: database and broker must both answer."""
from django.db import connection
from django.http import JsonResponse


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


def healthz(request):
    problems = {name: err for name, err in (("database", _check_database()), ("broker", _check_broker())) if err}
    status = 200 if not problems else 503
    return JsonResponse({"status": "ok" if not problems else "fail", "problems": problems}, status=status)
