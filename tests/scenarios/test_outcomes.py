"""Workload outcomes per failure domain: zone ids across accounts, Local Zones, load balancers."""

from __future__ import annotations

from tests.scenarios.helpers import A, B, az, local_zone, outcomes, scenarios_of

TWO_ACCOUNTS = {
    "units": [
        {
            "account": A,
            "zones": [az("us-east-1a", "use1-az4"), az("us-east-1b", "use1-az6")],
            "resources": {"instances": [{"id": "i-a", "zone": "us-east-1a"}]},
        },
        {
            "account": B,
            "zones": [az("us-east-1a", "use1-az6"), az("us-east-1c", "use1-az4")],
            "resources": {"instances": [{"id": "i-b", "zone": "us-east-1c"}]},
        },
    ]
}


def test_zones_are_grouped_by_zone_id_whatever_each_account_calls_them() -> None:
    _, scenarios = scenarios_of(TWO_ACCOUNTS)
    [az4] = scenarios.find("use1-az4")
    assert az4.domain.names == {A: "us-east-1a", B: "us-east-1c"}
    assert az4.domain.label() == f"use1-az4 (us-east-1a in {A}, us-east-1c in {B})"
    assert outcomes(scenarios, "use1-az4") == {"i-a": ("down", 0.0), "i-b": ("down", 0.0)}
    assert outcomes(scenarios, "use1-az6") == {}
    # the same name is two zones: looking it up by name finds both
    assert {s.domain.id for s in scenarios.find("us-east-1a")} == {"use1-az4", "use1-az6"}
    assert [s.domain.id for s in scenarios.scenarios][:2] == ["use1-az4", "us-east-1"]


def test_capacity_from_running_instances_and_the_local_zone_parent_is_at_risk() -> None:
    _, scenarios = scenarios_of(
        {
            "resources": {
                "auto_scaling_groups": [
                    {
                        "id": "web",
                        "zones": ["us-east-1a", "us-east-1b", "us-east-1c"],
                        "instances": [
                            {"id": "i-1", "zone": "us-east-1a", "lifecycle_state": "InService"},
                            {"id": "i-2", "zone": "us-east-1a", "lifecycle_state": "InService"},
                            {"id": "i-3", "zone": "us-east-1b", "lifecycle_state": "InService"},
                            {"id": "i-4", "zone": "us-east-1c", "lifecycle_state": "Terminating"},
                        ],
                    },
                    {"id": "empty", "zones": ["us-east-1a", "us-east-1b"]},
                    {
                        "id": "edge",
                        "zones": ["us-east-1-lax-1a", "us-east-1b"],
                        "instances": [
                            {
                                "id": "i-5",
                                "zone": "us-east-1-lax-1a",
                                "lifecycle_state": "InService",
                            }
                        ],
                    },
                ]
            }
        }
    )
    # fragments' zones: us-east-1a = ue1-az1 (parent of the lax Local Zone), b = ue1-az2
    assert outcomes(scenarios, "ue1-az1") == {
        "asg/web": ("degraded", 0.3333),
        "asg/empty": ("degraded", 0.5),  # nothing running: one share per configured zone
        "asg/edge": ("at-risk", 1.0),
    }
    assert outcomes(scenarios, "ue1-az2") == {
        "asg/web": ("degraded", 0.6667),
        "asg/empty": ("degraded", 0.5),
        "asg/edge": ("survives", 1.0),  # configured there, nothing running there
    }
    # the terminating instance serves nothing
    assert outcomes(scenarios, "ue1-az3") == {"asg/web": ("survives", 1.0)}
    assert outcomes(scenarios, "ue1-lax1-az1") == {"asg/edge": ("down", 0.0)}
    assert set(outcomes(scenarios, "us-east-1").values()) == {("down", 0.0)}
    [lax] = scenarios.find("ue1-lax1-az1")
    assert (lax.domain.kind, lax.domain.parent_id) == ("local-zone", "ue1-az1")


def test_a_workload_in_a_local_zone_and_its_parent_is_at_risk_when_the_parent_fails() -> None:
    _, scenarios = scenarios_of(
        {
            "resources": {
                "instances": [
                    {"id": "i-1", "zone": "us-east-1a", "tags": {"Service": "video"}},
                    {"id": "i-2", "zone": "us-east-1-lax-1a", "tags": {"Service": "video"}},
                    {"id": "i-3", "zone": "us-east-1-lax-1a", "tags": {"Service": "chat"}},
                    {"id": "i-4", "zone": "us-east-1b", "tags": {"Service": "chat"}},
                ]
            }
        }
    )
    assert outcomes(scenarios, "ue1-az1") == {
        "tag/Service=video": ("at-risk", 0.5),  # what is left hangs off the failed parent
        "tag/Service=chat": ("at-risk", 1.0),  # nothing lost, half at risk
    }
    [scenario] = scenarios.find("ue1-az1")
    video = next(o for o in scenario.workloads if o.workload.id == "tag/Service=video")
    assert video.capacity_at_risk == 0.5


def test_load_balancer_capacity_is_targets_taking_traffic_in_enabled_zones() -> None:
    _, scenarios = scenarios_of(
        {
            "resources": {
                "instances": [
                    {"id": "i-a", "zone": "us-east-1a"},
                    {"id": "i-b", "zone": "us-east-1b"},
                    {"id": "i-c", "zone": "us-east-1c"},
                    {"id": "i-stopped", "zone": "us-east-1b", "state": "stopped"},
                ],
                "load_balancers": [
                    {"id": "alb", "zones": ["us-east-1a", "us-east-1b"]},
                    {"id": "nlb", "type": "network", "zones": ["us-east-1a", "us-east-1b"]},
                    {"id": "sick", "type": "network", "zones": ["us-east-1a", "us-east-1b"]},
                ],
                "target_groups": [
                    {
                        "id": "alb-tg",
                        "load_balancer_arns": ["alb"],
                        "targets": [
                            {"id": "i-a", "health_state": "healthy"},
                            {"id": "i-b", "health_state": "healthy"},
                            {"id": "i-c", "health_state": "healthy"},  # zone not enabled
                            {"id": "i-stopped", "health_state": "unused"},
                        ],
                    },
                    {
                        "id": "nlb-tg",
                        "load_balancer_arns": ["nlb"],
                        "targets": [
                            {"id": "i-a", "health_state": "healthy"},
                            {"id": "i-b", "health_state": "draining"},
                        ],
                    },
                    {
                        "id": "sick-tg",
                        "load_balancer_arns": ["sick"],
                        "targets": [
                            {"id": "i-a", "health_state": "unhealthy"},
                            {"id": "i-b", "health_state": "unhealthy"},
                        ],
                    },
                ],
            }
        }
    )
    assert outcomes(scenarios, "ue1-az1")["elbv2/alb"] == ("degraded", 0.5)
    assert outcomes(scenarios, "ue1-az1")["elbv2/nlb"] == ("down", 0.0)
    assert outcomes(scenarios, "ue1-az2")["elbv2/nlb"] == ("survives", 1.0)
    assert outcomes(scenarios, "ue1-az1")["elbv2/sick"] == ("degraded", 0.5)  # fails open
    assert "elbv2/alb" not in outcomes(scenarios, "ue1-az3")
    [scenario] = scenarios.find("ue1-az1")
    served = {o.workload.id: o.workload.serving_zones for o in scenario.workloads}
    # NLB: cross-zone off by default, so only zones with targets of their own take traffic
    assert served["elbv2/nlb"] == ["us-east-1a"]
    assert served["elbv2/alb"] == ["us-east-1a", "us-east-1b"]


def test_classic_load_balancer_and_standalone_instances() -> None:
    _, scenarios = scenarios_of(
        {
            "resources": {
                "instances": [
                    {"id": "i-a", "zone": "us-east-1a"},
                    {"id": "i-b", "zone": "us-east-1b"},
                    {"id": "i-lonely", "zone": "us-east-1b"},
                ],
                "classic_load_balancers": [
                    {"id": "legacy", "zones": ["us-east-1a"], "instance_ids": ["i-a", "i-b"]}
                ],
            }
        }
    )
    assert outcomes(scenarios, "ue1-az1") == {"elb/legacy": ("down", 0.0)}
    assert outcomes(scenarios, "ue1-az2") == {"i-lonely": ("down", 0.0)}  # i-b serves nothing
    [region] = scenarios.find("us-east-1")
    assert region.totals["workloads_down"] == 2  # i-a and i-b belong to the load balancer


def test_domains_are_ranked_worst_first_and_unused_local_zones_are_left_out() -> None:
    _, scenarios = scenarios_of(
        {
            "resources": {
                "instances": [
                    {"id": "i-1", "zone": "us-east-1a"},
                    {"id": "i-2", "zone": "us-east-1a"},
                    {"id": "i-3", "zone": "us-east-1b"},
                ]
            }
        }
    )
    ids = [s.domain.id for s in scenarios.scenarios]
    assert ids[:3] == ["us-east-1", "ue1-az1", "ue1-az2"]
    # the fragment's catalog opts in to its Local Zones; a zone nobody opted into is not shown
    assert "ue1-lax1-az1" in ids
    _, unopted = scenarios_of(
        {
            "zones": [
                az("us-east-1a", "use1-az1"),
                {
                    **local_zone("us-east-1-bos-1a", "use1-bos1-az1", "us-east-1a", "use1-az1"),
                    "opt_in_status": "not-opted-in",
                },
            ],
            "resources": {"instances": [{"id": "i-1", "zone": "us-east-1a"}]},
        }
    )
    assert [s.domain.id for s in unopted.scenarios] == [
        "use1-az1",
        "us-east-1",
    ]  # ties: zones first
