"""Sandbox B2B catalog: a small WSGI application speaking the Alibaba.com (ICBU) product protocol.

Its own process and SQLite database; never imports the client (`integrations.alibaba.client`).
Run it with ``python -m integrations.alibaba.sandbox --port 8700 --db sandbox.sqlite3``; in tests use
:func:`serve` (a threaded server on a free port) or :func:`make_app` (the WSGI callable).
"""

from .app import SandboxApp, make_app
from .config import Knobs, SandboxConfig
from .server import RunningSandbox, serve

__all__ = ["Knobs", "RunningSandbox", "SandboxApp", "SandboxConfig", "make_app", "serve"]
