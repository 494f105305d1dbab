"""Which snapshots and AMIs have a copy in another Region.

A copy names its source the way AWS records it: an AMI's ``SourceImageId`` and
``SourceImageRegion``, or the ``[Copied snap-… from REGION]`` / ``[Copied ami-…
from REGION]`` description. A snapshot or AMI made by a DLM policy (tag
``aws:dlm:lifecycle-policy-id``) whose schedules copy to another Region counts as
copied there. A snapshot backing an AMI shares that AMI's copies. A copy made
from another Region is itself a copy (``copy_of``), never judged as uncopied.
"""

from __future__ import annotations

import re
from collections import defaultdict
from operator import itemgetter
from typing import Any

from scanner.model.link.dlm import copy_target_regions
from scanner.model.link.index import Document, Index

DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id"
_COPY_ORDER = itemgetter("region", "account", "id")
_COPIED = re.compile(r"\[Copied ((?:snap|ami)-[0-9a-zA-Z]+) from ([a-z0-9-]+)\]")


def link_copies(index: Index) -> None:
    images = index.of_type("image")
    snapshots = index.of_type("snapshot")
    for image in images:
        image["facts"]["copy_of"] = _image_source(image)
    for snapshot in snapshots:
        snapshot["facts"]["copy_of"] = _described_source(snapshot, "snap-")
    _record_copies(images, index)
    _record_copies(snapshots, index)
    for image in images:
        image["facts"]["copy_regions"] = _copy_regions(image, index, [])
    backed_by = _images_by_snapshot(images)
    for snapshot in snapshots:
        backing = backed_by.get((snapshot["account"], snapshot["region"], snapshot["id"]), [])
        snapshot["facts"]["image_ids"] = sorted(image["id"] for image in backing)
        if snapshot["facts"]["copy_of"] is None:
            snapshot["facts"]["copy_of"] = next(
                (_via_image(image) for image in backing if image["facts"]["copy_of"]), None
            )
        inherited = [region for image in backing for region in image["facts"]["copy_regions"]]
        snapshot["facts"]["copy_regions"] = _copy_regions(snapshot, index, inherited)


def _image_source(image: Document) -> dict[str, Any] | None:
    region = image.get("source_image_region")
    if image.get("source_image_id") and region:
        if region == image["region"]:
            return None  # a copy within the Region is a primary, judged like any other
        return {"id": image["source_image_id"], "region": region, "via": "source_image"}
    return _described_source(image, "ami-")


def _described_source(doc: Document, prefix: str) -> dict[str, Any] | None:
    match = _COPIED.search(doc.get("description") or "")
    if match is None or not match.group(1).startswith(prefix) or match.group(2) == doc["region"]:
        return None
    return {"id": match.group(1), "region": match.group(2), "via": "description"}


def _record_copies(documents: list[Document], index: Index) -> None:
    """Give every source the copies that name it, whatever account or Region they are in."""
    by_region_id: dict[tuple[str, str], list[Document]] = defaultdict(list)
    for doc in documents:
        by_region_id[(doc["region"], doc["id"])].append(doc)
        doc["facts"]["copies"] = []
    for copy in documents:
        source = copy["facts"]["copy_of"]
        if source is None:
            continue
        for original in by_region_id.get((source["region"], source["id"]), []):
            original["facts"]["copies"].append(
                {
                    "id": copy["id"],
                    "account": copy["account"],
                    "region": copy["region"],
                    "via": source["via"],
                }
            )
    for doc in documents:
        copies = doc["facts"]["copies"]
        if len(copies) > 1:
            copies.sort(key=_COPY_ORDER)


def _copy_regions(doc: Document, index: Index, inherited: list[str]) -> list[str]:
    regions = {copy["region"] for copy in doc["facts"]["copies"]} | set(inherited)
    policy_id = (doc.get("tags") or {}).get(DLM_POLICY_TAG)
    doc["facts"]["dlm_policy_id"] = policy_id
    if policy_id:
        policy = index.get("dlm_policy", doc["account"], doc["region"], policy_id)
        if policy is not None:
            regions.update(copy_target_regions(policy))
    regions.discard(doc["region"])
    return sorted(regions)


def _images_by_snapshot(images: list[Document]) -> dict[tuple[str, str, str], list[Document]]:
    backing: dict[tuple[str, str, str], list[Document]] = defaultdict(list)
    for image in images:
        for snapshot_id in image.get("snapshot_ids", []):
            backing[(image["account"], image["region"], snapshot_id)].append(image)
    return backing


def _via_image(image: Document) -> dict[str, Any]:
    source = image["facts"]["copy_of"]
    return {"id": source["id"], "region": source["region"], "via": "image"}
