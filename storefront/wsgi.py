import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings")
application = get_wsgi_application()


def _settle_garbage_collector() -> None:
    """Load what every request uses, then keep the collector off it.

    A request for 100 products creates some hundred thousand short-lived objects; with the default
    thresholds the collector ran a full pass every ten requests or so, over the whole of Django,
    graphene's schema and the URLconf each time (≈ 135 ms a pass: a p95 of 160 ms for a 25 ms median).
    Frozen, the start-up objects are never scanned again; a larger first threshold lets most
    request garbage die young, freed by reference counting before any collection looks at it.
    Measured in-process: full passes gone, collector time per 100 such requests 1.6 s → 0.23 s.
    """
    from django.urls import get_resolver

    from storefront.graphql.api import schema

    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    schema.graphql_schema  # noqa: B018
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


_settle_garbage_collector()
