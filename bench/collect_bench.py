"""Collection against moto on loopback: HTTP requests per operation vs pages needed, wall, RSS.

    python bench/collect_bench.py --resources 2000 [--accounts 1,4,16] [--rate-limit 10]

A moto server (``ThreadedMotoServer``) and the DLM stand-in run in this process on
127.0.0.1; every request they answer is counted server-side, per operation. Part 1
seeds ``--resources`` resources (instances, volumes, snapshots, subnets, Auto
Scaling groups, load balancers) over two Regions in one account, runs
``stormproof collect`` as a subprocess and prints requests per operation against
the pages the data needs at each API's largest page size. Part 2 seeds the same
small estate in 1, 4, 16, … accounts (reached with AssumeRole) and prints the
collection's peak RSS per account count: with units streamed to disk it should
stay flat. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
from moto.core.responses import BaseResponse
from moto.server import ThreadedMotoServer

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from measure import machine_summary, run_measured  # noqa: E402

from scanner.collect.limits import PAGE_SIZES  # noqa: E402
from scanner.mockaws import DlmStandIn  # noqa: E402

REGIONS = ("us-east-1", "us-west-2")
CALLER = "123456789012"
ROLE = "stormproof-bench"
OFFLINE = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "MOTO_EC2_LOAD_DEFAULT_AMIS": "false",
}


class RequestCounter:
    """Counts every request moto dispatches, as ``service:Action``, on the server side."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._original = BaseResponse.call_action

    def __enter__(self) -> RequestCounter:
        counter, original = self, self._original

        def counted(response: BaseResponse) -> Any:
            action = response._get_action()
            with counter._lock:
                counter.counts[f"{response.boto3_service_name}:{action}"] += 1
            return original(response)

        BaseResponse.call_action = counted  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        BaseResponse.call_action = self._original  # type: ignore[method-assign]

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()


def credentials_for(endpoint: str, account: str) -> dict[str, str]:
    if account == CALLER:
        return {}
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint)
    c = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}", RoleSessionName="seed")
    c = c["Credentials"]
    return {
        "aws_access_key_id": c["AccessKeyId"],
        "aws_secret_access_key": c["SecretAccessKey"],
        "aws_session_token": c["SessionToken"],
    }


def seed(endpoint: str, account: str, resources: int) -> Counter[str]:
    """About ``resources`` resources over two Regions; returns items per snapshot key."""
    items: Counter[str] = Counter()
    per_region = max(10, resources // len(REGIONS))
    credentials = credentials_for(endpoint, account)
    for region in REGIONS:
        ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint, **credentials)
        asg = boto3.client("autoscaling", region_name=region, endpoint_url=endpoint, **credentials)
        elbv2 = boto3.client("elbv2", region_name=region, endpoint_url=endpoint, **credentials)
        elb = boto3.client("elb", region_name=region, endpoint_url=endpoint, **credentials)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)[
                "Subnet"
            ]["SubnetId"]
            for n, zone in enumerate((f"{region}a", f"{region}b", f"{region}c"), start=1)
        ]
        items["subnets"] += 3
        instances = per_region * 4 // 10
        for start in range(0, instances, 100):
            ec2.run_instances(
                ImageId="ami-12c6146b",
                MinCount=min(100, instances - start),
                MaxCount=min(100, instances - start),
                SubnetId=subnets[start // 100 % 3],
            )
        volumes = per_region * 3 // 10
        for _ in range(volumes):
            volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=8)["VolumeId"]
            ec2.create_snapshot(VolumeId=volume)
        # moto gives every instance a root volume too.
        items["instances"] += instances
        items["volumes"] += volumes + instances
        items["snapshots"] += volumes
        template = ec2.create_launch_template(
            LaunchTemplateName="bench",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
        )["LaunchTemplate"]["LaunchTemplateId"]
        items["launch_template_versions"] += 1
        groups = max(2, per_region // 50)
        for number in range(groups):  # every other group pinned to one zone
            asg.create_auto_scaling_group(
                AutoScalingGroupName=f"bench-{number}",
                LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
                MinSize=0,
                MaxSize=1,
                DesiredCapacity=0,
                VPCZoneIdentifier=",".join(subnets[: 1 if number % 2 == 0 else 3]),
            )
        items["auto_scaling_groups"] += groups
        balancers = max(2, per_region // 200)
        for number in range(balancers):  # v2: two zones; classic: every other one in one zone
            elbv2.create_load_balancer(Name=f"bench-{number}", Subnets=subnets[:2])
            elb.create_load_balancer(
                LoadBalancerName=f"classic-{number}",
                Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 80}],
                AvailabilityZones=[f"{region}a", f"{region}b"][: 1 if number % 2 == 0 else 2],
            )
        items["load_balancers"] += balancers
        items["classic_load_balancers"] += balancers
    return items


# snapshot key -> the listing operation whose pages carry it
LISTINGS = {
    "instances": "ec2:DescribeInstances",
    "subnets": "ec2:DescribeSubnets",
    "volumes": "ec2:DescribeVolumes",
    "snapshots": "ec2:DescribeSnapshots",
    "auto_scaling_groups": "autoscaling:DescribeAutoScalingGroups",
    "load_balancers": "elbv2:DescribeLoadBalancers",
    "classic_load_balancers": "elb:DescribeLoadBalancers",
}


def collect(endpoint: str, dlm: str, output: Path, extra: list[str], rate: str) -> Any:
    env = {**os.environ, **OFFLINE, "AWS_ENDPOINT_URL": endpoint, "AWS_ENDPOINT_URL_DLM": dlm}
    command = [sys.executable, "-m", "scanner", "-q", "collect", "--regions", ",".join(REGIONS)]
    command += ["--rate-limit", rate, *extra, "--output", str(output)]
    return run_measured(command, cwd=ROOT, env=env)


def requests_vs_pages(endpoint: str, dlm: DlmStandIn, counter: RequestCounter, args: Any) -> None:
    items = seed(endpoint, CALLER, args.resources)
    counter.reset()
    dlm.requests.clear()
    with tempfile.TemporaryDirectory() as folder:
        measured = collect(endpoint, dlm.endpoint_url, Path(folder) / "s.json", [], args.rate_limit)
    if measured.returncode not in (0, 3):
        sys.exit(f"collect failed: {measured.stderr[-2000:]}")
    counts = Counter(counter.counts)
    for operation, _region in dlm.requests:
        counts[f"dlm:{operation}"] += 1
    total = sum(items.values())
    print(f"## Part 1: one account, {total} resources over {len(REGIONS)} Regions\n")
    print(
        f"wall {measured.wall:.2f} s, peak RSS {measured.max_rss_mib:.0f} MiB, "
        f"{sum(counts.values())} HTTP requests (server-side), --rate-limit {args.rate_limit}\n"
    )
    print("| operation | requests | pages needed | items |")
    print("| --- | ---: | ---: | ---: |")
    listed = {operation: key for key, operation in LISTINGS.items()}
    for operation in sorted(counts):
        key = listed.get(operation)
        if key is None:
            print(f"| {operation} | {counts[operation]} | n/a | n/a |")
            continue
        size = PAGE_SIZES.get(operation, (None, 1))[1]
        per_region = math.ceil(items[key] / len(REGIONS))
        needed = len(REGIONS) * max(1, math.ceil(per_region / size))
        print(f"| {operation} | {counts[operation]} | {needed} | {items[key]} |")
    print()


def memory_vs_accounts(endpoint: str, dlm: DlmStandIn, args: Any) -> None:
    print(f"## Part 2: peak RSS against the number of accounts ({args.per_account} each)\n")
    print("| accounts | units | wall (s) | peak RSS (MiB) | snapshot (KiB) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    seeded: list[str] = []
    for count in args.accounts:
        while len(seeded) < count:
            account = f"{200000000000 + len(seeded):012d}"
            seed(endpoint, account, args.per_account)
            seeded.append(account)
        with tempfile.TemporaryDirectory() as folder:
            output = Path(folder) / "s.json"
            flags = ["--accounts", ",".join(seeded[:count]), "--role-name", ROLE]
            measured = collect(endpoint, dlm.endpoint_url, output, flags, args.rate_limit)
            size = output.stat().st_size / 1024 if output.exists() else 0
        if measured.returncode not in (0, 3):
            sys.exit(f"collect failed: {measured.stderr[-2000:]}")
        print(
            f"| {count} | {count * len(REGIONS)} | {measured.wall:.1f} | "
            f"{measured.max_rss_mib:.0f} | {size:.0f} |",
            flush=True,
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=2000, help="part 1 estate size")
    parser.add_argument(
        "--accounts",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 4, 16],
        help="part 2 account counts",
    )
    parser.add_argument("--per-account", type=int, default=200, help="part 2 resources/account")
    parser.add_argument("--rate-limit", default="10", help="stormproof --rate-limit")
    args = parser.parse_args()
    os.environ.update(OFFLINE)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    print(machine_summary())
    print()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with RequestCounter() as counter, DlmStandIn() as dlm:
            requests_vs_pages(endpoint, dlm, counter, args)
            memory_vs_accounts(endpoint, dlm, args)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
