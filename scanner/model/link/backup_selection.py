"""Which AWS Backup plans select a volume or an instance, as AWS documents resource assignment.

A selection (``BackupSelection``) assigns resources to its plan:

- ``Resources``: ARNs, ``*`` wildcards allowed, any one matching (OR);
  ``ListOfTags``: tag conditions, any one matching (OR); the two are OR'ed
  together. With neither, the selection assigns every supported, opted-in
  resource.
- ``Conditions``: every condition must hold (AND: ``StringEquals``,
  ``StringNotEquals``, ``StringLike``, ``StringNotLike`` on
  ``aws:ResourceTag/<key>``), filtering what the above assigned.
- ``NotResources``: ARNs (wildcards allowed) removed from the result.
- Opt-in: a resource assigned only by tags, or by a whole-service ARN such as
  ``arn:aws:ec2:*`` or ``*``, is protected only when its resource type (EC2
  for an instance, EBS for a volume) is opted in for the Region. A resource
  whose type the ARN names explicitly (``arn:aws:ec2:*:*:volume/*``) is backed
  up whatever the opt-in says, tags then filtering further.

- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_BackupSelection.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources-json.html
- https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Conditions.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scanner.model.link.index import Document

_TAG_PREFIX = "aws:ResourceTag/"
_TYPE_PREFIX = {"EC2": "instance/", "EBS": "volume/"}
EXPLICIT, WIDE = "explicit", "wide"


@lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern[str]:
    """An ARN (or tag value) with ``*`` (any run) and, for tags, ``?`` wildcards."""
    return re.compile(".*".join(re.escape(part) for part in text.split("*")), re.DOTALL)


@lru_cache(maxsize=4096)
def _like(text: str) -> re.Pattern[str]:
    parts = re.split(r"(\*|\?)", text)
    translated = "".join(
        ".*" if part == "*" else "." if part == "?" else re.escape(part) for part in parts
    )
    return re.compile(translated, re.DOTALL)


def _names_type(arn_pattern: str, resource_type: str) -> bool:
    """Whether an ARN pattern names the resource type itself (``...:volume/*``)."""
    parts = arn_pattern.split(":", 5)
    if len(parts) < 6 or parts[2] not in ("ec2", "*"):
        return False
    return parts[5].startswith(_TYPE_PREFIX[resource_type])


@dataclass(frozen=True)
class Selection:
    """One backup selection, compiled once per unit."""

    plan: Document
    record: dict[str, Any]

    def selects(self, resource: Document, resource_type: str, opted_in: bool) -> bool:
        """``resource_type`` is AWS Backup's: EC2 (an instance) or EBS (a volume)."""
        arn, tags = resource["arn"], resource.get("tags") or {}
        how = self._assigned(arn, tags, resource_type)
        if how is None or (how == WIDE and not opted_in):
            return False
        if not _conditions_hold(self.record.get("conditions") or {}, tags):
            return False
        return not any(_pattern(p).fullmatch(arn) for p in self.record.get("not_resources") or [])

    def _assigned(self, arn: str, tags: dict[str, str], resource_type: str) -> str | None:
        resources = self.record.get("resources") or []
        list_of_tags = self.record.get("list_of_tags") or []
        if not resources and not list_of_tags:
            return WIDE  # every supported, opted-in resource
        matched = [p for p in resources if _pattern(p).fullmatch(arn)]
        if any(_names_type(p, resource_type) for p in matched):
            return EXPLICIT
        if matched:
            return WIDE
        if any(_tag_equals(tags, tag.get("key"), tag.get("value")) for tag in list_of_tags):
            return WIDE
        return None


def _tag_key(key: str | None) -> str:
    key = key or ""
    return key[len(_TAG_PREFIX) :] if key.startswith(_TAG_PREFIX) else key


def _tag_equals(tags: dict[str, str], key: str | None, value: str | None) -> bool:
    found = tags.get(_tag_key(key))
    return found is not None and found == (value or "")


def _conditions_hold(conditions: dict[str, Any], tags: dict[str, str]) -> bool:
    """Every condition holds (AND). A missing tag equals nothing and is unlike everything."""
    for condition in conditions.get("string_equals") or []:
        if not _tag_equals(tags, condition.get("key"), condition.get("value")):
            return False
    for condition in conditions.get("string_not_equals") or []:
        if _tag_equals(tags, condition.get("key"), condition.get("value")):
            return False
    for condition in conditions.get("string_like") or []:
        found = tags.get(_tag_key(condition.get("key")))
        if found is None or not _like(condition.get("value") or "").fullmatch(found):
            return False
    for condition in conditions.get("string_not_like") or []:
        found = tags.get(_tag_key(condition.get("key")))
        if found is not None and _like(condition.get("value") or "").fullmatch(found):
            return False
    return True


def opted_in(settings: Document | None, resource_type: str) -> bool:
    """The Region's opt-in for EC2 or EBS.

    With no Region settings record (none collected, or a snapshot from before
    they were), AWS's own default holds: EC2 and EBS are opted in. A failed
    DescribeRegionSettings is a collection error, which makes the judgement
    unknown rather than reaching here.
    """
    if settings is None:
        return True
    return (settings.get("resource_type_opt_in") or {}).get(resource_type) is True


def unit_selections(plans: list[Document]) -> list[Selection]:
    """Every readable selection of a unit's plans (a plan whose selections could not be
    read selects nothing here; its collection error makes coverage unknown)."""
    return [
        Selection(plan, selection) for plan in plans for selection in plan.get("selections") or []
    ]
