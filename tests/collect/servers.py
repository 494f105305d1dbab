"""A moto server on loopback and an offline environment, for end-to-end collector tests."""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from moto.server import ThreadedMotoServer

from tests.offline import apply_offline_environment

SERVER_TIMEOUT_SECONDS = 10


def subprocess_env(**extra: str) -> dict[str, str]:
    """The test's (fake, offline) AWS environment plus ``extra``, for a stormproof subprocess."""
    env = dict(os.environ)
    env.update(extra)
    return env


@contextmanager
def offline_environment() -> Iterator[pytest.MonkeyPatch]:
    """The suite's offline environment, for module-scoped fixtures.

    The autouse one in tests/conftest.py is function-scoped, and module-scoped
    fixtures start before it, so they set the same fake, offline values themselves.
    """
    with pytest.MonkeyPatch.context() as patch:
        apply_offline_environment(patch)
        yield patch


def _reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=SERVER_TIMEOUT_SECONDS):
        pass


@contextmanager
def running_moto_server() -> Iterator[str]:
    """moto as an HTTP server on 127.0.0.1, in this process (so mockaws patches apply)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    starter = threading.Thread(target=server.start, daemon=True)
    starter.start()
    starter.join(SERVER_TIMEOUT_SECONDS)
    if starter.is_alive():
        pytest.fail(f"moto server did not start within {SERVER_TIMEOUT_SECONDS} s")
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    _reset(url)
    try:
        yield url
    finally:
        _reset(url)
        stopper = threading.Thread(target=server.stop, daemon=True)
        stopper.start()
        stopper.join(SERVER_TIMEOUT_SECONDS)
