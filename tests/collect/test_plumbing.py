"""Progress display, the client-side rate limit and page-size limits."""

from __future__ import annotations

import io
import re

import botocore.session

from scanner.collect.calls import SENT
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
        "resources": {"instances": [{}, {}], "volumes": [{}]},
    }


def last_frame(stream: io.StringIO) -> str:
    """What the terminal shows last: rich redraws the display after moving the cursor up."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    return [line for line in re.split(r"[\r\n]", text) if " units · " in line][-1]


def test_terminal_shows_units_calls_resources_errors_and_an_eta():
    stream = FakeTerminal()
    reporter = make_reporter(stream)
    assert isinstance(reporter, TerminalProgress)
    reporter.start(3)
    reporter.unit_done(unit("us-east-1"))
    reporter.unit_done(unit("us-west-2", errors=2))
    reporter.finish()
    frame = last_frame(stream)
    assert "2/3 units" in frame and "6 resources · 2 errors" in frame and "ETA" in frame


def test_the_call_count_moves_while_a_unit_runs():
    stream = FakeTerminal()
    reporter = make_reporter(stream)
    assert isinstance(reporter, TerminalProgress)
    reporter.start(1)
    for _ in range(5):
        SENT.add()
    assert "· 5 API calls ·" in reporter.counts_text()
    reporter.finish()
    assert "0/1 units" in last_frame(stream) and "5 API calls" in last_frame(stream)


def drawn(color: bool) -> str:
    stream = FakeTerminal()
    reporter = make_reporter(stream, color=color)
    reporter.start(1)
    reporter.unit_done(unit("us-east-1", errors=1))
    reporter.finish()
    return stream.getvalue()


def test_no_color_leaves_no_color_codes():
    foreground = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7])[;m]")
    assert foreground.search(drawn(color=True))
    assert not foreground.search(drawn(color=False))


def test_pipes_get_plain_lines_and_quiet_gets_nothing():
    stream = io.StringIO()
    reporter = make_reporter(stream)
    assert isinstance(reporter, LogLines)
    reporter.start(2)
    reporter.unit_done(unit("us-east-1", errors=1))
    assert stream.getvalue().splitlines() == [
        "stormproof: collecting 2 unit(s)",
        "stormproof: [1/2] 123456789012 us-east-1: 2 calls, 3 resources, 1 errors, 0.2s",
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
