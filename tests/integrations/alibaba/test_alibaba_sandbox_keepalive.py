"""The sandbox server keeps HTTP/1.1 connections open between calls (a client's calls share one), and
closes them when it cannot tell where the next request starts."""
from __future__ import annotations

import http.client

import pytest

from integrations.alibaba.sandbox.config import SandboxConfig
from integrations.alibaba.sandbox.server import serve


@pytest.fixture
def running(tmp_path):
    sandbox = serve(SandboxConfig.from_env(environ={}, db_path=str(tmp_path / "sandbox.sqlite3")))
    yield sandbox
    sandbox.stop()


def test_calls_share_one_connection(running):
    conn = http.client.HTTPConnection(running.host, running.port, timeout=5)
    conn.request("GET", "/healthz")
    first = conn.getresponse()
    assert first.status == 200 and not first.will_close
    first.read()
    sock = conn.sock
    for _ in range(3):  # a body the app reads (a protocol call) leaves the connection usable
        conn.request("POST", "/router/rest", body=b"method=alibaba.icbu.category.get&v=2.0",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        reply = conn.getresponse()
        assert reply.status == 200 and reply.read()
    assert conn.sock is sock  # no reconnect happened
    conn.close()


def test_http_1_0_and_connection_close_are_honoured(running):
    conn = http.client.HTTPConnection(running.host, running.port, timeout=5)
    conn.request("GET", "/healthz", headers={"Connection": "close"})
    reply = conn.getresponse()
    assert reply.status == 200 and reply.will_close
    reply.read()
    conn.close()


def test_a_body_left_unread_closes_the_connection(running):
    conn = http.client.HTTPConnection(running.host, running.port, timeout=5)
    conn.request("POST", "/healthz", body=b"x" * 5000)  # the health check never reads a body
    reply = conn.getresponse()
    assert reply.status == 200 and reply.will_close
    reply.read()
    conn.close()
