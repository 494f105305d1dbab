"""Age for moto's resources, which are all created "now".

Policies judge age: a snapshot younger than a day is given time to be copied,
a volume whose newest snapshot is a month old has no recent backup. In a real
account those ages come from history; in moto every resource is seconds old.
:func:`backdate` moves a resource's creation time into the past on moto's
in-process backend objects, so the API reports it the way AWS reports an old
resource (``StartTime``, ``CreationDate``, ``CreateTime``, ``LaunchTime``). It
never edits a snapshot file: the collector observes the backdated time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_ACCOUNT = "123456789012"  # moto's default account

# Resource id prefix -> (backend collection, attribute holding the creation time).
_CLOCKS: dict[str, tuple[str, str]] = {
    "snap-": ("snapshots", "start_time"),
    "ami-": ("amis", "creation_date"),
    "vol-": ("volumes", "create_time"),
}


def _ec2_backend(account_id: str, region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account_id][region]


def backdate(
    resource_id: str,
    *,
    region: str,
    age: dt.timedelta,
    account_id: str = DEFAULT_ACCOUNT,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """Make a snapshot, AMI, volume or instance ``age`` old; returns its new creation time.

    ``now`` defaults to the current time. moto keeps naive UTC datetimes for
    snapshots, volumes and instances and aware ones for AMIs; the new value keeps
    the kind moto used, so its serializers render it unchanged.
    """
    if age < dt.timedelta(0):
        raise ValueError(f"{resource_id}: age must not be negative (got {age})")
    backend = _ec2_backend(account_id, region)
    if resource_id.startswith("i-"):
        target, attribute = backend.get_instance(resource_id), "launch_time"
    else:
        prefix = next((p for p in _CLOCKS if resource_id.startswith(p)), None)
        if prefix is None:
            raise ValueError(f"{resource_id}: backdate handles snap-, ami-, vol- and i- ids")
        collection, attribute = _CLOCKS[prefix]
        target = getattr(backend, collection).get(resource_id)
        if target is None:
            raise KeyError(f"{resource_id}: not found in moto's {region} backend")
    current = getattr(target, attribute)
    moment = (now or dt.datetime.now(dt.UTC)) - age
    if isinstance(current, dt.datetime) and current.tzinfo is None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    setattr(target, attribute, moment)
    return moment
