"""Linking: the documented facts, fleets as reports expect them, and the gaps behind unknowns."""

from __future__ import annotations

import copy

import jsonschema
import pytest

from scanner.engine import load_policies
from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot
from scanner.model.link.facts import FACTS, RECORD_PARTS, REGION, SCAN, UNIT, Dependency
from scanner.model.link.gaps import (
    MISSING_ATTRIBUTE,
    CollectionGaps,
    affected_dependencies,
    describe_failure,
)
from scanner.model.resource_types import RESOURCE_TYPES
from scanner.resources import load_schema

ESTATE = {
    "units": [
        {
            "region": "us-east-1",
            "errors": [{"service": "elb", "operation": "DescribeLoadBalancers"}],
            "resources": {
                "subnets": [
                    {"id": "subnet-a", "zone": "us-east-1a"},
                    {"id": "subnet-b", "zone": "us-east-1b"},
                ],
                "instances": [
                    {
                        "id": "i-web",
                        "zone": "us-east-1a",
                        "image_id": "ami-1",
                        "tags": {"Service": "web"},
                    },
                    {
                        "id": "i-edge",
                        "zone": "us-east-1-lax-1a",
                        "tags": {"Fleet": "edge", "Service": "web"},
                    },
                    {"id": "i-asg", "zone": "us-east-1b", "tags": {"Service": "web"}},
                ],
                "volumes": [
                    {
                        "id": "vol-1",
                        "attachments": [{"instance_id": "i-web", "device": "/dev/xvda"}],
                    }
                ],
                "snapshots": [{"id": "snap-1", "volume_id": "vol-1"}],
                "images": [{"id": "ami-1", "snapshot_ids": ["snap-1"]}],
                "auto_scaling_groups": [
                    {"id": "web", "subnet_ids": ["subnet-a", "subnet-b"], "instances": ["i-asg"]}
                ],
                "classic_load_balancers": [
                    {"id": "legacy", "subnet_ids": ["subnet-a"], "instance_ids": ["i-web"]}
                ],
                "load_balancers": [
                    {"id": "alb", "zones": ["us-east-1a", "us-east-1-lax-1a"], "cross_zone": False}
                ],
                "target_groups": [
                    {"id": "tg", "load_balancer_arns": ["alb"], "targets": ["i-web", "i-gone"]}
                ],
                "dlm_policies": [{"id": "policy-1", "target_tags": {"Backup": "yes"}}],
                "launch_configurations": [{"id": "lc", "image_id": "ami-1"}],
                "launch_template_versions": [
                    {"id": "lt-1:1", "image_id": "ami-1", "is_default": True}
                ],
            },
        },
        {
            "region": "us-west-2",
            "resources": {
                "snapshots": [{"id": "snap-2", "description": "[Copied snap-1 from us-east-1]"}],
                "images": [
                    {"id": "ami-2", "source_image_id": "ami-1", "source_image_region": "us-east-1"}
                ],
            },
        },
    ]
}


@pytest.fixture(scope="module")
def model():
    return link_snapshot(expand_fragment(ESTATE))


def doc(model, type_name: str, resource_id: str) -> dict:
    return next(d for d in model.of_type(type_name) if d["id"] == resource_id)


def test_every_document_carries_exactly_the_declared_facts(model) -> None:
    for type_name, documents in model.resources.items():
        declared = [fact.name for fact in FACTS[type_name]]
        for document in documents:
            assert sorted(document["facts"]) == sorted(declared), (type_name, document["id"])


def test_the_model_schema_documents_every_fact_and_validates_the_model(model) -> None:
    schema = load_schema("model.schema.json")
    for type_name in RESOURCE_TYPES:
        documented = schema["$defs"][f"{type_name}_facts"]["properties"]
        assert list(documented) == [fact.name for fact in FACTS[type_name]]
    jsonschema.validate({"resources": model.resources}, schema)


def test_linking_leaves_the_snapshot_untouched() -> None:
    snapshot = expand_fragment(ESTATE)
    before = copy.deepcopy(snapshot)
    link_snapshot(snapshot)
    assert snapshot == before


def test_fleets_as_the_reports_draw_them(model) -> None:
    fleets = {fleet["id"]: fleet for fleet in model.of_type("fleet")}
    assert sorted(fleets) == [
        "asg/web",
        "elb/legacy",
        "elbv2/alb",
        "tag/Fleet=edge",
        "tag/Service=web",
    ]
    asg = fleets["asg/web"]
    assert asg["arn"] == doc(model, "auto_scaling_group", "web")["arn"]
    assert (asg["kind"], asg["name"], asg["title"]) == (
        "auto_scaling_group",
        "web",
        "Auto Scaling group web",
    )
    assert asg["facts"]["zone_names"] == ["us-east-1a", "us-east-1b"]  # from its subnets
    edge = fleets["tag/Fleet=edge"]
    assert edge["arn"] == "stormproof:fleet:111122223333:us-east-1:tag/Fleet=edge"
    assert edge["tags"] == {"Fleet": "edge"} and edge["kind"] == "tag"
    assert edge["facts"]["zones"] == [
        {
            "name": "us-east-1-lax-1a",
            "id": "ue1-lax1-az1",
            "type": "local-zone",
            "parent_zone_name": "us-east-1a",
            "parent_zone_id": "ue1-az1",
            "group_name": "us-east-1-lax-1",
        }
    ]
    # The ASG's instance is not in a tag fleet; the first fleet tag key present wins.
    assert fleets["tag/Service=web"]["facts"]["instance_ids"] == ["i-web"]
    alb = fleets["elbv2/alb"]
    assert alb["facts"]["cross_zone"] is True  # ALBs always balance across zones
    assert alb["facts"]["local_zone_parent_names"] == ["us-east-1a"]
    assert alb["facts"]["instance_ids"] == ["i-gone", "i-web"]


def test_fleet_tag_keys_choose_the_grouping() -> None:
    model = link_snapshot(expand_fragment(ESTATE), fleet_tag_keys=("Service",))
    tag_fleets = [f["id"] for f in model.of_type("fleet") if f["kind"] == "tag"]
    assert tag_fleets == ["tag/Service=web"]
    assert doc(model, "fleet", "tag/Service=web")["facts"]["instance_ids"] == ["i-edge", "i-web"]


def test_joins(model) -> None:
    assert doc(model, "volume", "vol-1")["facts"]["boot"] is True
    assert doc(model, "volume", "vol-1")["facts"]["newest_snapshot"]["id"] == "snap-1"
    assert doc(model, "instance", "i-asg")["facts"]["asg_name"] == "web"
    image = doc(model, "image", "ami-1")["facts"]
    assert image["in_use"] is True
    assert image["used_by"] == [
        {"type": "instance", "id": "i-web", "account": "111122223333"},
        {"type": "launch_configuration", "id": "lc", "account": "111122223333"},
    ]
    assert image["copies"] == [
        {
            "id": "ami-2",
            "account": "111122223333",
            "region": "us-west-2",
            "via": "source_image",
            "time": "2025-12-16T12:00:00Z",
        }
    ]
    snapshot = doc(model, "snapshot", "snap-1")["facts"]
    assert snapshot["image_ids"] == ["ami-1"]
    assert snapshot["copy_regions"] == ["us-west-2"]
    assert doc(model, "snapshot", "snap-2")["facts"]["copy_of"] == {
        "id": "snap-1",
        "region": "us-east-1",
        "via": "description",
    }
    group = doc(model, "target_group", "tg")["facts"]
    assert (group["target_zone_names"], group["unresolved_target_ids"]) == (
        ["us-east-1a"],
        ["i-gone"],
    )
    assert doc(model, "load_balancer", "alb")["facts"]["target_group_arns"] == [
        doc(model, "target_group", "tg")["arn"]
    ]


def test_zone_catalog_and_errors(model) -> None:
    assert {zone["account"] for zone in model.zones} == {"111122223333"}
    assert len(model.zones) == 12  # six default zones in each of two Regions
    assert model.errors == [
        {
            "account": "111122223333",
            "region": "us-east-1",
            "service": "elb",
            "operation": "DescribeLoadBalancers",
            "code": "AccessDenied",
            "message": "simulated collection failure",
        }
    ]


ERROR = {
    "account": "111122223333",
    "region": "us-east-1",
    "service": "ec2",
    "operation": "DescribeSnapshots",
    "code": "Throttling",
}


@pytest.mark.parametrize(
    ("reach", "account", "region", "missing"),
    [
        (UNIT, "111122223333", "us-east-1", True),
        (UNIT, "111122223333", "us-west-2", False),
        (UNIT, "444455556666", "us-east-1", False),
        (REGION, "444455556666", "us-east-1", True),
        (REGION, "444455556666", "us-west-2", False),
        (SCAN, "444455556666", "eu-west-1", True),
    ],
)
def test_a_gap_reaches_as_far_as_the_fact_joins(
    reach: str, account: str, region: str, missing: bool
) -> None:
    gaps = CollectionGaps([ERROR])
    assert bool(gaps.failures(account, region, [Dependency("snapshot", reach)])) is missing
    assert gaps.failures(account, region, [Dependency("volume", reach)]) == ()


def test_errors_wider_than_a_unit_reach_every_unit_they_cover() -> None:
    gaps = CollectionGaps(
        [{**ERROR, "region": None}, {**ERROR, "account": None, "region": None, "service": "dlm"}]
    )
    assert gaps.failures("111122223333", "ap-south-1", [Dependency("snapshot")])
    assert gaps.failures("999988887777", "ap-south-1", [Dependency("dlm_policy")])
    assert not gaps.failures("999988887777", "ap-south-1", [Dependency("snapshot")])


@pytest.mark.parametrize(
    ("service", "operation", "code", "expected"),
    [
        ("ec2", "DescribeSnapshots", "AccessDenied", ("snapshot",)),
        ("ec2", "DescribeAvailabilityZones", "AccessDenied", ("zone",)),
        (
            "ec2",
            "collect_ec2",
            "CollectorError",
            (
                "instance",
                "subnet",
                "volume",
                "snapshot",
                "image",
                "launch_template_version",
                "placement_group",
                "zone",
            ),
        ),
        ("elbv2", "DescribeTags", "Throttling", ("load_balancer", "target_group")),
        ("dlm", "GetLifecyclePolicy", "InternalServerException", ("dlm_policy",)),
        ("ec2", "DescribeRegions", "RegionNotEnabled", ()),
        ("sts", "GetCallerIdentity", "AccessDenied", ()),
    ],
)
def test_which_observations_a_failed_call_leaves_out(service, operation, code, expected) -> None:
    assert affected_dependencies(service, operation, code) == expected


def test_every_builtin_rests_only_on_declared_dependencies() -> None:
    known = set(RESOURCE_TYPES) | {"zone"} | set(RECORD_PARTS)
    for policy in load_policies():
        assert {d.name for d in policy.dependencies} <= known
        assert {d.reach for d in policy.dependencies} <= {UNIT, REGION, SCAN}


def test_a_path_into_a_fact_field_rests_on_that_field_only() -> None:
    from scanner.engine.paths import compile_path
    from scanner.model.link.facts import fact

    path = compile_path("facts.protection.sources[?kind != 'dlm-snapshot']")
    assert path.facts == frozenset({"protection.sources"})
    field = {d.name for d in fact("volume", "protection.covered").rests_on}
    whole = {d.name for d in fact("volume", "protection").rests_on}
    assert "snapshot" in whole and "backup_recovery_point" in whole
    assert field == {"dlm_policy", "backup_plan", "backup_region_settings", "zone", "instance"}
    # A field without declared dependencies rests on the whole fact's.
    assert fact("volume", "protection.newest").rests_on == fact("volume", "protection").rests_on


TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0123456789abcdef"
OTHER_TG = "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/api/fedcba9876543210"
HEALTH_FAILED = {
    "account": "111122223333",
    "region": "us-east-1",
    "service": "elbv2",
    "operation": "DescribeTargetHealth",
    "code": "AccessDenied",
    "message": "denied",
}


def test_a_detail_call_gap_is_one_part_of_one_resource() -> None:
    gaps = CollectionGaps([{**HEALTH_FAILED, "resource": TG}])
    targets, attributes = Dependency("target_group.targets"), Dependency("target_group.attributes")
    assert gaps.failures("111122223333", "us-east-1", [targets], arns=[TG])
    assert not gaps.failures("111122223333", "us-east-1", [targets], arns=[OTHER_TG])
    assert not gaps.failures("111122223333", "us-east-1", [attributes], arns=[TG])
    assert not gaps.failures("111122223333", "us-east-1", [Dependency("target_group")], arns=[TG])


def test_a_detail_call_gap_without_its_resource_covers_the_unit() -> None:
    # Snapshots written before error entries named their resource: the whole unit's part.
    gaps = CollectionGaps([HEALTH_FAILED])
    targets = Dependency("target_group.targets")
    assert gaps.failures("111122223333", "us-east-1", [targets], arns=[OTHER_TG])
    assert not gaps.failures("111122223333", "us-west-2", [targets], arns=[OTHER_TG])
    assert not gaps.failures("111122223333", "us-east-1", [Dependency("target_group")])


def test_a_failed_listing_hides_every_part_of_its_type() -> None:
    listing = {**HEALTH_FAILED, "operation": "DescribeTargetGroups"}
    gaps = CollectionGaps([listing])
    for part in ("target_group.targets", "target_group.attributes"):
        assert gaps.failures("111122223333", "us-east-1", [Dependency(part)]) == (listing,)


def test_linking_reports_an_answer_without_the_setting_as_missing() -> None:
    model = link_snapshot(
        expand_fragment(
            {
                "resources": {
                    "load_balancers": [{"id": "alb", "zones": ["us-east-1a", "us-east-1b"]}],
                    "target_groups": [
                        {"id": "web", "load_balancer_arns": ["alb"], "attributes": {}}
                    ],
                }
            }
        )
    )
    (group,) = model.of_type("target_group")
    missing = [e for e in model.errors if e["code"] == MISSING_ATTRIBUTE]
    assert [(e["operation"], e["resource"]) for e in missing] == [
        ("DescribeTargetGroupAttributes", group["arn"])
    ]
    assert group["facts"]["cross_zone"][0]["enabled"] is None
    assert describe_failure(missing[0]).startswith(
        f"elbv2:DescribeTargetGroupAttributes for {group['arn']}: the answer has no"
    )
