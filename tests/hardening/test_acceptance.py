"""The issue's acceptance scenario, as a user runs it.

``stormproof scan`` against moto on loopback (the shared two-Region estate) and
the DLM stand-in, twice: once clean, once with 30% of all requests throttled and
DLM refusing the caller. The degraded scan must report the same findings for
everything it could see, every result that rests on DLM as unknown (never a
pass), the DLM denial as collection errors, and exit 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner.errors import ExitCode
from scanner.mockaws import inject_errors, quick_retries
from tests.collect.estate import EAST, WEST
from tests.hardening.conftest import CliRun
from tests.hardening.world import World, finding_keys, findings_of, point_at, seeded_world
from tests.report.sarif_check import assert_valid_sarif

pytestmark = pytest.mark.slow

# Findings of these policies are about DLM policies themselves: with DLM denied there are
# none to judge, so they are absent (and the scan says why), not unknown.
DLM_RESOURCE_POLICIES = {"dlm-policy-disabled", "dlm-policy-no-cross-region-copy"}


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    with seeded_world(server=True) as seeded:
        yield seeded


@pytest.fixture(autouse=True)
def _endpoints(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    point_at(world, monkeypatch)


def scan(run_cli, output: Path) -> CliRun:
    regions = f"{WEST},{EAST}"
    return run_cli("scan", "--regions", regions, "--rate-limit", "1000", "--output-dir", output)


@pytest.fixture
def clean(world: World, run_cli, tmp_path: Path) -> dict[str, Any]:
    result = scan(run_cli, tmp_path / "clean")
    assert result.code == ExitCode.FINDINGS, result.err
    document = findings_of(tmp_path / "clean")
    assert document["scan"]["complete"] is True and document["errors"] == []
    return document


def test_throttled_and_dlm_denied_scan_keeps_what_it_saw_and_marks_the_rest_unknown(
    world: World, clean: dict[str, Any], run_cli, tmp_path: Path
) -> None:
    output = tmp_path / "degraded"
    world.dlm.fail(403, "AccessDeniedException", "User is not authorized to perform dlm:*")
    try:
        with quick_retries(), inject_errors(fraction=0.3, seed=2026, max_per_request=3) as faults:
            result = scan(run_cli, output)
    finally:
        world.dlm.clear_faults()
    assert faults.count() >= 10  # throttling really happened, in EC2 and the Query services
    assert {"ec2", "auto-scaling"} <= {service for service, _, _ in faults.injected}

    assert result.code == ExitCode.INCOMPLETE, result.err
    assert "INCOMPLETE (exit 3)" in result.out
    degraded = findings_of(output)
    assert degraded["scan"]["complete"] is False
    # Throttling left no trace; the denial is one error per Region.
    assert sorted((e["region"], e["service"], e["code"]) for e in degraded["errors"]) == [
        (EAST, "dlm", "AccessDeniedException"),
        (WEST, "dlm", "AccessDeniedException"),
    ]

    open_clean, open_degraded = finding_keys(clean, "open"), finding_keys(degraded, "open")
    unknown = finding_keys(degraded, "unknown")
    assert unknown, "results resting on DLM must be unknown"
    # Nothing new and nothing made up: every open finding was open in the clean scan...
    assert open_degraded <= open_clean
    # ...and every clean finding is still open, or unknown, or about a DLM policy it could
    # not list. Nothing that failed before passes now.
    for key in open_clean - open_degraded:
        assert key in unknown or key[0] in DLM_RESOURCE_POLICIES, key
    for finding in degraded["findings"]:
        if finding["status"] == "unknown":
            assert any("dlm" in reason for reason in finding["evidence"]["collection_errors"])
    # What DLM does not touch is judged exactly as before.
    untouched = {key for key in open_clean if key not in unknown and key[0] not in DLM_POLICIES}
    assert untouched and untouched <= open_degraded

    sarif = assert_valid_sarif(output / "results.sarif", tmp_path / "sarif")
    # Open findings are results, and so are unknown ones: they keep GitHub's alerts open.
    statuses = [r["properties"]["status"] for r in sarif["runs"][0]["results"]]
    assert statuses.count("open") == len(open_degraded)
    assert statuses.count("unknown") == len(unknown)
    assert "unknown" in (output / "report.html").read_text(encoding="utf-8")


DLM_POLICIES = DLM_RESOURCE_POLICIES | {
    "volume-no-backup-policy",
    "instance-no-image-backup",
    "snapshot-not-copied-cross-region",
    "ami-not-copied-cross-region",
    "volume-no-recent-snapshot",
}
