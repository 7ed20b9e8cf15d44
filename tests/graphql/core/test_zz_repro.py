import json
import threading
import pytest
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_repro(channel):
    original = connection.cursor
    r = Client().post("/graphql/", data=json.dumps({"query": "{ shop { name } channels { slug } }"}),
                      content_type="application/json")
    print(r.status_code, r.content[:200])
    print("cursor replaced:", connection.cursor != original, connection.cursor)
    from graphene_django.settings import graphene_settings
    print("middleware:", graphene_settings.MIDDLEWARE)
    with connection.cursor() as c:
        print(type(c))
        c.execute("SELECT %s, '100%%'", ["x"])
        print(c.fetchone())
    from storefront.channel.models import Channel
    Channel.objects.filter(pk=channel.pk).update(name="Giảm 50% hôm nay")
    print(Channel.objects.get(pk=channel.pk).name)
