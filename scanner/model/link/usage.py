"""Who uses what: Auto Scaling membership, volume attachment and backups, AMIs in use."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scanner.model.link.index import Document, Index
from scanner.model.link.timeparse import parse_time

ASG_TAG = "aws:autoscaling:groupName"
# Root device names AWS uses when the snapshot does not record the instance's own.
_DEFAULT_ROOT_DEVICES = frozenset({"/dev/xvda", "/dev/sda1", "/dev/sda"})


def link_usage(index: Index) -> None:
    _link_auto_scaling_membership(index)
    _link_volumes(index)
    _link_images_in_use(index)


def _link_auto_scaling_membership(index: Index) -> None:
    managed_by: dict[tuple[str, str, str], str] = {}
    for asg in index.of_type("auto_scaling_group"):
        for member in asg.get("instances", []):
            managed_by[(asg["account"], asg["region"], member["id"])] = asg["id"]
    for instance in index.of_type("instance"):
        key = (instance["account"], instance["region"], instance["id"])
        asg_name = managed_by.get(key) or instance.get("tags", {}).get(ASG_TAG)
        root = instance.get("root_device_type")
        instance["facts"].update(
            {
                "asg_name": asg_name,
                "asg_managed": asg_name is not None,
                "ebs_backed": None if root is None else root == "ebs",
            }
        )


def _link_volumes(index: Index) -> None:
    newest: dict[tuple[str, str, str], tuple[tuple, Document]] = {}  # (its _started, snapshot)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for snapshot in index.of_type("snapshot"):
        if snapshot.get("state") != "completed" or not snapshot.get("volume_id"):
            continue
        key = (snapshot["account"], snapshot["region"], snapshot["volume_id"])
        counts[key] += 1
        current = newest.get(key)
        started = _started(snapshot)
        if current is None or started > current[0]:
            newest[key] = (started, snapshot)
    for volume in index.of_type("volume"):
        key = (volume["account"], volume["region"], volume["id"])
        attachments = volume.get("attachments", [])
        latest = newest[key][1] if key in newest else None
        volume["facts"].update(
            {
                "in_use": volume.get("state") == "in-use" or bool(attachments),
                "attached_instance_ids": sorted({a["instance_id"] for a in attachments}),
                "boot": _is_boot_volume(volume, index),
                "newest_snapshot": None
                if latest is None
                else {"id": latest["id"], "start_time": latest.get("start_time")},
                "snapshot_count": counts.get(key, 0),
            }
        )


def _started(snapshot: Document) -> tuple:
    moment = parse_time(snapshot.get("start_time"))
    return (moment is not None, moment.timestamp() if moment else 0.0, snapshot["id"])


def _is_boot_volume(volume: Document, index: Index) -> bool | None:
    """Attached at an instance's root device; null when the instance is not in the snapshot."""
    unknown = False
    for attachment in volume.get("attachments", []):
        instance = index.get(
            "instance", volume["account"], volume["region"], attachment["instance_id"]
        )
        if instance is None:
            unknown = True
            continue
        root = instance.get("root_device_name")
        roots = {root} if root else _DEFAULT_ROOT_DEVICES
        if attachment.get("device") in roots:
            return True
    return None if unknown else False


def _link_images_in_use(index: Index) -> None:
    users: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)

    def use(region: str, image_id: str | None, kind: str, user: Document) -> None:
        if image_id:
            users[(region, image_id)].add((kind, user["id"], user["account"]))

    for instance in index.of_type("instance"):
        if instance.get("state") != "terminated":
            use(instance["region"], instance.get("image_id"), "instance", instance)
    for configuration in index.of_type("launch_configuration"):
        use(
            configuration["region"],
            configuration.get("image_id"),
            "launch_configuration",
            configuration,
        )
    for asg in index.of_type("auto_scaling_group"):
        for image_id in asg.get("image_ids", []):
            use(asg["region"], image_id, "auto_scaling_group", asg)
        version = _launch_template_version(asg, index)
        if version is not None:
            use(asg["region"], version.get("image_id"), "launch_template_version", version)
    for image in index.of_type("image"):
        used = sorted(users.get((image["region"], image["id"]), ()))
        image["facts"]["in_use"] = bool(used)
        image["facts"]["used_by"] = [{"type": t, "id": i, "account": a} for t, i, a in used]


def _launch_template_version(asg: Document, index: Index) -> Document | None:
    """The launch template version an ASG launches: a number, ``$Latest`` or ``$Default``."""
    template: dict[str, Any] = asg.get("launch_template") or {}
    if not (template.get("id") or template.get("name")):
        return None
    versions = [
        version
        for version in index.in_unit("launch_template_version", asg["account"], asg["region"])
        if (template.get("id") and version.get("launch_template_id") == template["id"])
        or (not template.get("id") and version.get("launch_template_name") == template.get("name"))
    ]
    wanted = template.get("version") or "$Default"
    if wanted == "$Latest":
        flagged = [v for v in versions if v.get("is_latest")]
        return max(flagged or versions, key=lambda v: v["version_number"], default=None)
    if wanted == "$Default":
        return next((v for v in versions if v.get("is_default")), None)
    return next((v for v in versions if str(v["version_number"]) == str(wanted)), None)
