"""Write a synthetic snapshot of about N resources, valid against the snapshot schema.

    python bench/gen_snapshot.py 100000 --output /tmp/snap-100k.json.gz [--seed 1] [--validate]

Proportions follow a typical EC2 estate, per 100 instances: 150 volumes (root +
half with a data volume), ~300 snapshots (two per volume; some copied to a
second Region), 10 AMIs (3 copied across Regions), 10 launch-template versions,
2 launch configurations, 8 Auto Scaling groups (60% of instances; a fifth pinned
to one zone), 1 classic and 3 v2 load balancers with 5 target groups, 2 DLM
policies per unit, 12 subnets; in us-west-2 5% of instances sit in a Local Zone.
Units of ``--instances-per-unit`` instances are spread over 4 Regions per account.
Units are streamed to disk (bounded memory) with stormproof's own writer;
``--validate`` checks every unit against the schema while writing (slower).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scanner import __version__
from scanner.model.snapshot import FORMAT, FORMAT_VERSION
from scanner.model.snapshot_stream import SnapshotStreamWriter

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")
COPY_TO = {"us-east-1": "us-west-2", "us-west-2": "us-east-1", "eu-west-1": "eu-central-1"}
LOCAL_ZONE, LOCAL_PARENT = "us-west-2-lax-1a", "us-west-2a"
T0 = "2026-11-01T00:00:00Z"
RESOURCES_PER_INSTANCE = 5.9  # what one unit of the proportions above holds, measured


def zones_of(region: str) -> list[dict[str, Any]]:
    zones = [
        {
            "name": f"{region}{letter}",
            "id": f"{region[:2]}{region.split('-')[1][:1]}{region[-1]}-az{n}",
            "type": "availability-zone",
            "region": region,
            "parent_zone_name": None,
            "parent_zone_id": None,
            "group_name": region,
            "network_border_group": region,
            "opt_in_status": "opt-in-not-required",
            "state": "available",
        }
        for n, letter in enumerate("abc", start=1)
    ]
    if region == "us-west-2":
        zones.append(
            {
                "name": LOCAL_ZONE,
                "id": "usw2-lax1-az1",
                "type": "local-zone",
                "region": region,
                "parent_zone_name": LOCAL_PARENT,
                "parent_zone_id": "usw2-az1",
                "group_name": "us-west-2-lax-1",
                "network_border_group": "us-west-2-lax-1",
                "opt_in_status": "opted-in",
                "state": "available",
            }
        )
    return zones


class UnitBuilder:
    """One (account, Region) unit with ``instances`` instances and everything in proportion."""

    def __init__(self, account: str, region: str, instances: int, rng: random.Random) -> None:
        self.account, self.region, self.n, self.rng = account, region, instances, rng
        self.zones = [z["name"] for z in zones_of(region) if z["type"] == "availability-zone"]
        self.key = f"{int(account) % 100000:05x}{REGIONS.index(region)}"
        self.out: dict[str, list[dict[str, Any]]] = {}

    def arn(self, service: str, resource: str, region: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if region else ''}:{self.account}:{resource}"

    def base(self, kind: str, resource_id: str, arn: str, tags: dict[str, str]) -> dict[str, Any]:
        record = {
            "id": resource_id,
            "arn": arn,
            "account": self.account,
            "region": self.region,
            "tags": tags,
        }
        self.out.setdefault(kind, []).append(record)
        return record

    def build(self) -> dict[str, Any]:
        rng, n = self.rng, self.n
        subnets = self._subnets()
        images = self._images(max(1, n // 10))
        templates = self._launch_templates(max(1, n // 10), images)
        instance_ids, placement = self._instances(subnets, images)
        self._volumes_and_snapshots(instance_ids, placement)
        groups = self._auto_scaling_groups(instance_ids, placement, subnets, templates)
        self._load_balancers(instance_ids, placement, subnets, groups)
        self._dlm_policies()
        rng.shuffle(self.out["instances"])  # AWS lists in no particular order
        return {
            "account": self.account,
            "region": self.region,
            "partition": "aws",
            "started_at": T0,
            "finished_at": T0,
            "duration_seconds": 1.0,
            "api_calls": {"ec2:DescribeInstances": 1 + n // 1000},
            "errors": [],
            "zones": zones_of(self.region),
            "resources": self.out,
        }

    def _subnets(self) -> list[tuple[str, str]]:
        subnets = []
        zones = self.zones + ([LOCAL_ZONE] if self.region == "us-west-2" else [])
        for index in range(12):
            zone = zones[index % len(zones)]
            subnet = f"subnet-{self.key}{index:06x}"
            record = self.base("subnets", subnet, self.arn("ec2", f"subnet/{subnet}"), {})
            record.update(zone=zone, vpc_id=f"vpc-{self.key}", cidr_block=f"10.0.{index}.0/24")
            subnets.append((subnet, zone))
        return subnets

    def _images(self, count: int) -> list[str]:
        images = []
        for index in range(count):
            image, snap = f"ami-{self.key}{index:06x}", f"snap-{self.key}a{index:05x}"
            record = self.base("images", image, self.arn("ec2", f"image/{image}"), {"app": "web"})
            record.update(state="available", snapshot_ids=[snap], name=f"app-{index}")
            record.update(creation_date=T0, root_device_type="ebs")
            if index % 10 < 3 and self.region in COPY_TO:
                record.update(description=f"[Copied ami-{self.key}c{index:05x} from eu-west-1]")
            images.append(image)
        return images

    def _launch_templates(self, count: int, images: list[str]) -> list[str]:
        templates = []
        for index in range(count):
            template = f"lt-{self.key}{index:06x}"
            record = self.base(
                "launch_template_versions",
                f"{template}:1",
                self.arn("ec2", f"launch-template/{template}"),
                {},
            )
            record.update(launch_template_id=template, version_number=1, is_default=True)
            record.update(is_latest=True, image_id=images[index % len(images)])
            templates.append(template)
        for index in range(max(1, self.n // 50)):
            name = f"lc-{self.key}-{index}"
            record = self.base(
                "launch_configurations",
                name,
                self.arn(
                    "autoscaling", f"launchConfiguration:{index}:launchConfigurationName/{name}"
                ),
                {},
            )
            record.update(image_id=images[0], created_time=T0)
        return templates

    def _instances(
        self, subnets: list[tuple[str, str]], images: list[str]
    ) -> tuple[list[str], dict[str, str]]:
        ids, placement = [], {}
        for index in range(self.n):
            instance = f"i-{self.key}{index:07x}"
            subnet, zone = subnets[index % len(subnets)]
            if zone == LOCAL_ZONE and self.rng.random() > 0.2:  # 5% of us-west-2 in the LZ
                subnet, zone = subnets[(index + 1) % len(subnets)]
            tags = {"Name": f"app-{index % 40}", "Service": f"svc{index % 25}"}
            if index % 3:
                tags["Backup"] = "daily"
            record = self.base("instances", instance, self.arn("ec2", f"instance/{instance}"), tags)
            record.update(state="running", zone=zone, subnet_id=subnet, vpc_id=f"vpc-{self.key}")
            record.update(instance_type="m6i.large", image_id=images[index % len(images)])
            record.update(root_device_type="ebs", root_device_name="/dev/xvda", launch_time=T0)
            record["volume_ids"] = []
            ids.append(instance)
            placement[instance] = zone
        return ids, placement

    def _volumes_and_snapshots(self, instance_ids: list[str], placement: dict[str, str]) -> None:
        instances = {record["id"]: record for record in self.out["instances"]}
        volume_number = 0
        for index, instance in enumerate(instance_ids):
            for device in ("/dev/xvda", "/dev/xvdb") if index % 2 else ("/dev/xvda",):
                volume = f"vol-{self.key}{volume_number:07x}"
                volume_number += 1
                tags = {"Backup": "daily"} if index % 3 else {}
                record = self.base("volumes", volume, self.arn("ec2", f"volume/{volume}"), tags)
                record.update(zone=placement[instance], state="in-use", volume_type="gp3")
                record.update(size_gib=50, encrypted=True, create_time=T0)
                record["attachments"] = [
                    {"instance_id": instance, "device": device, "state": "attached"}
                    | {"delete_on_termination": device == "/dev/xvda"}
                ]
                instances[instance]["volume_ids"].append(volume)
                for copy in range(2):
                    snap = f"snap-{self.key}{volume_number:06x}{copy}"
                    s = self.base("snapshots", snap, self.arn("ec2", f"snapshot/{snap}", False), {})
                    s.update(state="completed", start_time=T0, volume_id=volume, encrypted=True)
                    s.update(volume_size_gib=50, description=f"daily {copy}")
                    if copy and volume_number % 4 == 0 and self.region in COPY_TO:
                        s["description"] = f"[Copied snap-{self.key}b{volume_number:05x} from x-1]"

    def _auto_scaling_groups(
        self,
        instance_ids: list[str],
        placement: dict[str, str],
        subnets: list[tuple[str, str]],
        templates: list[str],
    ) -> list[str]:
        in_groups = instance_ids[: int(len(instance_ids) * 0.6)]
        count = max(1, len(instance_ids) * 8 // 100)
        names = []
        for number in range(count):
            members = in_groups[number::count]
            name = f"asg-{self.key}-{number}"
            pinned = number % 5 == 0
            own_subnets = [s for s in subnets if s[1] != LOCAL_ZONE][: 1 if pinned else 3]
            record = self.base(
                "auto_scaling_groups",
                name,
                self.arn("autoscaling", f"autoScalingGroup:{number}:autoScalingGroupName/{name}"),
                {"Service": f"svc{number % 25}"},
            )
            record.update(
                zones=sorted({zone for _, zone in own_subnets}),
                subnet_ids=[subnet for subnet, _ in own_subnets],
                min_size=len(members),
                max_size=len(members) * 2,
                desired_capacity=len(members),
                health_check_type="ELB" if number % 2 else "EC2",
                health_check_grace_period=300,
                load_balancer_names=[],
                target_group_arns=[],
                capacity_rebalance=bool(number % 3),
                launch_template={"id": templates[number % len(templates)], "version": "$Latest"},
                instances=[
                    {"id": i, "zone": placement[i], "lifecycle_state": "InService"}
                    | {"health_status": "Healthy"}
                    for i in members
                ],
                created_time=T0,
            )
            names.append(name)
        return names

    def _load_balancers(
        self,
        instance_ids: list[str],
        placement: dict[str, str],
        subnets: list[tuple[str, str]],
        groups: list[str],
    ) -> None:
        spread = [s for s in subnets if s[1] != LOCAL_ZONE][:3]
        for number in range(max(1, self.n // 100)):
            name = f"clb-{self.key}-{number}"
            members = instance_ids[number * 10 : number * 10 + 10]
            clb_arn = self.arn("elasticloadbalancing", f"loadbalancer/{name}")
            record = self.base("classic_load_balancers", name, clb_arn, {})
            record.update(
                zones=[z for _, z in spread][: 1 + number % 3],
                subnet_ids=[s for s, _ in spread][: 1 + number % 3],
                instance_ids=members,
                cross_zone=bool(number % 2),
                scheme="internet-facing",
            )
        lb_count = max(1, self.n * 3 // 100)
        for number in range(lb_count):
            kind = "application" if number % 3 else "network"
            name = f"{kind[:3]}-{self.key}-{number}"
            lb_path = f"loadbalancer/{kind[:3]}/{name}/{number:016x}"
            lb_arn = self.arn("elasticloadbalancing", lb_path)
            record = self.base("load_balancers", name, lb_arn, {})
            width = 1 if number % 7 == 0 else 3
            record.update(
                name=name,
                type=kind,
                zones=[{"name": z, "subnet_id": s} for s, z in spread[:width]],
                cross_zone=kind == "application",
                scheme="internal",
                state="active",
                attributes={"load_balancing.cross_zone.enabled": "true"},
            )
            for tg_number in range(1 + (number % 3 == 1)):
                tg_name = f"tg-{self.key}-{number}-{tg_number}"
                tg_arn = self.arn("elasticloadbalancing", f"targetgroup/{tg_name}/{number:016x}")
                targets = instance_ids[(number * 7) % len(instance_ids) :][:6]
                tg = self.base("target_groups", tg_name, tg_arn, {})
                tg.update(
                    name=tg_name,
                    load_balancer_arns=[lb_arn],
                    target_type="instance",
                    protocol="HTTP",
                    port=80,
                    targets=[{"id": t, "port": 80, "health_state": "healthy"} for t in targets],
                )

    def _dlm_policies(self) -> None:
        for number, (policy_type, resource) in enumerate(
            (("EBS_SNAPSHOT_MANAGEMENT", "VOLUME"), ("IMAGE_MANAGEMENT", "INSTANCE"))
        ):
            policy = f"policy-{self.key}{number:05x}"
            record = self.base("dlm_policies", policy, self.arn("dlm", f"policy/{policy}"), {})
            copies = [COPY_TO[self.region]] if self.region in COPY_TO and number == 0 else []
            record.update(
                state="ENABLED" if self.rng.random() > 0.1 else "DISABLED",
                policy_type=policy_type,
                default_policy=False,
                resource_types=[resource],
                resource_locations=["CLOUD"],
                target_tags=[{"key": "Backup", "value": "daily"}],
                cross_region_copy_targets=copies,
                schedules=[
                    {
                        "name": "daily",
                        "copy_tags": True,
                        "create_rule": {"interval": 24, "interval_unit": "HOURS", "times": []},
                        "retain_rule": {"count": 7},
                        "cross_region_copy_rules": [
                            {"target_region": region, "encrypted": True} for region in copies
                        ],
                    }
                ],
            )


def generate(
    resources: int,
    output: Path,
    *,
    instances_per_unit: int = 400,
    seed: int = 1,
    validate: bool = False,
) -> dict[str, int]:
    """Stream a snapshot of about ``resources`` resources to ``output``; returns counts."""
    rng = random.Random(seed)
    instances = max(1, round(resources / RESOURCES_PER_INSTANCE))
    units = max(1, -(-instances // instances_per_unit))
    per_unit = -(-instances // units)
    counts: dict[str, int] = {}
    accounts: set[str] = set()
    with SnapshotStreamWriter(output, validate=validate) as writer:
        for number in range(units):
            account = f"{100000000000 + number // len(REGIONS):012d}"
            region = REGIONS[number % len(REGIONS)]
            accounts.add(account)
            unit = UnitBuilder(account, region, per_unit, rng).build()
            for kind, records in unit["resources"].items():
                counts[kind] = counts.get(kind, 0) + len(records)
            writer.add_unit(unit)
        writer.finish(
            {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "tool": {"name": "stormproof", "version": __version__},
                "started_at": T0,
                "finished_at": T0,
                "scope": {
                    "accounts": sorted(accounts),
                    "regions": sorted(REGIONS[: min(units, len(REGIONS))]),
                    "partition": "aws",
                    "shard": None,
                },
                "api_calls": {"ec2:DescribeInstances": units},
                "errors": [],
            }
        )
    counts["units"] = units
    counts["total"] = sum(v for k, v in counts.items() if k != "units")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("resources", type=int, help="about how many resources (e.g. 100000)")
    parser.add_argument("--output", required=True, type=Path, help="snapshot.json[.gz]")
    parser.add_argument("--instances-per-unit", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--validate", action="store_true", help="validate each unit (slower)")
    args = parser.parse_args()
    began = time.monotonic()
    counts = generate(
        args.resources,
        args.output,
        instances_per_unit=args.instances_per_unit,
        seed=args.seed,
        validate=args.validate,
    )
    print(
        f"wrote {args.output}: {counts['total']} resources in {counts['units']} units "
        f"({time.monotonic() - began:.1f}s)",
        file=sys.stderr,
    )
    for kind, count in sorted(counts.items()):
        print(f"  {kind:26} {count}", file=sys.stderr)


if __name__ == "__main__":
    main()
