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
    http_version = "1.1"  # keep-alive: a client's many calls share one connection

    def finish_response(self) -> None:
        if self.environ.get("sandbox.drop_reply"):
            # The call was executed; now lose the reply: close the socket without an HTTP answer.
            self.request_handler.lost_reply = True  # type: ignore[attr-defined]
            self.close()
            return
        super().finish_response()

    def cleanup_headers(self) -> None:
        super().cleanup_headers()
        handler = self.request_handler  # type: ignore[attr-defined]
        if handler.body.remaining or "Content-Length" not in self.headers:
            handler.close_connection = True  # body left unread, or a reply only its end delimits
        if handler.close_connection:
            self.headers["Connection"] = "close"


class _Body:
    """The request body as the app sees it: at most Content-Length bytes, counted, so the server knows
    whether the connection is positioned at the next request (else it must close it)."""

    def __init__(self, stream, length: int):
        self._stream = stream
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self._stream.read(size) if size else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self._stream.readline(size) if size else b""
        self.remaining -= len(data)
        return data

    def readlines(self, hint: int = -1) -> list[bytes]:
        lines = []
        while self.remaining:
            line = self.readline()
            if not line:
                break
            lines.append(line)
        return lines

    def __iter__(self):
        return iter(self.readlines())


class _RequestHandler(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle keep-alive connection is closed after this long (it holds a thread)
    lost_reply = False
    body: _Body | None = None

    def handle(self) -> None:
        self.close_connection = True
        self.handle_one_request()
        while not self.close_connection:
            self.handle_one_request()

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (TimeoutError, OSError):
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            self.close_connection = True
            return
        if not self.parse_request():
            self.close_connection = True
            return
        environ = self.get_environ()
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if chunked or length < 0:
            self.close_connection = True
            length = 0
        self.body = body = _Body(self.rfile, length)
        handler = _Handler(body, self.wfile, self.get_stderr(), environ, multithread=True)
        handler.request_handler = self  # type: ignore[attr-defined]
        handler.run(self.server.get_app())
        if body.remaining or self.lost_reply:
            self.close_connection = True
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
