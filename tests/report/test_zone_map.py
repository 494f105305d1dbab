"""The zone map groups Local Zones under their parent AZ and counts failure domains."""

from __future__ import annotations

from scanner.report.context import build_scan_report, fleet_summary
from scanner.report.zone_map import build_zone_maps
from tests.report.factories import (
    OTHER_ACCOUNT,
    evaluation,
    linked_model,
    us_east_1_zones,
    zone,
)
from tests.report.factories import fleet as fleet_document


def fleet(*args, **kwargs) -> dict:
    """A linked-model fleet document, as the report context keeps it."""
    return fleet_summary(fleet_document(*args, **kwargs))


def test_local_zones_sit_under_their_parent_and_unused_ones_are_hidden() -> None:
    zones = us_east_1_zones()
    (region_map,) = build_zone_maps(zones, [fleet("api", [zones[0], zones[3]])])
    assert [(g.parent, [c.name for c in g.columns]) for g in region_map.groups] == [
        ("us-east-1a", ["us-east-1a", "us-east-1-bos-1a"]),
        ("us-east-1b", ["us-east-1b"]),
        ("us-east-1c", ["us-east-1c"]),  # mia-1a is not opted in and unused
    ]
    (row,) = region_map.rows
    assert row.cells == (True, True, False, False)
    assert row.failure_domains == 1  # an AZ and its own Local Zone are one failure domain


def test_a_used_zone_outside_the_catalog_still_shows() -> None:
    zones = us_east_1_zones()
    stray = zone("us-east-1-xyz-1a", "use1-xyz1-az1", kind="local-zone", parent="us-east-1z")
    (region_map,) = build_zone_maps(zones[:3], [fleet("edge", [zones[1], stray])])
    assert region_map.groups[-1].parent is None
    assert [c.name for c in region_map.groups[-1].columns] == ["us-east-1-xyz-1a"]
    assert region_map.rows[0].failure_domains == 2


def test_one_map_per_account_and_region_riskiest_fleets_first() -> None:
    zones = us_east_1_zones()
    theirs = [dict(z, account=OTHER_ACCOUNT) for z in zones]
    fleets = [
        fleet("wide", zones[:3]),
        fleet("narrow", zones[:1]),
        fleet("remote", theirs[:2], account=OTHER_ACCOUNT),
    ]
    maps = build_zone_maps(zones + theirs, fleets)
    assert [(m.account, m.region) for m in maps] == [
        ("111111111111", "us-east-1"),
        (OTHER_ACCOUNT, "us-east-1"),
    ]
    assert [r.name for r in maps[0].rows] == ["narrow", "wide"]


def test_rows_are_capped_with_a_count_of_the_rest() -> None:
    zones = us_east_1_zones()
    fleets = [fleet(f"f{i:03d}", zones[:1]) for i in range(12)]
    (region_map,) = build_zone_maps(zones, fleets, max_rows=10)
    assert len(region_map.rows) == 10 and region_map.hidden_rows == 2


def _doc(item_id: str, zone_record: dict, **extra) -> dict:
    """A linked instance or volume document, as much of it as the report reads."""
    return {
        "id": item_id,
        "arn": f"arn:{item_id}",
        "account": zone_record["account"],
        "region": zone_record["region"],
        "state": extra.pop("state", "running"),
        "tags": extra.pop("tags", {}),
        "facts": {
            "zone": {key: zone_record[key] for key in ("name", "id", "type")},
            "attached_instance_ids": extra.pop("attached", []),
        },
    }


def test_standalone_instances_and_volumes_are_rows_fleet_members_only_counted() -> None:
    zones = us_east_1_zones()
    asg = fleet_document("web", zones[:2])
    asg["facts"]["instance_ids"] = ["i-web"]
    instances = [
        _doc("i-web", zones[0]),  # in the fleet: counted, not a row
        _doc("i-bastion", zones[1], tags={"Name": "bastion"}),
        _doc("i-old", zones[1], state="terminated"),  # in no zone any more
    ]
    volumes = [
        _doc("vol-web", zones[0], attached=["i-web"]),
        _doc("vol-bastion", zones[1], attached=["i-bastion"]),
        _doc("vol-spare", zones[3]),  # unattached, in the Local Zone
    ]
    model = linked_model(fleets=[asg], zones=zones)
    model.resources.update(instance=instances, volume=volumes)
    report = build_scan_report(evaluation([], []), model)
    assert sorted(item["id"] for item in report.placed) == ["i-bastion", "vol-bastion", "vol-spare"]
    (region_map,) = build_zone_maps(
        report.zones, report.fleets, placed=report.placed, zone_counts=report.zone_counts
    )
    rows = [(row.name, row.kind, row.failure_domains) for row in region_map.rows]
    assert rows == [
        ("bastion", "instance", 1),
        ("vol-bastion", "volume", 1),
        ("vol-spare", "volume", 1),
        ("web", "auto_scaling_group", 2),
    ]
    names = [column.name for column in region_map.columns]
    assert dict(zip(names, region_map.instance_totals, strict=True)) == {
        "us-east-1a": 1,
        "us-east-1-bos-1a": 0,
        "us-east-1b": 1,
        "us-east-1c": 0,
    }
    assert sum(region_map.volume_totals) == 3
    assert region_map.single_domain_rows == 3 and region_map.total_rows == 4


def test_a_region_with_only_standalone_resources_gets_a_map() -> None:
    zones = us_east_1_zones()
    item = {
        "type": "instance",
        "id": "i-1",
        "arn": "arn:i-1",
        "name": "i-1",
        "account": zones[2]["account"],
        "region": "us-east-1",
        "zone": zones[2],
    }
    (region_map,) = build_zone_maps(zones, [], placed=[item])
    assert [row.name for row in region_map.rows] == ["i-1"]
    assert region_map.anchor == "zone-map-111111111111-us-east-1"
