"""Where backups live, in the demo estate: a Local Zone volume backed up only in its zone.

us-west-2-lax-1a
  - ``edge-cache``: an instance in the Local Zone with a data volume tagged
    ``backup=edge-local``. The Region's default snapshot policy excludes that
    tag; an ``edge local snapshots`` DLM policy (resource location LOCAL_ZONE)
    snapshots it every 6 hours with ``CreateRule.Location`` LOCAL_ZONE, so every
    snapshot stays in the zone it is meant to survive (``backup-only-in-zone``).
"""

from __future__ import annotations

import datetime as dt

from scanner.demo.regions import RECOVERY
from scanner.mockaws import DlmStandIn, backdate
from scanner.mockaws.estate import ClientFor, Estate, launch_instances, tag_policy, tag_spec

EDGE_ZONE = "us-west-2-lax-1a"
EDGE_LOCAL_TAG = ("backup", "edge-local")  # excluded from the Region's default policy
RESOURCE_AGE = dt.timedelta(days=20)


def seed_protection(client: ClientFor, dlm: DlmStandIn, estate: Estate) -> None:
    """Seed the edge cache and its zone-local DLM policy; adds their ids to ``estate.facts``."""
    ec2 = client("ec2", RECOVERY)
    subnet = ec2.describe_subnets(Filters=[{"Name": "availability-zone", "Values": [EDGE_ZONE]}])[
        "Subnets"
    ][0]["SubnetId"]
    (instance,) = launch_instances(
        ec2, estate.facts["web_ami_copy"], subnet, tags={"Name": "edge-cache"}
    )
    volume = ec2.create_volume(
        AvailabilityZone=EDGE_ZONE,
        Size=50,
        VolumeType="gp3",
        TagSpecifications=tag_spec(
            "volume", {"Name": "edge-cache", EDGE_LOCAL_TAG[0]: EDGE_LOCAL_TAG[1]}
        ),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    for resource in (instance, volume):
        backdate(resource, region=RECOVERY, age=RESOURCE_AGE)
    policy = tag_policy(
        dlm,
        RECOVERY,
        description="edge local snapshots",
        state="ENABLED",
        policy_type="EBS_SNAPSHOT_MANAGEMENT",
        resource_types=["VOLUME"],
        resource_locations=["LOCAL_ZONE"],
        target_tags=dict([EDGE_LOCAL_TAG]),
        schedules=[
            {
                "Name": "every-6-hours",
                "CreateRule": {"Interval": 6, "IntervalUnit": "HOURS", "Location": "LOCAL_ZONE"},
                "RetainRule": {"Count": 8},
            }
        ],
    )
    estate.facts.update(edge_cache_volume=volume, dlm_edge_local=policy)
