"""The /graphql/ endpoint: graphene-django's view with what a Saleor client expects around it.

* `Authorization: Bearer <JWT>` authenticates the request (a bad token is Saleor's error, not a
  silent anonymous request).
* GraphQL multipart requests (file uploads) map files into the variables.
* Promise-based execution so DataLoaders batch; depth and cost rules.
* An unexpected exception in the view answers a GraphQL error, never an HTML 500 page.
"""
from __future__ import annotations

import json
import logging

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseBadRequest
from graphene_django.views import GraphQLView, HttpError
from graphql_core_promise import PromiseExecutionContext

from .auth import TokenError, user_from_access_token
from .validation import validation_rules

logger = logging.getLogger(__name__)


def _json_error(message: str, status: int, code: str | None = None) -> HttpResponse:
    error = {"message": message}
    if code:
        error["extensions"] = {"exception": {"code": code}}
    return HttpResponse(json.dumps({"errors": [error]}), status=status, content_type="application/json")


class SaleorGraphQLView(GraphQLView):
    execution_context_class = PromiseExecutionContext
    validation_rules = validation_rules()

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() in ("bearer", "jwt") and token.strip():
                try:
                    request.user = user_from_access_token(token.strip())
                except TokenError as exc:
                    return _json_error(str(exc), 401, exc.code)
        if not hasattr(request, "user"):
            request.user = AnonymousUser()
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception:  # a bug must not leak a Django error page to an API client
            logger.exception("GraphQL request failed")
            return _json_error("Internal Server Error", 500)

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        if content_type == "multipart/form-data" and "operations" in request.POST:
            return self._parse_multipart(request)
        return super().parse_body(request)

    @staticmethod
    def _parse_multipart(request):
        """GraphQL multipart request spec: `operations`, `map` and the file parts."""
        try:
            operations = json.loads(request.POST["operations"])
            file_map = json.loads(request.POST.get("map", "{}"))
        except ValueError:
            raise HttpError(HttpResponseBadRequest("Invalid multipart request: operations/map must be JSON."))
        if not isinstance(operations, dict) or not isinstance(file_map, dict):
            raise HttpError(HttpResponseBadRequest("Batched multipart requests are not supported."))
        for part_name, paths in file_map.items():
            uploaded = request.FILES.get(part_name)
            if uploaded is None or not isinstance(paths, list):
                raise HttpError(HttpResponseBadRequest(f"Missing file part {part_name!r}."))
            for path in paths:
                target = operations
                keys = str(path).split(".")
                try:
                    for key in keys[:-1]:
                        target = target[int(key)] if isinstance(target, list) else target[key]
                    last = keys[-1]
                    if isinstance(target, list):
                        target[int(last)] = uploaded
                    else:
                        target[last] = uploaded
                except (KeyError, IndexError, ValueError, TypeError):
                    raise HttpError(HttpResponseBadRequest(f"Invalid file path {path!r}."))
        return operations

    def get_graphql_params(self, request, data):
        try:
            return super().get_graphql_params(request, data)
        except HttpError:
            raise
        except Exception:
            raise HttpError(HttpResponseBadRequest("Variables are invalid JSON."))
