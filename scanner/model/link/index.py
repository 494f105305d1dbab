"""Lookups across the snapshot's documents, built once so linking stays linear in its size."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from scanner.model.resource_types import RESOURCE_TYPES

Document = dict[str, Any]


def documents_from_snapshot(
    snapshot: dict[str, Any], *, take_records: bool = False
) -> dict[str, list[Document]]:
    """One document per snapshot record: its fields (shallow copy) plus an empty ``facts``.

    With ``take_records`` the records themselves become the documents, saving a
    copy of every record (the snapshot is then consumed and must not be reused).
    """
    resources: dict[str, list[Document]] = {name: [] for name in RESOURCE_TYPES}
    for unit in snapshot.get("units", []):
        observed = unit.get("resources", {})
        for resource_type in RESOURCE_TYPES.values():
            if resource_type.snapshot_key is None:
                continue
            for record in observed.get(resource_type.snapshot_key, []):
                document = record if take_records else dict(record)
                document.setdefault("account", unit["account"])
                document.setdefault("region", unit["region"])
                document["facts"] = {}
                resources[resource_type.name].append(document)
    return resources


class Index:
    """Documents by (account, Region, id), by unit, and by ARN.

    Any document can be found by ARN; the id and unit tables are built for a
    type the first time it is looked up, since most types never are (snapshots,
    volumes and images are a million documents that nothing looks up by id).
    """

    def __init__(self, resources: dict[str, list[Document]]):
        self.resources = resources
        self._types = dict(resources)  # the lists as they are now, whatever is added later
        self._by_id: dict[str, dict[tuple[str, str, str], Document]] = {}
        self._by_unit: dict[str, dict[tuple[str, str], list[Document]]] = {}
        # Some records describe another resource under its own ARN (ARC zonal shift's managed
        # resources, AWS Backup's protected resources): the resource itself, in registry order
        # first, keeps the ARN.
        self._by_arn: dict[str, Document] = {}
        for documents in resources.values():
            for document in documents:
                self._by_arn.setdefault(document["arn"], document)

    def get(self, type_name: str, account: str, region: str, resource_id: str) -> Document | None:
        table = self._by_id.get(type_name)
        if table is None:
            table = self._by_id[type_name] = {
                (document["account"], document["region"], document["id"]): document
                for document in self._types.get(type_name, [])
            }
        return table.get((account, region, resource_id))

    def in_unit(self, type_name: str, account: str, region: str) -> list[Document]:
        table = self._by_unit.get(type_name)
        if table is None:
            table = self._by_unit[type_name] = defaultdict(list)
            for document in self._types.get(type_name, []):
                table[(document["account"], document["region"])].append(document)
        return table.get((account, region), [])

    def by_arn(self, arn: str) -> Document | None:
        return self._by_arn.get(arn)

    def of_type(self, type_name: str) -> list[Document]:
        return self.resources.get(type_name, [])
