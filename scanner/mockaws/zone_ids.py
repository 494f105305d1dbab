"""Per-account zone ids for moto, whose zone table maps every account's names to the same ids.

AWS maps Availability Zone names to physical zones independently for each
account: "us-east-1a for your AWS account might not be the same physical
location as us-east-1a for another AWS account", while the zone id
(``use1-az1``) names the same zone everywhere
(https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html).
moto keeps one class-level zone table for every account, so
:func:`map_zone_ids` gives one account's EC2 backend in one Region its own
copy of the table, with the ids permuted among the Region's zones. Subnets,
instances and ``DescribeAvailabilityZones`` in that account then report the
remapped ids (Local Zones keep theirs and follow their parent's new id).
Call it inside ``mock_aws()`` before seeding the account; moto's reset at the
end of the mock drops it with the backend.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping

from moto.ec2.models import ec2_backends
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend


def map_zone_ids(account_id: str, region: str, ids: Mapping[str, str]) -> None:
    """In ``account_id``'s ``region``, zone name ``n`` gets zone id ``ids[n]`` (a permutation)."""
    table = RegionsAndZonesBackend.zones.get(region, [])
    by_name = {zone.name: zone for zone in table}
    unknown = sorted(set(ids) - set(by_name))
    if unknown:
        raise ValueError(f"{region} has no zone named {', '.join(unknown)}")
    before = sorted(by_name[name].zone_id for name in ids)
    if sorted(ids.values()) != before:
        raise ValueError(
            f"zone ids must be a permutation of those of the zones named ({', '.join(before)}): "
            "every account sees every zone once"
        )
    remapped = []
    for zone in table:
        clone = copy.copy(zone)
        clone.zone_id = ids.get(zone.name, zone.zone_id)
        parent = getattr(zone, "parent_zone_name", None)
        if parent in ids:
            clone.parent_zone_id = ids[parent]  # type: ignore[attr-defined]
        remapped.append(clone)
    backend = ec2_backends[account_id][region]
    backend.zones = {**RegionsAndZonesBackend.zones, region: remapped}
