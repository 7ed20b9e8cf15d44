"""The /graphql/ endpoint: graphene-django's view with what a Saleor client expects around it.

* `Authorization: Bearer <JWT>` authenticates the request (a bad token is Saleor's error, not a
  silent anonymous request).
* The endpoint is CSRF-exempt for token and anonymous clients (Saleor storefronts), but a POST that
  the session cookie authenticates must be JSON (a cross-site HTML form cannot send it) and come from
  our own origin (Origin, else Referer) or carry Django's CSRF token: otherwise any page of the same
  site, e.g. the B2B sandbox on another port, could post a form as the signed-in staff member.
* GraphQL multipart requests (file uploads) map files into the variables.
* Promise-based execution so DataLoaders batch; depth and cost rules.
* An unexpected exception in the view answers a GraphQL error, never an HTML 500 page.
"""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from threading import Lock
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware
from graphene_django.settings import graphene_settings
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast, validate
from graphql_core_promise import PromiseExecutionContext

from .auth import TokenError, user_from_access_token
from .execution import FastPromiseExecutionContext, check_versions
from .limits import document_limit_errors, nul_error, parse_limited, variables_contain_nul
from .validation import validation_rules

logger = logging.getLogger(__name__)


class _DocumentCache:
    """Parsed and validated documents by query text: a storefront sends the same few queries over
    and over, and validating one costs more than running many resolvers."""

    def __init__(self, size: int = 256, max_query_length: int = 20_000):
        self.size = size
        self.max_query_length = max_query_length  # huge documents are validated, never kept
        self.items: OrderedDict[str, tuple] = OrderedDict()
        self.lock = Lock()

    def get(self, query: str, schema, rules) -> tuple:
        with self.lock:
            if query in self.items:
                self.items.move_to_end(query)
                return self.items[query]
        try:
            document = parse_limited(query)
        except GraphQLError as exc:  # a syntax error or too many tokens: the client's, reported as such
            return None, [exc]
        # Limits first: validation is what an abusive document attacks (see limits.py).
        errors = document_limit_errors(document) or validate(
            schema, document, rules, graphene_settings.MAX_VALIDATION_ERRORS)
        entry = (document, errors)
        if len(query) > self.max_query_length:
            return entry
        with self.lock:
            self.items[query] = entry
            if len(self.items) > self.size:
                self.items.popitem(last=False)
        return entry


_documents = _DocumentCache()


def _json_error(message: str, status: int, code: str | None = None) -> HttpResponse:
    error = {"message": message}
    if code:
        error["extensions"] = {"exception": {"code": code}}
    return HttpResponse(json.dumps({"errors": [error]}), status=status, content_type="application/json")


def _execution_context_class():
    if settings.GRAPHQL_FAST_EXECUTION:
        check_versions()
        return FastPromiseExecutionContext
    return PromiseExecutionContext


def _same_origin(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = urlsplit(request.META.get("HTTP_REFERER", ""))
        if not referer.scheme or not referer.netloc:
            return False
        origin = f"{referer.scheme}://{referer.netloc}"
    ours = f"{'https' if request.is_secure() else 'http'}://{request.get_host()}"
    return origin == ours or origin in settings.CSRF_TRUSTED_ORIGINS


def _csrf_token_valid(request) -> bool:
    """Django's own CSRF check (token in the X-CSRFToken header against the csrftoken cookie)."""
    def view(request):  # not csrf_exempt, unlike the endpoint itself
        return None

    return CsrfViewMiddleware(view).process_view(request, view, (), {}) is None


def _session_request_refusal(request) -> str | None:
    if GraphQLView.get_content_type(request) != "application/json":
        return "Requests authenticated by the session cookie must send JSON."
    if not (_same_origin(request) or _csrf_token_valid(request)):
        return "CSRF check failed: send the X-CSRFToken header, or authenticate with a token."
    return None


# GraphiQL (graphene-django's page) runs React from its CDN, with an inline style and configuration script.
GRAPHIQL_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
                   "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
                   "font-src 'self' data: https://cdn.jsdelivr.net; connect-src 'self'; object-src 'none'; "
                   "base-uri 'self'; frame-ancestors 'none'")


class SaleorGraphQLView(GraphQLView):
    execution_context_class = _execution_context_class()
    validation_rules = validation_rules()

    def dispatch(self, request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        by_token = False
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() in ("bearer", "jwt") and token.strip():
                try:
                    request.user = user_from_access_token(token.strip())
                except TokenError as exc:
                    return _json_error(str(exc), 401, exc.code)
                by_token = True
        if not hasattr(request, "user"):
            request.user = AnonymousUser()
        elif request.method == "POST" and not by_token and request.user.is_authenticated:
            refusal = _session_request_refusal(request)
            if refusal:
                return _json_error(refusal, 403, "CsrfError")
        try:
            return super().dispatch(request, *args, **kwargs)
        except Exception:  # a bug must not leak a Django error page to an API client
            logger.exception("GraphQL request failed")
            return _json_error("Internal Server Error", 500)

    def render_graphiql(self, request, **data):
        response = super().render_graphiql(request, **data)
        response["Content-Security-Policy"] = GRAPHIQL_POLICY
        return response

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        """graphene-django's, with parse + validate cached per query text."""
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        document, errors = _documents.get(query, schema, self.validation_rules)
        if errors:
            return ExecutionResult(data=None, errors=errors)
        if variables_contain_nul(variables):
            return ExecutionResult(data=None, errors=[nul_error()])
        operation_ast = get_operation_ast(document, operation_name)
        if request.method.lower() == "get" and operation_ast is not None \
                and operation_ast.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(
                ["POST"], f"Can only perform a {operation_ast.operation.value} operation from a POST request."))
        try:
            options = {
                "root_value": self.get_root_value(request),
                "context_value": self.get_context(request),
                "variable_values": variables,
                "operation_name": operation_name,
                "middleware": self.get_middleware(request),
                "execution_context_class": self.execution_context_class,
            }
            if operation_ast is not None and operation_ast.operation == OperationType.MUTATION \
                    and graphene_settings.ATOMIC_MUTATIONS is True:
                with transaction.atomic():
                    return execute(schema, document, **options)
            return execute(schema, document, **options)
        except Exception as exc:
            return ExecutionResult(errors=[exc])

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        try:
            if content_type == "multipart/form-data" and "operations" in request.POST:
                return self._parse_multipart(request)
            return super().parse_body(request)
        except MultiPartParserError:  # e.g. an empty or missing boundary
            raise HttpError(HttpResponseBadRequest("Invalid multipart request.")) from None
        except RecursionError:  # JSON nested deeper than the decoder can follow
            raise HttpError(HttpResponseBadRequest("POST body sent invalid JSON.")) from None

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
            query, variables, operation_name, id_ = super().get_graphql_params(request, data)
        except HttpError:
            raise
        except Exception:
            raise HttpError(HttpResponseBadRequest("Variables are invalid JSON."))
        # JSON may carry any type where GraphQL expects text and an object.
        if query is not None and not isinstance(query, str):
            raise HttpError(HttpResponseBadRequest("The query must be a string."))
        if variables in ("", [], None):
            variables = None  # some clients send an empty value for "no variables"
        elif not isinstance(variables, dict):
            raise HttpError(HttpResponseBadRequest("Variables must be a JSON object."))
        if operation_name is not None and not isinstance(operation_name, str):
            raise HttpError(HttpResponseBadRequest("The operation name must be a string."))
        return query, variables, operation_name, id_
