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


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_pattern(p).pattern})" for p in patterns), re.DOTALL)


class Selection:
    """One backup selection, compiled once per unit: its ARN patterns joined into one
    expression per kind, its tag conditions as (key, value) pairs."""

    __slots__ = ("_all", "_conditions", "_explicit", "_not", "_tags", "_wide", "plan", "record")

    def __init__(self, plan: Document, record: dict[str, Any]):
        self.plan, self.record = plan, record
        resources = list(record.get("resources") or [])
        self._tags = [
            (_tag_key(tag.get("key")), tag.get("value") or "")
            for tag in record.get("list_of_tags") or []
        ]
        self._all = not resources and not self._tags  # every supported, opted-in resource
        self._explicit = {
            kind: _alternation([p for p in resources if _names_type(p, kind)])
            for kind in _TYPE_PREFIX
        }
        self._wide = _alternation(
            [p for p in resources if not any(_names_type(p, kind) for kind in _TYPE_PREFIX)]
        )
        self._not = _alternation(list(record.get("not_resources") or []))
        self._conditions = record.get("conditions") or {}

    def selects(self, resource: Document, resource_type: str, opted_in: bool) -> bool:
        """``resource_type`` is AWS Backup's: EC2 (an instance) or EBS (a volume)."""
        arn, tags = resource["arn"], resource.get("tags") or {}
        how = self._assigned(arn, tags, resource_type)
        if how is None or (how == WIDE and not opted_in):
            return False
        if self._conditions and not _conditions_hold(self._conditions, tags):
            return False
        return self._not is None or self._not.fullmatch(arn) is None

    @property
    def tag_pairs(self) -> list[tuple[str, str]]:
        return self._tags

    @property
    def by_tags_only(self) -> bool:
        """Assigns by ``ListOfTags`` alone: only a resource with one of those tags can match."""
        return bool(self._tags) and self._wide is None and not any(self._explicit.values())

    def _assigned(self, arn: str, tags: dict[str, str], resource_type: str) -> str | None:
        if self._all:
            return WIDE
        explicit = self._explicit[resource_type]
        if explicit is not None and explicit.fullmatch(arn):
            return EXPLICIT
        if self._wide is not None and self._wide.fullmatch(arn):
            return WIDE
        if any(tags.get(key) == value for key, value in self._tags):
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


class UnitSelections:
    """A unit's readable selections (a plan whose selections could not be read selects
    nothing here; its collection error makes coverage unknown). Selections that assign by
    tags alone are indexed by tag, so a resource meets only those its tags can match."""

    def __init__(self, plans: list[Document]):
        selections = [
            Selection(plan, selection)
            for plan in plans
            for selection in plan.get("selections") or []
        ]
        self.order = {id(selection): n for n, selection in enumerate(selections)}
        self.always = [s for s in selections if not s.by_tags_only]
        self.by_tag: dict[tuple[str, str], list[Selection]] = {}
        for selection in selections:
            if selection.by_tags_only:
                for pair in selection.tag_pairs:
                    self.by_tag.setdefault(pair, []).append(selection)

    def __bool__(self) -> bool:
        return bool(self.always or self.by_tag)

    def candidates(self, resource: Document) -> list[Selection]:
        """Selections that may select ``resource``, in the plans' order."""
        if not self.by_tag:
            return self.always
        found = {id(s): s for s in self.always}
        for pair in (resource.get("tags") or {}).items():
            for selection in self.by_tag.get(pair, ()):
                found[id(selection)] = selection
        return sorted(found.values(), key=lambda s: self.order[id(s)])
