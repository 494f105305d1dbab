"""Expand a policy test case's short snapshot fragment into a complete, valid snapshot.

A fragment names only what a case is about; everything else gets a sane
default: account ``111122223333``, Region ``us-east-1``, a zone catalog with
three Availability Zones, two Local Zones and a Wavelength Zone, ARNs built the
way AWS builds them, empty tags, required fields filled. References by name
(``load_balancer_arns: [web]``, ``target_group_arns: [api]``, an error's
``resource: web-tg``) become the ARN of that resource in the same unit. AWS
Backup defaults are in :mod:`scanner.engine.backup_fragments`. The result must
validate against ``schemas/snapshot.schema.json``; the test runner checks.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from scanner import __version__
from scanner.engine.backup_fragments import BACKUP_EXPANDERS, BACKUP_KEYS_WITHOUT_ID
from scanner.model.link.timeparse import parse_time

DEFAULT_ACCOUNT = "111122223333"
DEFAULT_REGION = "us-east-1"
DEFAULT_FINISHED_AT = "2026-01-15T12:00:00Z"
_RECORD_AGE = timedelta(days=30)
USE_LOAD_BALANCER = "use_load_balancer_configuration"
_ID_NAMESPACE = uuid.UUID("6f3c1c52-6f1e-4b65-9b59-5d1f3c5e2a10")

Record = dict[str, Any]


def default_zones(region: str) -> list[dict[str, Any]]:
    """Three AZs (``<region>a``-``c``), Local Zones ``-lax-1a``/``-den-1a``, a Wavelength Zone."""
    short = "".join(part[0] for part in region.split("-")[:-1]) + region.rsplit("-", 1)[-1]
    zones = [
        _zone(region, f"{region}{letter}", f"{short}-az{n}", "availability-zone", None, region)
        for n, letter in enumerate("abc", start=1)
    ]
    zones.append(
        _zone(
            region,
            f"{region}-lax-1a",
            f"{short}-lax1-az1",
            "local-zone",
            zones[0],
            f"{region}-lax-1",
        )
    )
    zones.append(
        _zone(
            region,
            f"{region}-den-1a",
            f"{short}-den1-az1",
            "local-zone",
            zones[1],
            f"{region}-den-1",
        )
    )
    zones.append(
        _zone(
            region,
            f"{region}-wl1-las-wlz-1",
            f"{short}-wl1-las-wlz1",
            "wavelength-zone",
            zones[2],
            f"{region}-wl1",
        )
    )
    return zones


def _zone(
    region: str, name: str, zone_id: str, zone_type: str, parent: dict | None, group: str
) -> dict:
    return {
        "name": name,
        "id": zone_id,
        "region": region,
        "type": zone_type,
        "parent_zone_name": parent["name"] if parent else None,
        "parent_zone_id": parent["id"] if parent else None,
        "group_name": group,
        "network_border_group": group,
        "opt_in_status": "opt-in-not-required" if parent is None else "opted-in",
        "state": "available",
    }


class FragmentError(ValueError):
    """A fragment too malformed to expand (the test runner reports it as a failed case)."""


def expand_fragment(fragment: dict[str, Any] | None) -> dict[str, Any]:
    """A complete snapshot from a fragment (``units: [...]``, or ``resources:`` for one unit)."""
    try:
        return _expand(copy.deepcopy(fragment or {}))
    except FragmentError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        detail = f"missing {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
        raise FragmentError(f"the fragment has an unexpected shape ({detail})") from exc


def _expand(fragment: dict[str, Any]) -> dict[str, Any]:
    finished_at = fragment.get("finished_at", DEFAULT_FINISHED_AT)
    units = fragment.get("units")
    global_errors = fragment.get("errors", []) if units is not None else []
    if units is None:  # the short form: one unit's keys at the top
        units = [
            {
                key: fragment[key]
                for key in ("account", "region", "zones", "errors", "resources")
                if key in fragment
            }
        ]
    expanded_units = [_expand_unit(unit, finished_at) for unit in units]
    return {
        "format": "stormproof-snapshot",
        "version": 1,
        "tool": {"name": "stormproof", "version": __version__},
        "started_at": fragment.get("started_at", finished_at),
        "finished_at": finished_at,
        "scope": {
            "accounts": sorted({unit["account"] for unit in expanded_units}) or [DEFAULT_ACCOUNT],
            "regions": sorted({unit["region"] for unit in expanded_units}) or [DEFAULT_REGION],
            "partition": "aws",
        },
        "api_calls": {},
        "errors": [_expand_error(e, None, None) for e in global_errors],
        "units": expanded_units,
    }


def _expand_unit(unit: dict[str, Any], finished_at: str) -> dict[str, Any]:
    account = str(unit.get("account", DEFAULT_ACCOUNT))
    region = unit.get("region", DEFAULT_REGION)
    context = _Context(account, region, finished_at)
    zones = [context.zone(z) for z in unit["zones"]] if "zones" in unit else default_zones(region)
    resources: dict[str, list[Record]] = {}
    for key, records in (unit.get("resources") or {}).items():
        if not isinstance(records, list) or not all(
            isinstance(r, dict) and (isinstance(r.get("id"), str) or key in BACKUP_KEYS_WITHOUT_ID)
            for r in records
        ):
            raise FragmentError(f"resources.{key} must be a list of records, each with a string id")
        expander = _EXPANDERS.get(key)
        resources[key] = [expander(context, dict(r)) if expander else dict(r) for r in records]
    context.resolve_references(resources)
    errors = [_expand_error(e, account, region) for e in unit.get("errors", [])]
    for error in errors:  # a detail call's resource may be named by its record's id
        if "resource" in error:
            error["resource"] = context.arn_of(error)
    return {
        "account": account,
        "region": region,
        "partition": "aws",
        "started_at": finished_at,
        "finished_at": finished_at,
        "duration_seconds": 0,
        "api_calls": {},
        "errors": errors,
        "zones": zones,
        "resources": resources,
    }


def _expand_error(error: dict[str, Any], account: str | None, region: str | None) -> dict[str, Any]:
    expanded = {
        "account": error.get("account", account),
        "region": error.get("region", region),
        "service": error["service"],
        "operation": error.get("operation", "Unknown"),
        "code": error.get("code", "AccessDenied"),
        "message": error.get("message", "simulated collection failure"),
    }
    if error.get("resource"):  # a detail call of one resource (its ARN)
        expanded["resource"] = error["resource"]
    return expanded


class _Context:
    def __init__(self, account: str, region: str, finished_at: str):
        self.account, self.region = account, region
        finished = parse_time(finished_at)
        self.created = (finished - _RECORD_AGE).strftime("%Y-%m-%dT%H:%M:%SZ") if finished else None
        self.arns: dict[str, dict[str, str]] = {
            "load_balancers": {},
            "target_groups": {},
            "classic_load_balancers": {},
        }

    def arn(self, service: str, resource: str, *, account: bool = True) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account if account else ''}:{resource}"

    def base(self, record: Record) -> Record:
        record.setdefault("account", self.account)
        record.setdefault("region", self.region)
        record["tags"] = {str(k): str(v) for k, v in (record.get("tags") or {}).items()}
        return record

    def zone(self, zone: dict[str, Any]) -> dict[str, Any]:
        zone = dict(zone)
        zone.setdefault("region", self.region)
        zone.setdefault("type", "availability-zone")
        zone.setdefault("id", zone["name"])
        return zone

    def hashed(self, name: str) -> str:
        return uuid.uuid5(_ID_NAMESPACE, f"{self.account}:{self.region}:{name}").hex[:16]

    def arn_of(self, error: dict[str, Any]) -> str:
        """The ARN of the record a detail call's ``resource`` names by id; else it as given."""
        if error["service"] == "elb":
            table = self.arns["classic_load_balancers"]
        elif error["operation"] == "DescribeLoadBalancerAttributes":
            table = self.arns["load_balancers"]
        else:
            table = self.arns["target_groups"]
        return table.get(error["resource"], error["resource"])

    def resolve_references(self, resources: dict[str, list[Record]]) -> None:
        lbs, groups = self.arns["load_balancers"], self.arns["target_groups"]
        for group in resources.get("target_groups", []):
            group["load_balancer_arns"] = [lbs.get(ref, ref) for ref in group["load_balancer_arns"]]
            for target in group["targets"]:
                target["id"] = lbs.get(target["id"], target["id"])
        for asg in resources.get("auto_scaling_groups", []):
            asg["target_group_arns"] = [
                groups.get(ref, ref) for ref in asg.get("target_group_arns", [])
            ]


def _instance(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"instance/{r['id']}"))
    r.setdefault("state", "running")
    r.setdefault("zone", f"{ctx.region}a")
    r.setdefault("volume_ids", [])
    r.setdefault("root_device_type", "ebs")
    r.setdefault("instance_type", "t3.micro")
    r.setdefault("launch_time", ctx.created)
    return ctx.base(r)


def _subnet(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"subnet/{r['id']}"))
    r.setdefault("zone", f"{ctx.region}a")
    return ctx.base(r)


def _volume(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"volume/{r['id']}"))
    r["attachments"] = [
        {"instance_id": a} if isinstance(a, str) else a for a in r.get("attachments", [])
    ]
    r.setdefault("state", "in-use" if r["attachments"] else "available")
    r.setdefault("zone", f"{ctx.region}a")
    r.setdefault("volume_type", "gp3")
    r.setdefault("size_gib", 8)
    r.setdefault("create_time", ctx.created)
    return ctx.base(r)


def _snapshot(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"snapshot/{r['id']}", account=False))
    r.setdefault("state", "completed")
    r.setdefault("start_time", ctx.created)
    return ctx.base(r)


def _image(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"image/{r['id']}", account=False))
    r.setdefault("state", "available")
    r.setdefault("snapshot_ids", [])
    r.setdefault("creation_date", ctx.created)
    r.setdefault("root_device_type", "ebs")
    return ctx.base(r)


def _launch_template_version(ctx: _Context, r: Record) -> Record:
    r.setdefault("launch_template_id", r["id"].split(":")[0])
    r.setdefault("version_number", 1)
    r.setdefault("arn", ctx.arn("ec2", f"launch-template/{r['launch_template_id']}"))
    return ctx.base(r)


def _auto_scaling_group(ctx: _Context, r: Record) -> Record:
    r.setdefault(
        "arn",
        ctx.arn(
            "autoscaling",
            f"autoScalingGroup:{uuid.uuid5(_ID_NAMESPACE, r['id'])}:autoScalingGroupName/{r['id']}",
        ),
    )
    r.setdefault("zones", [])
    r.setdefault("subnet_ids", [])
    r.setdefault("min_size", 1)
    r.setdefault("max_size", 4)
    r.setdefault("desired_capacity", 2)
    r.setdefault("health_check_type", "EC2")
    r["instances"] = [{"id": i} if isinstance(i, str) else i for i in r.get("instances", [])]
    return ctx.base(r)


def _launch_configuration(ctx: _Context, r: Record) -> Record:
    r.setdefault(
        "arn",
        ctx.arn(
            "autoscaling",
            f"launchConfiguration:{uuid.uuid5(_ID_NAMESPACE, r['id'])}"
            f":launchConfigurationName/{r['id']}",
        ),
    )
    return ctx.base(r)


def _classic_load_balancer(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("elasticloadbalancing", f"loadbalancer/{r['id']}"))
    for key in ("zones", "subnet_ids", "instance_ids"):
        r.setdefault(key, [])
    r.setdefault("cross_zone", True)
    ctx.arns["classic_load_balancers"][r["id"]] = r["arn"]
    return ctx.base(r)


def _load_balancer(ctx: _Context, r: Record) -> Record:
    r.setdefault("name", r["id"])
    r.setdefault("type", "application")
    prefix = {"application": "app", "network": "net", "gateway": "gwy"}[r["type"]]
    r.setdefault(
        "arn",
        ctx.arn(
            "elasticloadbalancing", f"loadbalancer/{prefix}/{r['name']}/{ctx.hashed(r['name'])}"
        ),
    )
    r["zones"] = [{"name": z} if isinstance(z, str) else z for z in r.get("zones", [])]
    r.setdefault("cross_zone", r["type"] == "application")
    r.setdefault("state", "active")
    ctx.arns["load_balancers"][r["id"]] = r["arn"]
    return ctx.base(r)


def _target_group(ctx: _Context, r: Record) -> Record:
    r.setdefault("name", r["id"])
    r.setdefault(
        "arn", ctx.arn("elasticloadbalancing", f"targetgroup/{r['name']}/{ctx.hashed(r['name'])}")
    )
    r.setdefault("load_balancer_arns", [])
    r["targets"] = [{"id": t} if isinstance(t, str) else t for t in r.get("targets", [])]
    r.setdefault("target_type", "instance")
    # AWS answers every target group with its cross-zone setting; the default defers.
    # ``attributes: null`` leaves them out, as the collector does when the call failed.
    r.setdefault("attributes", {"load_balancing.cross_zone.enabled": USE_LOAD_BALANCER})
    if r["attributes"] is None:
        del r["attributes"]
    ctx.arns["target_groups"][r["id"]] = r["arn"]
    return ctx.base(r)


def _dlm_policy(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("dlm", f"policy/{r['id']}"))
    r.setdefault("state", "ENABLED")
    r.setdefault("policy_type", "EBS_SNAPSHOT_MANAGEMENT")
    r.setdefault("default_policy", False)
    default_type = "VOLUME" if r["policy_type"] == "EBS_SNAPSHOT_MANAGEMENT" else "INSTANCE"
    r.setdefault("resource_types", [default_type])
    r.setdefault("resource_locations", [] if r["default_policy"] else ["CLOUD"])
    target_tags = r.get("target_tags", [])
    if isinstance(target_tags, dict):
        target_tags = [{"key": str(k), "value": str(v)} for k, v in target_tags.items()]
    r["target_tags"] = target_tags
    r.setdefault(
        "schedules",
        []
        if r["default_policy"]
        else [{"name": "daily", "create_rule": {"interval": 24, "interval_unit": "HOURS"}}],
    )
    return ctx.base(r)


def _placement_group(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("ec2", f"placement-group/{r['id']}"))
    r.setdefault("strategy", "cluster")
    r.setdefault("state", "available")
    return ctx.base(r)


def _zonal_shift_resource(ctx: _Context, r: Record) -> Record:
    r.setdefault("arn", ctx.arn("elasticloadbalancing", r["id"]))
    short = "".join(part[0] for part in ctx.region.split("-")[:-1]) + ctx.region.rsplit("-")[-1]
    r.setdefault("zones", [f"{short}-az1", f"{short}-az2"])  # ARC lists zone ids
    r.setdefault("autoshift_status", "DISABLED")
    r.setdefault("practice_run_status", "DISABLED")
    return ctx.base(r)


_EXPANDERS: dict[str, Callable[[_Context, Record], Record]] = {
    "instances": _instance,
    "subnets": _subnet,
    "volumes": _volume,
    "snapshots": _snapshot,
    "images": _image,
    "launch_template_versions": _launch_template_version,
    "auto_scaling_groups": _auto_scaling_group,
    "launch_configurations": _launch_configuration,
    "classic_load_balancers": _classic_load_balancer,
    "load_balancers": _load_balancer,
    "target_groups": _target_group,
    "dlm_policies": _dlm_policy,
    "placement_groups": _placement_group,
    "zonal_shift_resources": _zonal_shift_resource,
    **BACKUP_EXPANDERS,
}
