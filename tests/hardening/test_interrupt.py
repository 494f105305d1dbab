"""Ctrl-C and SIGTERM in the middle of a collection: exit 130 within seconds, one clear line,
no output file and no temp file left behind, and the next run works.

The installed command runs as a subprocess against moto on loopback; DLM points
at an endpoint that accepts requests and never answers, so every unit is stuck
in a network read (the default read timeout is a minute) when the signal lands.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner.errors import ExitCode
from scanner.interrupts import MESSAGE
from scanner.mockaws import DlmStandIn, HangingEndpoint
from tests.collect.servers import offline_environment, running_moto_server, subprocess_env

pytestmark = pytest.mark.slow

REGIONS = "us-west-2,us-east-1"
EXIT_WITHIN_SECONDS = 30  # liveness bound only: the watchdog acts after a few seconds


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with offline_environment(), running_moto_server() as url:
        yield url


def command(kind: str, output: Path) -> list[str]:
    base = [sys.executable, "-m", "scanner", kind, "--regions", REGIONS]
    if kind == "scan":
        return [*base, "--output-dir", str(output)]
    return [*base, "--output", str(output / "snapshot.json.gz")]


def leftovers(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.mark.parametrize(
    ("kind", "signum"),
    [("scan", signal.SIGINT), ("collect", signal.SIGTERM)],
    ids=["scan-SIGINT", "collect-SIGTERM"],
)
def test_an_interrupt_mid_collection_exits_130_and_leaves_nothing(
    moto_url: str, tmp_path: Path, kind: str, signum: int
) -> None:
    work = tmp_path / "work"
    output = work / "out"
    output.mkdir(parents=True)  # an existing folder: it must stay empty
    with HangingEndpoint(hold_seconds=600) as hung:
        process = subprocess.Popen(
            command(kind, output),
            env=subprocess_env(AWS_ENDPOINT_URL=moto_url, AWS_ENDPOINT_URL_DLM=hung.endpoint_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert hung.wait_for_request(60), "the collection never reached DLM"
            process.send_signal(signum)
            signalled = time.monotonic()
            out, err = process.communicate(timeout=EXIT_WITHIN_SECONDS)
            print(f"exited {time.monotonic() - signalled:.1f} s after the signal")  # measured
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    assert process.returncode == ExitCode.INTERRUPTED, err
    assert err.splitlines()[-1] == MESSAGE
    assert err.count(MESSAGE) == 1 and "Traceback" not in err + out
    assert leftovers(work) == ["out"]  # no report, no snapshot, no temp or spool file

    # The next run, with DLM answering, completes and writes everything.
    with DlmStandIn() as dlm:
        rerun = subprocess.run(
            command(kind, output),
            env=subprocess_env(AWS_ENDPOINT_URL=moto_url, AWS_ENDPOINT_URL_DLM=dlm.endpoint_url),
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert rerun.returncode in (ExitCode.CLEAN, ExitCode.FINDINGS), rerun.stderr
    expected = (
        [
            "findings.json",
            "report.html",
            "results.sarif",
            "scenarios.json",
            "snapshot.json.gz",
            "summary.md",
        ]
        if kind == "scan"
        else ["snapshot.json.gz"]
    )
    assert sorted(path.name for path in output.iterdir()) == expected
