"""Linking: derive the facts policies judge, from a snapshot's observations.

Python derives facts; YAML judges. Facts are recomputed every time a snapshot is
loaded, so an old snapshot benefits from better linking. Every fact is declared
in :mod:`scanner.model.link.facts` and documented in ``schemas/model.schema.json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from scanner.model.link.balancing import link_balancing
from scanner.model.link.copies import link_copies
from scanner.model.link.dlm import link_dlm_policies
from scanner.model.link.fleets import DEFAULT_FLEET_TAG_KEYS, build_fleets
from scanner.model.link.index import Index, documents_from_snapshot
from scanner.model.link.membership import link_membership
from scanner.model.link.placement import link_placement
from scanner.model.link.protection import link_protection
from scanner.model.link.recovery_points import RecoveryPoints
from scanner.model.link.timeparse import parse_time
from scanner.model.link.usage import link_usage
from scanner.model.link.zone_resilience import link_zone_resilience
from scanner.model.link.zones import ZoneCatalog
from scanner.model.linked import LinkedModel

__all__ = ["DEFAULT_FLEET_TAG_KEYS", "collection_errors", "link_snapshot", "snapshot_header"]

_DOCUMENT_ORDER = itemgetter("account", "region", "id", "arn")


def link_snapshot(
    snapshot: dict[str, Any],
    *,
    fleet_tag_keys: Sequence[str] = DEFAULT_FLEET_TAG_KEYS,
    consume: bool = False,
) -> LinkedModel:
    """Join the snapshot's records into documents with ``facts``; add derived fleets.

    The snapshot is left untouched unless ``consume`` is set: then its records
    become the documents themselves (no copy, a third less memory at scale) and
    the caller must not use the snapshot afterwards.
    """
    resources = documents_from_snapshot(snapshot, take_records=consume)
    index = Index(resources)
    zones = ZoneCatalog(snapshot)
    errors = collection_errors(snapshot)
    link_placement(index, zones)
    failed = (
        (e["service"], e.get("operation"), e["resource"]) for e in errors if e.get("resource")
    )
    missing = link_balancing(index, failed)
    link_usage(index)
    link_dlm_policies(index)
    recovery_points = RecoveryPoints(index)
    link_copies(index, recovery_points, parse_time(snapshot.get("finished_at")))
    missing += link_protection(index, recovery_points)
    link_zone_resilience(index)
    resources["fleet"] = build_fleets(index, zones, tuple(fleet_tag_keys))
    link_membership(index, resources["fleet"])
    for documents in resources.values():
        documents.sort(key=_DOCUMENT_ORDER)
    return LinkedModel(
        snapshot=snapshot_header(snapshot),
        resources=resources,
        zones=zones.records,
        # What failed to be collected, then what an answer lacked (see ``gaps``).
        errors=errors + missing,
    )


def snapshot_header(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without its resource records, which now live on in the documents.

    Reports and evaluation read the snapshot's scope, times and errors; keeping
    only those lets the caller drop the raw records (about a third of a scan's
    memory at a million resources).
    """
    header = {key: value for key, value in snapshot.items() if key != "units"}
    header["units"] = [
        {key: value for key, value in unit.items() if key != "resources"}
        for unit in snapshot.get("units", [])
    ]
    return header


def collection_errors(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Global and per-unit error entries; each names its account, Region and service."""
    errors = [dict(error) for error in snapshot.get("errors", [])]
    for unit in snapshot.get("units", []):
        for error in unit.get("errors", []):
            errors.append(
                {
                    **error,
                    "account": error.get("account") or unit["account"],
                    "region": error.get("region") or unit["region"],
                }
            )
    return errors
