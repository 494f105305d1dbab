"""``stormproof scan`` end to end: the seeded test account (moto on loopback + the DLM stand-in).

One live scan, as a user runs it, writes all four reports and the snapshot; later
scans of that snapshot exercise waivers, baselines, redaction, custom policy
locations and exit codes through the real engine.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest

from scanner import cli
from scanner.errors import ExitCode
from scanner.mockaws import DlmStandIn, add_local_zones
from scanner.resources import builtin_policies_dir, load_schema
from tests.collect.estate import ACCOUNT, EAST, WEST, plain_clients, seed_estate
from tests.collect.servers import offline_environment, running_moto_server, subprocess_env
from tests.report.sarif_check import assert_valid_sarif

pytestmark = pytest.mark.slow

REPORTS = ("findings.json", "report.html", "results.sarif", "summary.md")


@dataclass
class LiveScan:
    output: Path
    result: subprocess.CompletedProcess[str]

    def read(self, name: str) -> str:
        return (self.output / name).read_text(encoding="utf-8")

    def findings(self) -> dict:
        return json.loads(self.read("findings.json"))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveScan]:
    output = tmp_path_factory.mktemp("live") / "out"
    with (
        offline_environment(),
        add_local_zones(WEST),
        running_moto_server() as url,
        DlmStandIn() as dlm,
    ):
        seed_estate(plain_clients(url), dlm)
        command = [sys.executable, "-m", "scanner", "scan", "--regions", f"{WEST},{EAST}"]
        result = subprocess.run(
            [*command, "--output-dir", str(output)],
            env=subprocess_env(AWS_ENDPOINT_URL=url, AWS_ENDPOINT_URL_DLM=dlm.endpoint_url),
            capture_output=True,
            text=True,
            timeout=300,
        )
    yield LiveScan(output, result)


def _scan(tmp_path: Path, live: LiveScan, name: str, *extra: str) -> tuple[int, Path]:
    output = tmp_path / name
    argv = [
        "scan",
        "--snapshot",
        str(live.output / "snapshot.json.gz"),
        "--output-dir",
        str(output),
    ]
    return cli.main([*argv, *extra]), output


def _validate_findings(document: dict) -> None:
    schema = load_schema("findings.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    errors = list(cls(schema, format_checker=jsonschema.FormatChecker()).iter_errors(document))
    assert not errors, [f"{e.json_path}: {e.message}" for e in errors]


def test_a_live_scan_writes_every_report_and_the_snapshot(live: LiveScan, tmp_path: Path) -> None:
    assert live.result.returncode == ExitCode.FINDINGS, live.result.stderr
    assert sorted(p.name for p in live.output.iterdir()) == sorted([*REPORTS, "snapshot.json.gz"])
    assert "FAIL (exit 1)" in live.result.stdout
    assert "wrote:" in live.result.stdout and "results.sarif" in live.result.stdout
    assert "\x1b[" not in live.result.stdout  # not a TTY, and NO_COLOR is set
    document = live.findings()
    _validate_findings(document)
    assert document["scan"]["complete"] is True
    assert document["scan"]["regions"] == [EAST, WEST]
    policies = {f["policy_id"] for f in document["findings"]}
    assert {"asg-single-az", "local-zone-no-failover"} <= policies
    sarif = assert_valid_sarif(live.output / "results.sarif", tmp_path)
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == f"stormproof/{ACCOUNT}/{EAST}+{WEST}/"
    assert len(run["results"]) == sum(1 for f in document["findings"] if f["status"] == "open")
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert uri.startswith(".stormproof/policies/")
        vendored = builtin_policies_dir() / uri.removeprefix(".stormproof/policies/")
        lines = vendored.read_text().splitlines()
        assert lines[location["region"]["startLine"] - 1].startswith("violation:")
    assert "| high |" in live.read("summary.md")
    page = live.read("report.html")
    assert "us-west-2-lax-1a" in page  # the Local Zone, under its parent in the zone map
    with gzip.open(live.output / "snapshot.json.gz") as handle:
        assert json.load(handle)["scope"]["accounts"] == [ACCOUNT]


def test_the_live_report_opens_cleanly_in_a_browser(live: LiveScan, open_report) -> None:
    page, log = open_report(live.output / "report.html")
    total = sum(1 for f in live.findings()["findings"] if f["status"] != "superseded")
    assert page.locator("#findings-count").text_content() == f"Showing all {total} findings."
    assert log.problems() == [] and log.requests == [(live.output / "report.html").as_uri()]


def test_scanning_the_same_snapshot_twice_is_byte_identical(live: LiveScan, tmp_path: Path):
    first_code, first = _scan(tmp_path, live, "first")
    second_code, second = _scan(tmp_path, live, "second")
    assert first_code == second_code == ExitCode.FINDINGS
    for name in REPORTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not (first / "snapshot.json.gz").exists()  # only a live scan writes the snapshot


def test_waivers_expiry_and_baseline(live: LiveScan, tmp_path: Path, capsys) -> None:
    baseline = live.findings()
    gone = dict(
        baseline["findings"][0],
        resource_id="gone-asg",
        arn=baseline["findings"][0]["arn"] + "-gone",
    )
    fresh = next(f for f in reversed(baseline["findings"]) if f["status"] == "open")
    baseline["findings"].remove(fresh)  # absent from the baseline: new this time
    baseline["findings"].append(gone)  # not reported any more: fixed
    baseline_file = tmp_path / "baseline.json"
    baseline_file.write_text(json.dumps(baseline))
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - policy: volume-no-dlm-policy\n"
        f'    resource: "arn:aws:ec2:*:{ACCOUNT}:volume/*"\n'
        "    reason: volumes are rebuilt from AMIs\n"
        "    owner: platform-team\n"
        "    expires: 2999-12-31\n"
        "  - policy: asg-single-az\n"
        '    resource: "*"\n'
        "    reason: legacy\n"
        "    owner: old-team\n"
        "    expires: 2000-01-01\n"
    )
    code, out = _scan(
        tmp_path, live, "waived", "--waivers", str(waivers), "--baseline", str(baseline_file)
    )
    captured = capsys.readouterr()
    assert code == ExitCode.FINDINGS
    document = json.loads((out / "findings.json").read_text())
    _validate_findings(document)
    volumes = [f for f in document["findings"] if f["policy_id"] == "volume-no-dlm-policy"]
    assert volumes and all(f["status"] == "waived" for f in volumes)
    assert volumes[0]["waiver"]["owner"] == "platform-team"
    asgs = [
        f
        for f in document["findings"]
        if f["policy_id"] == "asg-single-az" and f["status"] != "superseded"
    ]
    assert asgs and all(f["status"] == "open" for f in asgs)  # the expired waiver waives nothing
    (warning,) = document["warnings"]
    assert "expired on 2000-01-01" in warning["message"] and warning["line"] == 7
    states = {(f["policy_id"], f["arn"]): f["baseline_state"] for f in document["findings"]}
    assert states.pop((fresh["policy_id"], fresh["arn"])) == "new"
    assert set(states.values()) == {"unchanged"}
    assert [f["resource_id"] for f in document["fixed"]] == ["gone-asg"]
    sarif = assert_valid_sarif(out / "results.sarif", tmp_path)
    run = sarif["runs"][0]
    assert "volume-no-dlm-policy" not in {r["ruleId"] for r in run["results"]}
    assert {r["baselineState"] for r in run["results"]} == {"new", "unchanged"}
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("expired on 2000-01-01" in n for n in notes)
    for name in ("summary.md", "report.html"):
        assert "expired on 2000-01-01" in (out / name).read_text(), name
    assert "expired on 2000-01-01" in captured.out
    assert "1 fixed" in captured.out

    emitted_code, emitted = _scan(
        tmp_path, live, "emitted", "--waivers", str(waivers), "--sarif-emit-waived"
    )
    run = assert_valid_sarif(emitted / "results.sarif", tmp_path)["runs"][0]
    suppressed = [r for r in run["results"] if r.get("suppressions")]
    assert {r["ruleId"] for r in suppressed} == {"volume-no-dlm-policy"}
    assert emitted_code == ExitCode.FINDINGS


def test_fail_on_thresholds(live: LiveScan, tmp_path: Path) -> None:
    assert _scan(tmp_path, live, "none", "--fail-on", "none")[0] == ExitCode.CLEAN
    assert _scan(tmp_path, live, "critical", "--fail-on", "critical")[0] == ExitCode.CLEAN
    assert _scan(tmp_path, live, "high", "--fail-on", "high")[0] == ExitCode.FINDINGS


def test_collection_errors_make_the_scan_incomplete(live: LiveScan, tmp_path: Path) -> None:
    with gzip.open(live.output / "snapshot.json.gz") as handle:
        snapshot = json.load(handle)
    snapshot["units"][0]["errors"].append(
        {
            "account": ACCOUNT,
            "region": snapshot["units"][0]["region"],
            "service": "dlm",
            "operation": "GetLifecyclePolicies",
            "code": "AccessDeniedException",
            "message": "User is not authorized to perform: dlm:GetLifecyclePolicies",
        }
    )
    broken = tmp_path / "partial.json"
    broken.write_text(json.dumps(snapshot))
    output = tmp_path / "partial"
    code = cli.main(
        ["scan", "--snapshot", str(broken), "--output-dir", str(output), "--fail-on", "none"]
    )
    assert code == ExitCode.INCOMPLETE
    document = json.loads((output / "findings.json").read_text())
    assert document["scan"]["complete"] is False
    assert document["errors"][0]["operation"] == "GetLifecyclePolicies"
    assert any(f["status"] == "unknown" for f in document["findings"])
    run = assert_valid_sarif(output / "results.sarif", tmp_path)["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert 'id="collection-errors"' in (output / "report.html").read_text()


def test_redacted_accounts_appear_nowhere(live: LiveScan, tmp_path: Path) -> None:
    code, out = _scan(tmp_path, live, "redacted", "--redact-accounts")
    assert code == ExitCode.FINDINGS
    for name in REPORTS:
        assert not re.search(ACCOUNT, (out / name).read_text()), name
    assert_valid_sarif(out / "results.sarif", tmp_path)


def test_custom_policies_are_located_relative_to_the_repository(
    live: LiveScan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "org-policies").mkdir(parents=True)
    source = (builtin_policies_dir() / "asg-single-az.yaml").read_text()
    custom = source.replace("id: asg-single-az", "id: org-asg-single-az", 1)
    (repo / "org-policies" / "org-asg.yaml").write_text(custom)
    monkeypatch.chdir(repo)
    code, out = _scan(tmp_path, live, "custom", "--policies", "org-policies", "--format", "sarif")
    assert code == ExitCode.FINDINGS
    assert [p.name for p in out.iterdir()] == ["results.sarif"]
    run = assert_valid_sarif(out / "results.sarif", tmp_path)["runs"][0]
    custom_results = [r for r in run["results"] if r["ruleId"] == "org-asg-single-az"]
    assert custom_results
    location = custom_results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "org-policies/org-asg.yaml"
    line = custom.splitlines()[location["region"]["startLine"] - 1]
    assert line.startswith("violation:")


def test_bad_input_is_one_line_and_exit_2(live: LiveScan, tmp_path: Path, capsys) -> None:
    waivers = tmp_path / "bad.yaml"
    waivers.write_text("waivers:\n  - [unclosed\n")
    code, out = _scan(tmp_path, live, "bad", "--waivers", str(waivers))
    err = capsys.readouterr().err
    assert code == ExitCode.BAD_INPUT
    assert err.count("\n") == 1 and err.startswith(f"stormproof: {waivers}:3:")
    assert not out.exists()  # user files are checked before anything is written
    code, _ = _scan(tmp_path, live, "bad-format", "--format", "sarif,pdf")
    assert code == ExitCode.BAD_INPUT
    assert "unknown format pdf" in capsys.readouterr().err
    code, _ = _scan(tmp_path, live, "bad-root", "--sarif-policy-root", "/etc")
    assert code == ExitCode.BAD_INPUT
