"""An endpoint that answers every request with HTTP 200 and a body that is not AWS's answer.

A proxy, a captive portal or a wrong ``AWS_ENDPOINT_URL`` answers with an HTML
page, an empty XML document or ``{}``, and says 200. moto cannot do that, so
:class:`ImpostorEndpoint` listens on 127.0.0.1 and sends the same body to every
request, counting ``"Service:Operation"``-shaped request lines. Point
``AWS_ENDPOINT_URL`` (or one ``AWS_ENDPOINT_URL_<SERVICE>``) at
:attr:`ImpostorEndpoint.endpoint_url`.
"""

from __future__ import annotations

import http.server
import threading
from typing import Any

from scanner.mockaws.loopback import LoopbackEndpoint

HTML_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Sign in</title><meta charset=utf-8></head>"
    b"<body><h1>Welcome to the guest network</h1><p>Please sign in.</body></html>\n"
)
EMPTY_XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<Response/>\n'
EMPTY_JSON = b"{}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        endpoint = self.server.endpoint
        endpoint._arrived(self.headers.get("X-Amz-Target") or body[:200].decode("latin-1"))
        self.send_response(200)
        self.send_header("Content-Type", endpoint.content_type)
        self.send_header("Content-Length", str(len(endpoint.body)))
        self.end_headers()
        self.wfile.write(endpoint.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

    def log_message(self, *args: Any) -> None:  # quiet: tests read the counts instead
        return


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, endpoint: ImpostorEndpoint) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.endpoint = endpoint


class ImpostorEndpoint(LoopbackEndpoint):
    """``with ImpostorEndpoint(HTML_PAGE) as fake:``; ``requests`` counts what arrived."""

    thread_name = "impostor-endpoint"

    def __init__(self, body: bytes = HTML_PAGE, content_type: str = "text/html") -> None:
        self.body = body
        self.content_type = content_type
        self.received: list[str] = []  # the target header or the start of each request body
        self._lock = threading.Lock()
        super().__init__()

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.received)

    def _make_server(self) -> _Server:
        return _Server(self)

    def _arrived(self, what: str) -> None:
        with self._lock:
            self.received.append(what)
