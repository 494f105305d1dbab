"""What every stand-in endpoint on 127.0.0.1 shares: an ephemeral port, a serving thread,
``endpoint_url`` for ``AWS_ENDPOINT_URL_<SERVICE>``, and a bounded stop."""

from __future__ import annotations

import socketserver
import threading
from typing import Any, Self


class LoopbackEndpoint:
    """Subclasses build their server in :meth:`_make_server`; use ``with`` or start/stop."""

    thread_name = "loopback-endpoint"

    def __init__(self) -> None:
        self._server: socketserver.BaseServer | None = None
        self._thread: threading.Thread | None = None

    def _make_server(self) -> socketserver.TCPServer:
        raise NotImplementedError

    @property
    def endpoint_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the endpoint is not started")
        host, port = self._server.server_address[:2]  # type: ignore[misc]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._server = self._make_server()
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=self.thread_name, daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
