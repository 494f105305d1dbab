"""A successful answer must carry what the operation returns, or it is not an answer from AWS.

A proxy, a captive portal or a wrong endpoint can answer HTTP 200 with an HTML
page, an empty XML document or ``{}``. botocore parses such a body into a dict
without the operation's result, and a collector reading ``.get("Volumes", [])``
would see "no volumes": a silent pass. Every client gets one hook on botocore's
``after-call`` event that compares the parsed response with the operation's
model and raises :class:`MissingResultError` when none of the members it is
read for is there, so the call becomes an ordinary error entry.

What a response must carry comes from botocore's own data, the same for every
service and operation: a paginated operation must carry one of its paginator's
``result_key`` members (AWS sends the list even when it is empty); any other
operation must carry at least one member of its output shape. An operation
without an output shape is not checked.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, DataNotFoundError, UnknownServiceError
from botocore.model import OperationModel
from botocore.parsers import ResponseParserError, ResponseParserFactory

MISSING_RESULT_CODE = "MalformedResponse"


class MissingResultError(BotoCoreError):
    """HTTP 200, but the body does not carry the operation's result."""

    fmt = (
        "HTTP {status} response to {operation} carries none of {expected}: not an answer from "
        "AWS (a proxy, a captive portal or a wrong endpoint?)"
    )


def required_members(operation: OperationModel) -> frozenset[str]:
    """The members a successful response to ``operation`` carries at least one of."""
    service = operation.service_model.service_name
    keys = _paginator_result_keys(service, operation.name)
    if keys:
        return keys
    shape = operation.output_shape
    if shape is None:
        return frozenset()
    return frozenset(shape.members)


@functools.lru_cache(maxsize=1)
def _botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


@functools.lru_cache(maxsize=256)
def _paginator_result_keys(service: str, operation: str) -> frozenset[str]:
    try:
        model = _botocore_session().get_paginator_model(service)
    except (DataNotFoundError, UnknownServiceError):
        return frozenset()
    try:
        config = model.get_paginator(operation)
    except ValueError:  # the operation is not paginated
        return frozenset()
    result_keys = config.get("result_key", [])
    if isinstance(result_keys, str):
        result_keys = [result_keys]
    # A result key may be an expression ("Reservations[].Instances"): its first member counts.
    return frozenset(_first_member(key) for key in result_keys if key)


def _first_member(expression: str) -> str:
    for stop in ".[|":
        expression = expression.split(stop, 1)[0]
    return expression.strip()


def check_response(
    http_response: Any = None, parsed: Any = None, model: OperationModel | None = None, **_: Any
) -> None:
    """botocore ``after-call`` handler: raise when a 2xx answer lacks the operation's result."""
    if model is None or not isinstance(parsed, dict):
        return
    status = getattr(http_response, "status_code", None)
    if status is None or status >= 300:  # an error response: botocore raises ClientError
        return
    expected = required_members(model)
    if expected and not expected.intersection(parsed):
        raise MissingResultError(
            status=status, operation=model.name, expected=", ".join(sorted(expected))
        )


def install_response_check(client: BaseClient) -> None:
    """Refuse, on this client, every 2xx response that lacks its operation's result."""
    client.meta.events.register("after-call", check_response, unique_id="stormproof-result-check")


class _StrictParser:
    """botocore's parser for one protocol; any failure to parse is a ResponseParserError."""

    def __init__(self, parser: Any) -> None:
        self._parser = parser

    def parse(self, response: dict[str, Any], shape: Any) -> dict[str, Any]:
        try:
            return self._parser.parse(response, shape)
        except ResponseParserError:
            raise
        except Exception as exc:  # KeyError, TypeError, ... on a body that is not AWS's
            raise ResponseParserError(
                f"Unable to parse response ({type(exc).__name__}: {exc})"
            ) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._parser, name)


class _StrictParserFactory(ResponseParserFactory):
    def create_parser(self, protocol_name: str) -> Any:
        return _StrictParser(super().create_parser(protocol_name))


def install_strict_parsing(session: botocore.session.Session) -> None:
    """Clients this botocore session creates from now on parse strictly (see above)."""
    if not isinstance(session.get_component("response_parser_factory"), _StrictParserFactory):
        session.register_component("response_parser_factory", _StrictParserFactory())
