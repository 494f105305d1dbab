"""An endpoint that accepts requests and does not answer: a hung or overloaded AWS service.

moto always answers at once, so nothing in it can show that a slow endpoint
costs the collector at most its read timeout per attempt, or what Ctrl-C does
while a request hangs. :class:`HangingEndpoint` listens on 127.0.0.1, reads each
request, counts it, and holds the connection open without a byte of reply for
``hold_seconds`` (or until :meth:`HangingEndpoint.stop`), then closes it. Point
``AWS_ENDPOINT_URL_<SERVICE>`` at :attr:`HangingEndpoint.endpoint_url`.
"""

from __future__ import annotations

import socketserver
import threading

from scanner.mockaws.loopback import LoopbackEndpoint


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, endpoint: HangingEndpoint) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.endpoint = endpoint


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        endpoint = self.server.endpoint
        self.request.settimeout(endpoint.hold_seconds)
        received = b""
        try:
            while b"\r\n\r\n" not in received:
                chunk = self.request.recv(65536)
                if not chunk:
                    return
                received += chunk
        except OSError:
            return
        endpoint._arrived(received.split(b"\r\n", 1)[0].decode("latin-1"))
        endpoint._released.wait(endpoint.hold_seconds)


class HangingEndpoint(LoopbackEndpoint):
    """``with HangingEndpoint() as hung:``, or ``start()``/``stop()``; ``requests`` counts."""

    thread_name = "hanging-endpoint"

    def __init__(self, hold_seconds: float = 60.0) -> None:
        self.hold_seconds = hold_seconds
        self.request_lines: list[str] = []  # "POST / HTTP/1.1", in arrival order
        self._lock = threading.Lock()
        self._first_request = threading.Event()
        self._released = threading.Event()
        super().__init__()

    @property
    def requests(self) -> int:
        with self._lock:
            return len(self.request_lines)

    def wait_for_request(self, timeout: float) -> bool:
        """True once a request has arrived (within ``timeout`` seconds)."""
        return self._first_request.wait(timeout)

    def _make_server(self) -> _Server:
        return _Server(self)

    def stop(self, timeout: float = 5.0) -> None:
        """Release every held connection and stop listening."""
        self._released.set()
        super().stop(timeout)

    def _arrived(self, request_line: str) -> None:
        with self._lock:
            self.request_lines.append(request_line)
        self._first_request.set()
