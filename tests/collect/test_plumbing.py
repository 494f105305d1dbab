"""Progress display, the client-side rate limit and page-size limits."""

from __future__ import annotations

import io

import botocore.session

from scanner.collect.limits import PAGE_SIZES
from scanner.collect.progress import LogLines, SilentReporter, TerminalProgress, make_reporter
from scanner.collect.ratelimit import TokenBucket


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def unit(region: str, errors: int = 0) -> dict:
    return {
        "account": "123456789012",
        "region": region,
        "api_calls": {"ec2:DescribeInstances": 2},
        "errors": [{}] * errors,
        "duration_seconds": 0.25,
    }


def test_terminal_shows_units_done_and_errors_so_far():
    stream = FakeTerminal()
    reporter = make_reporter(stream)
    assert isinstance(reporter, TerminalProgress)
    reporter.start(3)
    reporter.unit_done(unit("us-east-1"))
    reporter.unit_done(unit("us-west-2", errors=2))
    reporter.finish()
    frames = stream.getvalue().split("\r")
    assert "collecting: 0/3 units done" in frames[1]
    assert frames[-1].endswith("collecting: 2/3 units done, 2 errors so far\n")


def test_pipes_get_plain_lines_and_quiet_gets_nothing():
    stream = io.StringIO()
    reporter = make_reporter(stream)
    assert isinstance(reporter, LogLines)
    reporter.start(2)
    reporter.unit_done(unit("us-east-1", errors=1))
    assert stream.getvalue().splitlines() == [
        "stormproof: collecting 2 unit(s)",
        "stormproof: [1/2] 123456789012 us-east-1: 2 calls, 1 errors, 0.2s",
    ]
    assert isinstance(make_reporter(FakeTerminal(), quiet=True), SilentReporter)


def test_token_bucket_spaces_requests_at_the_rate():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(2.0, clock=lambda: now[0], sleep=sleep)
    waits = [bucket.acquire() for _ in range(6)]
    assert waits[:2] == [0.0, 0.0]  # a burst of `rate` requests
    assert all(abs(wait - 0.5) < 1e-9 for wait in waits[2:])
    assert abs(now[0] - 2.0) < 1e-9


def test_page_sizes_never_exceed_what_the_model_allows():
    session = botocore.session.get_session()
    for operation, (parameter, size) in PAGE_SIZES.items():
        service, _, name = operation.partition(":")
        shape = session.get_service_model(service).operation_model(name).input_shape
        member = shape.members[parameter]
        assert size <= member.metadata.get("max", size), operation
        paginator = session.get_paginator_model(service).get_paginator(name)
        assert paginator["limit_key"] == parameter, operation
