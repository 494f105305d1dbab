"""The linked model: the snapshot's observations plus the facts Python derives from them.

Policies and reports read this, never the raw snapshot. Every resource document
keeps the snapshot record's fields and gains a ``facts`` object (documented in
``schemas/model.schema.json``); derived types such as ``fleet`` exist only here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class LinkedModel:
    snapshot: dict[str, Any]  # the snapshot minus its resource records (link.snapshot_header)
    resources: dict[str, list[dict[str, Any]]]  # resource type name -> documents with "facts"
    zones: list[dict[str, Any]]  # the zone catalog: snapshot zone records plus "account"
    errors: list[dict[str, Any]] = field(default_factory=list)  # global and per-unit errors

    def of_type(self, name: str) -> list[dict[str, Any]]:
        return self.resources.get(name, [])
