"""stormproof, Prowler and Cloud Custodian on the same seeded moto account, side by side.

    python bench/peers_bench.py [--resources 1000] [--cache DIR]

Each peer is installed by this script into its own virtual environment under
``--cache`` (default ``~/.cache/stormproof-bench``; never a project dependency).
One moto server on 127.0.0.1 (in this process) is seeded with the same estate as
collect_bench.py over two Regions; every tool is pointed at it with
``AWS_ENDPOINT_URL`` and fake credentials, runs the checks the three share
(multi-AZ Auto Scaling groups, multi-AZ classic and v2 load balancers, volumes
with snapshots), and is measured for server-side HTTP requests, wall time,
peak RSS and findings. A tool that cannot be installed or pointed at the local
endpoint is reported with the reason. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import venv
from pathlib import Path
from typing import Any

from moto.server import ThreadedMotoServer

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from collect_bench import CALLER, OFFLINE, REGIONS, RequestCounter, seed  # noqa: E402
from measure import Measured, machine_summary, run_measured  # noqa: E402

from scanner.mockaws import DlmStandIn  # noqa: E402

PEERS = {"prowler": "prowler", "custodian": "c7n"}  # venv name -> PyPI package
PROWLER_CHECKS = (
    "autoscaling_group_multiple_az",
    "elb_is_in_multiple_az",
    "elbv2_is_in_multiple_az",
    "ec2_ebs_volume_snapshots_exists",
)
STORMPROOF_POLICIES = (
    "asg-single-az",
    "elb-single-az",
    "elbv2-single-az",
    "volume-no-recent-snapshot",
)
CUSTODIAN_POLICIES = """\
policies:
  - name: asg-single-az
    resource: asg
    filters:
      - type: value
        key: "length(AvailabilityZones)"
        op: lt
        value: 2
  - name: elb-single-az
    resource: elb
    filters:
      - type: value
        key: "length(AvailabilityZones)"
        op: lt
        value: 2
  - name: elbv2-single-az
    resource: app-elb
    filters:
      - type: value
        key: "length(AvailabilityZones)"
        op: lt
        value: 2
"""


def ensure_venv(cache: Path, name: str, package: str) -> Path | str:
    """The venv's bin folder, installing on first use; a string says why it failed."""
    folder = cache / f"venv-{name}"
    binary = folder / "bin" / name
    if binary.exists():
        return folder / "bin"
    print(f"installing {package} into {folder} (first run only) …", file=sys.stderr)
    venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    result = subprocess.run(
        [str(folder / "bin" / "pip"), "install", "--quiet", package],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not binary.exists():
        return f"pip install {package} failed: {result.stderr.strip().splitlines()[-1:]}"
    return folder / "bin"


def env_for(endpoint: str, home: Path) -> dict[str, str]:
    env = {**os.environ, **OFFLINE, "AWS_ENDPOINT_URL": endpoint, "HOME": str(home)}
    env.pop("AWS_PROFILE", None)
    return env


def run_stormproof(endpoint: str, dlm: str, work: Path) -> tuple[Measured, int | str]:
    out = work / "stormproof"
    env = {**env_for(endpoint, work), "AWS_ENDPOINT_URL_DLM": dlm}
    command = [sys.executable, "-m", "scanner", "-q", "scan", "--regions", ",".join(REGIONS)]
    command += ["--format", "json", "--fail-on", "none", "--output-dir", str(out)]
    measured = run_measured(command, cwd=ROOT, env=env)
    try:
        findings = json.loads((out / "findings.json").read_text())["findings"]
    except (OSError, ValueError, KeyError) as exc:
        return measured, f"no findings.json ({exc}); stderr: {measured.stderr[-300:]}"
    return measured, sum(1 for f in findings if f["policy_id"] in STORMPROOF_POLICIES)


def run_prowler(bin_dir: Path, endpoint: str, work: Path) -> tuple[Measured, int | str]:
    out = work / "prowler"
    command = [str(bin_dir / "prowler"), "aws", "--checks", *PROWLER_CHECKS, "--region", *REGIONS]
    command += ["--output-formats", "json-ocsf", "--output-directory", str(out), "--no-banner"]
    measured = run_measured(command, env=env_for(endpoint, work))
    results = sorted(out.glob("*.ocsf.json")) if out.exists() else []
    if not results:
        return measured, f"no output (exit {measured.returncode}): {_tail(measured)}"
    findings = json.loads(results[-1].read_text() or "[]")
    return measured, sum(1 for f in findings if f.get("status_code") == "FAIL")


def run_custodian(bin_dir: Path, endpoint: str, work: Path) -> tuple[Measured, int | str]:
    out = work / "custodian"
    policy = work / "custodian.yml"
    policy.write_text(CUSTODIAN_POLICIES)
    command = [str(bin_dir / "custodian"), "run", "-s", str(out), str(policy)]
    for region in REGIONS:
        command += ["--region", region]
    measured = run_measured(command, env=env_for(endpoint, work))
    found = list(out.rglob("resources.json")) if out.exists() else []
    if measured.returncode != 0 or not found:
        return measured, f"failed (exit {measured.returncode}): {_tail(measured)}"
    return measured, sum(len(json.loads(path.read_text())) for path in found)


def _tail(measured: Measured) -> str:
    lines = (measured.stderr or measured.stdout).strip().splitlines()
    return " / ".join(lines[-3:])[-400:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "stormproof-bench")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    os.environ.update(OFFLINE)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    bins = {name: ensure_venv(args.cache, name, package) for name, package in PEERS.items()}
    print(machine_summary())
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    rows: list[tuple[str, Any, Any, int]] = []
    try:
        with RequestCounter() as counter, DlmStandIn() as dlm, tempfile.TemporaryDirectory() as t:
            items = seed(endpoint, CALLER, args.resources)
            print(f"estate: {sum(items.values())} resources over {', '.join(REGIONS)}\n")
            runs: list[tuple[str, Any]] = [
                ("stormproof", lambda w: run_stormproof(endpoint, dlm.endpoint_url, w))
            ]
            for name, runner in (("prowler", run_prowler), ("custodian", run_custodian)):
                location = bins[name]
                if isinstance(location, str):
                    rows.append((name, None, location, 0))
                    continue
                runs.append((name, lambda w, r=runner, b=location: r(b, endpoint, w)))
            for name, run in runs:
                counter.reset()
                dlm.requests.clear()
                work = Path(t) / name
                work.mkdir()
                measured, findings = run(work)
                requests = sum(counter.counts.values()) + len(dlm.requests)
                rows.append((name, measured, findings, requests))
    finally:
        server.stop()
    print("| tool | API requests | wall (s) | peak RSS (MiB) | findings (shared checks) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, measured, findings, requests in rows:
        if measured is None:
            print(f"| {name} | not run | | | {findings} |")
            continue
        print(
            f"| {name} | {requests} | {measured.wall:.1f} | {measured.max_rss_mib:.0f} | "
            f"{findings} |"
        )


if __name__ == "__main__":
    main()
