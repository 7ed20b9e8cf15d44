"""Threaded WSGI server for the sandbox (stdlib wsgiref) with support for deliberately lost replies."""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import ServerHandler, WSGIRequestHandler, WSGIServer, make_server

from .app import SandboxApp, make_app
from .config import SandboxConfig

log = logging.getLogger("integrations.alibaba.sandbox.server")


class _Handler(ServerHandler):
    def finish_response(self) -> None:
        if self.environ.get("sandbox.drop_reply"):
            # The call was executed; now lose the reply: close the socket without an HTTP answer.
            self.request_handler.lost_reply = True  # type: ignore[attr-defined]
            self.close()
            return
        super().finish_response()


class _RequestHandler(WSGIRequestHandler):
    lost_reply = False

    def handle(self) -> None:
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():
            return
        handler = _Handler(self.rfile, self.wfile, self.get_stderr(), self.get_environ(), multithread=True)
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())
        if self.lost_reply:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Request lines carry query strings (possibly a session or sign): log only method + path.
        path = (self.path or "").split("?", 1)[0]
        log.debug("%s %s %s", self.command, path, args[1] if len(args) > 1 else "")


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


@dataclass
class RunningSandbox:
    app: SandboxApp
    server: ThreadingWSGIServer
    thread: threading.Thread
    host: str
    port: int

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def top_gateway(self) -> str:
        return self.base_url + "/router/rest"

    @property
    def iop_gateway(self) -> str:
        return self.base_url + "/sync"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.app.store.close()

    def __enter__(self) -> "RunningSandbox":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def create_server(app: SandboxApp, host: str = "127.0.0.1", port: int = 8700) -> ThreadingWSGIServer:
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=_RequestHandler)


def serve(config: SandboxConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningSandbox:
    """Run the sandbox in a background thread (port 0 = a free port); stop() or use as a context manager."""
    app = make_app(config)
    server = create_server(app, host, port)
    actual_port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"alibaba-sandbox-{actual_port}", daemon=True)
    thread.start()
    return RunningSandbox(app, server, thread, host, actual_port)
