"""EC2 placement groups, listed only where an instance of the unit is in one.

``DescribePlacementGroups`` has no pagination and answers for the whole Region
in one request, so a unit whose instances use no placement group makes no call
at all (most estates), and one that does makes exactly one.
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext
from scanner.collect.normalize import tags_to_dict


def collect_placement_groups(
    ctx: UnitContext, instances: list[dict[str, Any]] | None
) -> list[dict[str, Any]] | None:
    """Every placement group of the Region, when an instance uses one; ``[]`` when none does.

    ``None`` when the call failed, or when instances could not be listed (then
    nobody can tell whether the groups were needed).
    """
    if instances is None:
        return None
    if not any(instance.get("placement_group_name") for instance in instances):
        return []
    response = ctx.call("ec2", "DescribePlacementGroups")
    if response is None:
        return None
    records = []
    for group in response.get("PlacementGroups", []):
        name = group["GroupName"]
        group_id = group.get("GroupId") or name
        arn = group.get("GroupArn") or ctx.arn("ec2", f"placement-group/{name}")
        record = ctx.base(name, arn, tags_to_dict(group.get("Tags")))
        record.update(
            group_id=group_id,
            strategy=group.get("Strategy"),
            state=group.get("State"),
            partition_count=group.get("PartitionCount"),
            spread_level=group.get("SpreadLevel"),
        )
        records.append(record)
    return records
