"""The demo's failure-scenario cases, in a second account whose zone names map differently.

The ledger account sees ``us-east-1a`` and ``us-east-1b`` swapped against the
main account (AWS maps zone names to zone ids per account), so the failure of
one physical zone takes down the main account's single-zone batch workers in
``us-east-1a`` and the ledger's standalone server in ``us-east-1b``: the
scenarios group both under one zone id. The ledger server states its
objective by tags (survive a zone, lose at most 24 hours of data), which it
breaks; its data volume has a fresh snapshot that was never copied to another
Region, so a Region failure loses its data. The Local Zone cases are the main
estate's (``shop-edge`` at risk when its parent fails, ``game-session`` down
when the Local Zone does).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
from moto.ec2.models.availability_zones_and_regions import RegionsAndZonesBackend

from scanner.demo.accounts import LEDGER_ACCOUNT
from scanner.demo.regions import PRIMARY, RECOVERY
from scanner.mockaws import backdate, map_zone_ids
from scanner.mockaws.estate import (
    ClientFor,
    Estate,
    copy_image_across,
    create_network,
    launch_instances,
    register_ami,
    tag_spec,
)

LEDGER_BACKUP_AGE = dt.timedelta(hours=6)


def _clients_in(account: str) -> ClientFor:
    """Seeding clients in ``account``: moto's AssumeRole carries the account in its keys."""
    credentials = boto3.client("sts", region_name=PRIMARY).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/seeding", RoleSessionName="demo-seed"
    )["Credentials"]

    def client(service: str, region: str) -> Any:
        return boto3.client(
            service,
            region_name=region,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )

    return client


def _swapped_zone_ids(region: str) -> dict[str, str]:
    ids = {zone.name: zone.zone_id for zone in RegionsAndZonesBackend.zones[region]}
    return {f"{region}a": ids[f"{region}b"], f"{region}b": ids[f"{region}a"]}


def seed_scenario_cases(estate: Estate) -> None:
    """Seed the ledger account (call inside ``mock_aws()``); ``estate.facts`` names what it made."""
    map_zone_ids(LEDGER_ACCOUNT, PRIMARY, _swapped_zone_ids(PRIMARY))
    client = _clients_in(LEDGER_ACCOUNT)
    ec2 = client("ec2", PRIMARY)
    _, subnet = create_network(
        ec2, "10.30.0.0/16", {"us-east-1a": "10.30.1.0/24", "us-east-1b": "10.30.2.0/24"}
    )
    image = register_ami(ec2, "ledger-2024.06", "ledger server", tags={"app": "ledger"})
    copy_image_across(
        client,
        image,
        source_region=PRIMARY,
        region=RECOVERY,
        name="ledger-dr",
        account_id=LEDGER_ACCOUNT,
    )
    objective = {"stormproof:survive": "zone", "stormproof:rpo-hours": "24"}
    (ledger,) = launch_instances(
        ec2, image, subnet["us-east-1b"], tags={"Name": "ledger", **objective}
    )
    volume = ec2.create_volume(
        AvailabilityZone="us-east-1b",
        Size=50,
        VolumeType="gp3",
        TagSpecifications=tag_spec("volume", {"Name": "ledger-data"}),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=ledger, Device="/dev/sdf")
    snapshot = ec2.create_snapshot(VolumeId=volume, Description="ledger nightly")["SnapshotId"]
    backdate(snapshot, region=PRIMARY, age=LEDGER_BACKUP_AGE, account_id=LEDGER_ACCOUNT)
    estate.facts.update(ledger_instance=ledger, ledger_volume=volume, ledger_snapshot=snapshot)
