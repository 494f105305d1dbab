"""EC2 placement groups, which moto does not serve at all.

``DescribePlacementGroups`` is added to moto's EC2 responder (the same class
its in-process mock and its server both use) and answers from a table kept on
moto's EC2 backend of the (account, Region), so a moto reset clears it with
everything else; moto's own serializer renders it against botocore's model.
Seed it with :func:`add_placement_group` and put instances in a group with
:func:`scanner.mockaws.set_instance_options`. The handler is installed on first
use and stays: moto without it answers the call with an error, which nothing
relies on.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import botocore.session

DEFAULT_ACCOUNT = "123456789012"  # moto's default account

_LOCK = threading.Lock()
_TABLE = "stormproof_placement_groups"  # the attribute on moto's EC2 backend


def add_placement_group(
    name: str,
    strategy: str,
    *,
    region: str,
    account_id: str = DEFAULT_ACCOUNT,
    partition_count: int | None = None,
) -> str:
    """Register a placement group as CreatePlacementGroup would; returns its GroupId."""
    allowed = botocore.session.get_session().get_service_model("ec2").shape_for("PlacementStrategy")
    if strategy not in allowed.enum:
        raise ValueError(f"{strategy!r} is not a placement strategy ({', '.join(allowed.enum)})")
    _install()
    digest = hashlib.sha256(f"{account_id}:{region}:{name}".encode()).hexdigest()
    group_id = f"pg-{digest[:17]}"
    group: dict[str, Any] = {
        "GroupName": name,
        "GroupId": group_id,
        "GroupArn": f"arn:aws:ec2:{region}:{account_id}:placement-group/{name}",
        "State": "available",
        "Strategy": strategy,
        "Tags": [],
    }
    if strategy == "partition":
        group["PartitionCount"] = partition_count or 2
    if strategy == "spread":
        group["SpreadLevel"] = "rack"
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[account_id][region]
    with _LOCK:
        if not hasattr(backend, _TABLE):
            setattr(backend, _TABLE, {})
        getattr(backend, _TABLE)[name] = group
    return group_id


def _describe_placement_groups(self: Any) -> Any:
    from moto.core.responses import ActionResult

    with _LOCK:
        groups = list(getattr(self.ec2_backend, _TABLE, {}).values())
    names = self._get_param("GroupNames", [])
    if names:
        groups = [group for group in groups if group["GroupName"] in names]
    return ActionResult({"PlacementGroups": groups})


def _install() -> None:
    from moto.ec2.responses import EC2Response

    if getattr(EC2Response, "describe_placement_groups", None) is not _describe_placement_groups:
        EC2Response.describe_placement_groups = _describe_placement_groups  # type: ignore[attr-defined]
