"""Normalize what botocore returns: snake_case, tags as objects, UTC times, partition-aware ARNs.

Every service module goes through these helpers, so a tag list, a timestamp or
an ARN looks the same whichever API it came from.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import botocore.session
from botocore.exceptions import UnknownRegionError

UTC = dt.UTC

_PARTITION_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-iso-", "aws-iso"),
    ("us-isob-", "aws-iso-b"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


def tags_to_dict(tags: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> dict[str, str]:
    """``[{"Key": k, "Value": v}]`` (any casing) or a map → ``{k: v}``; ``None`` → ``{}``."""
    if not tags:
        return {}
    if isinstance(tags, Mapping):
        return {str(key): "" if value is None else str(value) for key, value in tags.items()}
    result: dict[str, str] = {}
    for tag in tags:
        key = tag.get("Key", tag.get("key"))
        if key is None:
            continue
        value = tag.get("Value", tag.get("value"))
        result[str(key)] = "" if value is None else str(value)
    return result


def iso_utc(value: dt.datetime | str | None) -> str | None:
    """A ``datetime`` or AWS time string → ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_utc() -> str:
    """The current time in the snapshot's format."""
    return iso_utc(dt.datetime.now(UTC))  # type: ignore[return-value]


def partition_of_region(region: str) -> str:
    """The partition a Region belongs to, by botocore's endpoint data, else by name prefix."""
    try:
        partition = _botocore_session().get_partition_for_region(region)
    except (ValueError, UnknownRegionError):
        partition = None
    if partition:
        return partition
    for prefix, name in _PARTITION_BY_PREFIX:
        if region.startswith(prefix):
            return name
    return "aws"


@functools.cache
def _botocore_session() -> botocore.session.Session:
    return botocore.session.get_session()


def partition_of_arn(arn: str) -> str | None:
    """``arn:aws-cn:sts::…`` → ``aws-cn``; ``None`` if it is not an ARN."""
    parts = arn.split(":", 2)
    return parts[1] if len(parts) >= 2 and parts[0] == "arn" and parts[1] else None


def make_arn(partition: str, service: str, region: str, account: str, resource: str) -> str:
    """Build an ARN; pass ``account=""`` for resources whose ARN omits it (snapshots, AMIs)."""
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def arn_resource(arn: str) -> str:
    """The resource part of an ARN: ``…:loadbalancer/app/web/1`` → ``loadbalancer/app/web/1``."""
    return arn.split(":", 5)[5] if arn.count(":") >= 5 else arn


def chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    """Consecutive slices of at most ``size`` items: batch requests stay within an API's limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
