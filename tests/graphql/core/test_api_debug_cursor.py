"""A GraphQL request leaves the database connection as it found it.

graphene-django's DjangoDebugMiddleware (on by default under DEBUG, as in development and tests)
replaced the connection's cursor and never put it back, because the API has no `_debug` field to
trigger the restore; later batch writes in the same thread then failed in the recording cursor
(`TypeError: not enough arguments for format string`), e.g. catalog_sync's listing saves when
GraphQL tests ran before them in one process."""
import json

import pytest
from django.db import connections
from django.test import Client

from storefront.channel.models import Channel

QUERY = "{ shop { name } channels { slug name } }"


def _graphql_request():
    response = Client().post("/graphql/", data=json.dumps({"query": QUERY}), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


@pytest.mark.django_db
def test_graphql_request_leaves_the_connection_cursor_alone(channel):
    data = _graphql_request()
    assert {"slug": channel.slug, "name": channel.name} in data["channels"]
    for connection in connections.all():
        assert "cursor" not in vars(connection), "the connection's cursor method was replaced"
        assert not hasattr(connection, "_graphene_cursor")
        with connection.cursor() as cursor:
            assert type(cursor).__module__.startswith("django.db.backends"), type(cursor)


@pytest.mark.django_db
def test_batch_and_percent_writes_after_a_graphql_request(channel):
    _graphql_request()
    from django.db import connection

    table, quote = Channel._meta.db_table, connection.ops.quote_name
    with connection.cursor() as cursor:  # the statement shape catalog_sync's listing save uses
        cursor.executemany(f"UPDATE {quote(table)} SET {quote('name')} = %s WHERE {quote('id')} = %s",
                           [("Giảm 50% hôm nay", channel.pk)])
    assert Channel.objects.get(pk=channel.pk).name == "Giảm 50% hôm nay"
    Channel.objects.filter(pk=channel.pk).update(name="Rau 100% hữu cơ")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote('name')} FROM {quote(table)} WHERE {quote('name')} LIKE %s", ["%100%"])
        assert cursor.fetchall() == [("Rau 100% hữu cơ",)]
