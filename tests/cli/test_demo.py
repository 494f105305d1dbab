"""``stormproof demo`` as a newcomer runs it: a subprocess, its own output folder, nothing else.

The demo runs once per module in a child Python whose audit hook records every
outbound connection and which, after the command returns, reports its threads,
listening sockets, child processes and AWS environment. The user's (fake) AWS
settings are deliberately unusable, so the demo passes only if it ignores them.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from scanner.errors import ExitCode
from scanner.model.snapshot import validate_snapshot
from scanner.resources import builtin_policies_dir
from tests.cli.test_workflow import load_workflow, step
from tests.report.sarif_check import assert_valid_sarif

pytestmark = pytest.mark.slow

OUTPUTS = (
    "findings.json",
    "report.html",
    "results.sarif",
    "scenarios.json",
    "snapshot.json.gz",
    "summary.md",
)
REPORT_MARKER = "@@demo-process@@"

# Runs the CLI in-process in a child interpreter, then reports what the demo left behind.
CHILD = r"""
import json, os, sys, threading

connections = []

def audit(event, args):
    if event == "socket.connect":
        address = args[1]
        connections.append(address[0] if isinstance(address, tuple) else str(address))

sys.addaudithook(audit)
before = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "MOTO_"))}

from scanner.cli import main

code = main(["demo", "--output-dir", sys.argv[1]])


def socket_inodes():
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def listening(inodes):
    found = []
    for table in ("/proc/self/net/tcp", "/proc/self/net/tcp6"):
        with open(table) as handle:
            next(handle)
            for row in handle:
                fields = row.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    found.append(fields[1])
    return found


try:
    os.waitpid(-1, os.WNOHANG)
    children = True
except ChildProcessError:
    children = False
after = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "MOTO_"))}
print("@@demo-process@@" + json.dumps({
    "connections": connections,
    "threads": [t.name for t in threading.enumerate() if t is not threading.main_thread()],
    "listening": listening(socket_inodes()),
    "children": children,
    "environment_restored": before == after,
}))
sys.exit(code)
"""


@dataclass
class DemoRun:
    output: Path
    result: subprocess.CompletedProcess[str]
    process: dict

    def findings(self) -> dict:
        return json.loads((self.output / "findings.json").read_text(encoding="utf-8"))

    def failed(self, policy_id: str) -> set[str]:
        return {
            f["resource_id"]
            for f in self.findings()["findings"]
            if f["policy_id"] == policy_id and f["status"] == "open"
        }


def _user_environment(home: Path) -> dict[str, str]:
    """A user's AWS settings the demo must ignore: a missing profile, a dead endpoint."""
    env = dict(os.environ)
    env.update(
        AWS_PROFILE="no-such-profile",
        AWS_ENDPOINT_URL="http://192.0.2.1:9",
        AWS_ACCESS_KEY_ID="AKIAUSERUSERUSERUSER",
        AWS_SECRET_ACCESS_KEY="user-secret-must-not-appear",
        HOME=str(home),
    )
    env.pop("MOTO_EC2_LOAD_DEFAULT_AMIS", None)  # the demo must set it itself
    return env


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    root = tmp_path_factory.mktemp("demo")
    output = root / "out"
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(output)],
        cwd=root,
        env=_user_environment(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(REPORT_MARKER)]
    assert lines, f"the demo did not finish:\n{result.stdout}\n{result.stderr}"
    return DemoRun(output, result, json.loads(lines[-1].removeprefix(REPORT_MARKER)))


def test_the_demo_exits_0_and_points_at_the_report(demo: DemoRun) -> None:
    assert demo.result.returncode == ExitCode.CLEAN, demo.result.stderr
    report = (demo.output / "report.html").resolve()
    assert f"Open the report: {report.as_uri()}" in demo.result.stdout
    assert "FAIL (exit 1)" in demo.result.stdout  # the real scan's verdict, shown not returned
    assert "exits 0 because it ran" in demo.result.stdout
    assert "Traceback" not in demo.result.stderr


def test_the_demo_writes_every_output(demo: DemoRun, tmp_path: Path) -> None:
    assert sorted(p.name for p in demo.output.iterdir()) == sorted(OUTPUTS)
    with gzip.open(demo.output / "snapshot.json.gz", "rt", encoding="utf-8") as handle:
        snapshot = json.load(handle)
    validate_snapshot(snapshot)
    assert snapshot["scope"]["regions"] == ["us-east-1", "us-west-2"]
    assert snapshot["errors"] == []
    sarif = assert_valid_sarif(demo.output / "results.sarif", tmp_path)
    open_findings = [f for f in demo.findings()["findings"] if f["status"] == "open"]
    assert len(sarif["runs"][0]["results"]) == len(open_findings)
    page = (demo.output / "report.html").read_text(encoding="utf-8")
    assert "us-west-2-lax-1a" in page and "shop-edge" in page
    assert "| high |" in (demo.output / "summary.md").read_text(encoding="utf-8")


def test_every_builtin_policy_has_something_to_say(demo: DemoRun) -> None:
    builtin = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        for path in builtin_policies_dir().glob("*.yaml")
    }
    document = demo.findings()
    assert document["scan"]["complete"] is True
    with_findings = {f["policy_id"] for f in document["findings"] if f["status"] == "open"}
    assert builtin - with_findings == set()
    passing = {p["id"] for p in document["policies"] if p["passed"] > 0}
    assert len(passing) >= 12, f"only {sorted(passing)} have compliant resources"


def test_the_estate_tells_compliant_from_non_compliant(demo: DemoRun) -> None:
    assert demo.failed("asg-single-az") == {"batch-workers"}
    assert demo.failed("asg-no-elb-health-check") == {"shop-api"}
    assert demo.failed("local-zone-failover-to-parent") == {"asg/shop-edge"}  # not shop-stream
    assert demo.failed("local-zone-no-failover") == {"tag/Service=game-session"}
    # game-session lives in one Local Zone: local-zone-no-failover says so, once.
    assert demo.failed("fleet-single-az") == {
        "tag/Service=ingest",
        "tag/Service=render",  # a cluster placement group is one zone
    }
    superseded = [f for f in demo.findings()["findings"] if f["status"] == "superseded"]
    assert [(f["policy_id"], f["resource_id"], f["superseded_by"]) for f in superseded] == [
        ("fleet-single-az", "tag/Service=game-session", "local-zone-no-failover")
    ]
    assert demo.failed("elb-single-az") == {"legacy-admin"}
    # ingest: the NLB's own setting; shop-api: its target group turns it off on the ALB.
    assert demo.failed("elb-cross-zone-disabled") == {"elbv2/ingest", "elbv2/shop-api"}
    assert demo.failed("asg-processes-suspended") == {"batch-workers"}
    targets = demo.failed("elbv2-targets-single-az")
    assert len(targets) == 1 and next(iter(targets)).startswith("ingest/")  # not shop-web
    orders, reporting = _volume_named(demo, "orders"), _volume_named(demo, "reporting")
    assert reporting in demo.failed("volume-no-backup-policy")
    assert reporting in demo.failed("volume-no-recent-snapshot")
    assert orders not in demo.failed("volume-no-backup-policy") | demo.failed(
        "volume-no-recent-snapshot"
    )
    edge_cache = _volume_named(demo, "edge-cache")
    assert demo.failed("backup-only-in-zone") == {edge_cache}  # snapshots kept in lax-1a only
    assert edge_cache not in demo.failed("volume-no-backup-policy")
    inventory = _volume_named(demo, "inventory")  # protected by AWS Backup alone
    assert inventory not in demo.failed("volume-no-backup-policy") | demo.failed(
        "backup-only-in-zone"
    )
    assert demo.failed("backup-plan-no-cross-region-copy") == {
        _plan_id_named(demo, "game-sessions-hourly")
    }
    assert len(demo.failed("dlm-policy-disabled")) == 2
    assert len(demo.failed("dlm-policy-no-cross-region-copy")) == 1
    assert len(demo.failed("ami-not-copied-cross-region")) == 2  # the API and tools AMIs


def _plan_id_named(demo: DemoRun, name: str) -> str:
    with gzip.open(demo.output / "snapshot.json.gz", "rt", encoding="utf-8") as handle:
        snapshot = json.load(handle)
    (plan,) = [
        record["id"]
        for unit in snapshot["units"]
        for record in unit["resources"].get("backup_plans", [])
        if record["name"] == name
    ]
    return plan


def test_the_zone_event_settings_tell_compliant_from_non_compliant(demo: DemoRun) -> None:
    assert demo.failed("asg-zonal-shift-disabled") == {
        "shop-api",
        "shop-edge",
        "shop-stream",
        "spot-workers",
        "quorum",
        "queue-workers",
    }  # not shop-web (enabled) or batch-workers (one zone)
    alb_and_nlb = {name.split("/")[1] for name in demo.failed("elbv2-zonal-shift-disabled")}
    assert alb_and_nlb == {"shop-api", "ingest"}  # not shop-web (enabled) or metrics (one zone)
    assert demo.failed("asg-balanced-only-distribution") == {"quorum"}
    assert demo.failed("asg-zone-imbalance") == {"queue-workers"}
    assert demo.failed("asg-capacity-rebalance-off") == {"spot-workers"}
    assert demo.failed("elb-connection-draining-disabled") == {"legacy-admin"}
    assert len(demo.failed("instance-cluster-placement-group")) == 2
    assert len(demo.failed("instance-auto-recovery-disabled")) == 1
    (alb,) = demo.failed("zonal-autoshift-disabled")  # the web group is under autoshift
    assert alb.startswith("loadbalancer/app/shop-web/")
    standalone = {_instance_name(demo, i) for i in demo.failed("instance-standalone")}
    assert {"orders-db", "reporting-db", "ledger-db"} <= standalone


def _instance_name(demo: DemoRun, instance_id: str) -> str | None:
    with gzip.open(demo.output / "snapshot.json.gz", "rt", encoding="utf-8") as handle:
        snapshot = json.load(handle)
    (record,) = [
        record
        for unit in snapshot["units"]
        for record in unit["resources"]["instances"]
        if record["id"] == instance_id
    ]
    return record["tags"].get("Name")


def _volume_named(demo: DemoRun, name: str) -> str:
    with gzip.open(demo.output / "snapshot.json.gz", "rt", encoding="utf-8") as handle:
        snapshot = json.load(handle)
    (volume,) = [
        record["id"]
        for unit in snapshot["units"]
        for record in unit["resources"]["volumes"]
        if record["tags"].get("Name") == name
    ]
    return volume


def test_the_demo_never_leaves_the_machine_and_leaves_nothing_behind(demo: DemoRun) -> None:
    process = demo.process
    assert set(process["connections"]) <= {"127.0.0.1"}, process["connections"]
    assert process["connections"], "the collector reached the DLM stand-in over loopback"
    assert process["threads"] == []
    assert process["listening"] == []
    assert process["children"] is False
    assert process["environment_restored"] is True
    for name in OUTPUTS:
        if name.endswith(".gz"):
            continue
        text = (demo.output / name).read_text(encoding="utf-8")
        assert "user-secret-must-not-appear" not in text
        assert "demo-secret-not-a-real-key" not in text


def test_without_moto_the_demo_says_how_to_install_it(tmp_path: Path) -> None:
    output = tmp_path / "out"
    script = (
        "import sys; sys.modules['moto'] = None\n"
        "from scanner.cli import main\n"
        f"sys.exit(main(['demo', '--output-dir', {str(output)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == ExitCode.BAD_INPUT
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "pip install 'stormproof[demo]'" in lines[0]
    assert not output.exists()


def test_the_workflow_category_step_reads_the_sarifs_own_category(
    demo: DemoRun, tmp_path: Path
) -> None:
    (tmp_path / "stormproof-out").symlink_to(demo.output, target_is_directory=True)
    outputs = tmp_path / "github-output"
    outputs.touch()
    script = step(load_workflow()["jobs"]["scan"], name="Code scanning category")["run"]
    result = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=tmp_path,
        env={**os.environ, "GITHUB_OUTPUT": str(outputs)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    sarif = json.loads((demo.output / "results.sarif").read_text(encoding="utf-8"))
    expected = sarif["runs"][0]["automationDetails"]["id"]
    assert outputs.read_text(encoding="utf-8") == f"value={expected.rstrip('/')}\n"
    assert expected == "stormproof/multi/us-east-1+us-west-2/"  # two accounts


def test_the_scenarios_show_a_zone_two_accounts_name_differently(demo: DemoRun) -> None:
    from tests.scenarios.test_outputs import _validate

    document = json.loads((demo.output / "scenarios.json").read_text(encoding="utf-8"))
    _validate(document)
    by_id = {s["domain"]["id"]: s for s in document["scenarios"]}
    shared = [
        s
        for s in document["scenarios"]
        if set(s["domain"]["names"].values()) == {"us-east-1a", "us-east-1b"}
    ]
    assert len(shared) == 2  # the same two names, crossed over between the accounts
    batch = next(s for s in shared if any(w["id"] == "asg/batch-workers" for w in s["workloads"]))
    down = {w["title"] for w in batch["workloads"] if w["outcome"] == "down"}
    assert "Auto Scaling group batch-workers" in down
    assert any(
        w["account"] == "444455556666" and w["outcome"] == "down" for w in batch["workloads"]
    )
    lax = by_id["usw2-lax1-az1"]
    assert lax["domain"]["kind"] == "local-zone"
    assert {w["id"]: w["outcome"] for w in lax["workloads"]}["tag/Service=game-session"] == "down"
    parent = by_id[lax["domain"]["parent_id"]]
    assert {w["id"]: w["outcome"] for w in parent["workloads"]}["asg/shop-edge"] == "at-risk"
    breaches = {
        f["resource_id"].split("-")[0]: f
        for f in demo.findings()["findings"]
        if f["policy_id"] == "recovery-objective-not-met"
    }
    assert {f["account"] for f in breaches.values()} == {"444455556666"}
    zone = f"{batch['domain']['id']} (us-east-1b)"
    assert f": down if {zone} fails; objective: survive a zone." in breaches["i"]["message"]
    # the ledger's root volume has no backup at all: lost with the zone, beyond its RPO
    assert f"data lost if {zone} fails (no backup outside it)" in breaches["vol"]["message"]
    # a Region failure loses the ledger's data volume: its snapshot was never copied
    region = by_id["us-east-1"]
    lost = {d["id"] for d in region["data"] if d["lost"] and d["account"] == "444455556666"}
    with gzip.open(demo.output / "snapshot.json.gz", "rt", encoding="utf-8") as handle:
        snapshot = json.load(handle)
    [ledger_data] = [
        v["id"]
        for unit in snapshot["units"]
        for v in unit["resources"]["volumes"]
        if v["tags"].get("Name") == "ledger-data"
    ]
    assert ledger_data in lost
    in_zone = next(d for d in batch["data"] if d["id"] == ledger_data)
    assert (in_zone["lost"], in_zone["window_hours"]) == (False, 6.0)  # the snapshot is Regional


def test_every_message_and_remediation_renders_for_its_resource(demo: DemoRun) -> None:
    findings = demo.findings()["findings"]
    for finding in findings:
        for text in (finding["message"], finding["remediation"]):
            assert "template failed" not in text and "{{" not in text and "{%" not in text
        assert finding["location"]["account"] == finding["account"]
    by_policy = {f["policy_id"]: f for f in findings}
    assert "--auto-scaling-group-name batch-workers" in by_policy["asg-single-az"]["remediation"]
    assert "--load-balancer-name legacy-admin" in by_policy["elb-single-az"]["remediation"]
    assert "<id>" not in "".join(f["remediation"] for f in findings)  # placeholders: docs only
