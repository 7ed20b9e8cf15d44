"""A GraphQL client for the API tests: posts like a Saleor storefront does."""
from __future__ import annotations

import json

import pytest
from django.test import Client


class GraphQLClient:
    def __init__(self):
        self.client = Client()
        self.token = None

    def post(self, query: str, variables: dict | None = None, *, token: str | None = None, raw: bool = False,
             **extra):
        headers = dict(extra)
        bearer = token or self.token
        if bearer:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {bearer}"
        response = self.client.post(
            "/graphql/", data=json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json", **headers,
        )
        if raw:
            return response
        assert response.status_code == 200, response.content
        body = response.json()
        return body

    def execute(self, query: str, variables: dict | None = None, **kwargs) -> dict:
        """The `data` of a request that must succeed without GraphQL errors."""
        body = self.post(query, variables, **kwargs)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def login_as(self, user, password: str = "Matkhau!2026"):
        from storefront.graphql.core.auth import create_access_token

        self.token = create_access_token(user)
        return self


@pytest.fixture
def gql(db):
    return GraphQLClient()


@pytest.fixture
def gql_as():
    def make(user):
        return GraphQLClient().login_as(user)

    return make
