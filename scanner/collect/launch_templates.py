"""The launch template versions Auto Scaling groups use, and the AMIs they launch.

Versions named ``$Latest`` / ``$Default`` (or left unset, which means
``$Default``) are fetched for every template in one paginated call without a
template id (``Versions=['$Latest', '$Default']``). Only pinned numeric
versions need a call per template, because EC2 accepts numbered versions only
together with one template.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from scanner.collect.context import UnitContext

ALIASES = ("$Latest", "$Default")


@dataclass(frozen=True)
class TemplateRef:
    """A launch template as an Auto Scaling group names it."""

    template_id: str | None
    template_name: str | None
    version: str  # "$Latest", "$Default" or a number

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> TemplateRef:
        return cls(
            spec.get("LaunchTemplateId"),
            spec.get("LaunchTemplateName"),
            spec.get("Version") or "$Default",
        )

    @property
    def key(self) -> str:
        return self.template_id or f"name:{self.template_name}"


@dataclass
class TemplateVersions:
    """Collected versions (``records``), resolvable from a :class:`TemplateRef`."""

    records: list[dict[str, Any]]
    complete: bool  # False when a call failed: the records are then not the whole picture

    def resolve(self, ref: TemplateRef) -> dict[str, Any] | None:
        candidates = [
            record
            for record in self.records
            if record["launch_template_id"] == ref.template_id
            or (ref.template_id is None and record["launch_template_name"] == ref.template_name)
        ]
        for record in candidates:
            if ref.version == "$Latest" and record.get("is_latest"):
                return record
            if ref.version == "$Default" and record.get("is_default"):
                return record
            if ref.version == str(record["version_number"]):
                return record
        return None


def collect_versions(ctx: UnitContext, refs: set[TemplateRef]) -> TemplateVersions:
    """Fetch exactly the versions ``refs`` name, batched as described above."""
    by_key: dict[tuple[str, int], dict[str, Any]] = {}
    complete = True
    if any(ref.version in ALIASES for ref in refs):
        versions = ctx.pages(
            "ec2",
            "DescribeLaunchTemplateVersions",
            "LaunchTemplateVersions",
            Versions=list(ALIASES),
        )
        if versions is None:
            complete = False
        else:
            latest: dict[str, int] = {}
            for version in versions:
                template_id = version["LaunchTemplateId"]
                latest[template_id] = max(latest.get(template_id, 0), version["VersionNumber"])
            for version in versions:
                record = _record(ctx, version)
                record["is_latest"] = (
                    version["VersionNumber"] == latest[record["launch_template_id"]]
                )
                by_key[(record["launch_template_id"], record["version_number"])] = record
    pinned: dict[str, set[str]] = defaultdict(set)
    first_ref: dict[str, TemplateRef] = {}
    for ref in refs:
        if ref.version not in ALIASES:
            pinned[ref.key].add(ref.version)
            first_ref.setdefault(ref.key, ref)
    for key, numbers in sorted(pinned.items()):
        ref = first_ref[key]
        selector = (
            {"LaunchTemplateId": ref.template_id}
            if ref.template_id
            else {"LaunchTemplateName": ref.template_name}
        )
        # Per template: EC2 takes numbered versions only for one template per call.
        versions = ctx.pages(
            "ec2",
            "DescribeLaunchTemplateVersions",
            "LaunchTemplateVersions",
            Versions=sorted(numbers),
            **selector,
        )
        if versions is None:
            complete = False
            continue
        for version in versions:
            record = _record(ctx, version)
            existing = by_key.get((record["launch_template_id"], record["version_number"]))
            if existing is None:
                by_key[(record["launch_template_id"], record["version_number"])] = record
    records = sorted(by_key.values(), key=lambda r: (r["launch_template_id"], r["version_number"]))
    return TemplateVersions(records=records, complete=complete)


def _record(ctx: UnitContext, version: dict[str, Any]) -> dict[str, Any]:
    template_id = version["LaunchTemplateId"]
    number = version["VersionNumber"]
    # A version has no ARN of its own; the template's ARN plus ":N" keeps identities unique.
    record = ctx.base(
        f"{template_id}:{number}", ctx.arn("ec2", f"launch-template/{template_id}:{number}"), {}
    )
    record.update(
        launch_template_id=template_id,
        launch_template_name=version.get("LaunchTemplateName"),
        version_number=number,
        is_default=version.get("DefaultVersion"),
        is_latest=None,
        image_id=version.get("LaunchTemplateData", {}).get("ImageId"),
        # "spot" when the version requests Spot Instances; null for On-Demand.
        market_type=(version.get("LaunchTemplateData", {}).get("InstanceMarketOptions") or {}).get(
            "MarketType"
        ),
    )
    return record
