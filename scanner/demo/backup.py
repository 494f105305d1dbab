"""AWS Backup in the demo estate: one volume protected by AWS Backup alone, one plan without a copy.

us-east-1
  - ``inventory-db`` with a data volume tagged ``backup-plan=inventory``; no DLM
    policy targets it. The ``inventory-daily`` plan selects EBS volumes with that
    tag, backs them up daily into ``Default`` and copies each recovery point to the
    ``dr`` vault in us-west-2; the volume has a recovery point (26 hours old) and
    its copy.
us-west-2
  - the ``dr`` vault; the ``game-sessions-hourly`` plan images the game-session
    instances by tag into the Region's ``Default`` vault and copies nothing to
    another Region.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scanner.demo.regions import PRIMARY, RECOVERY
from scanner.mockaws import add_recovery_point, backdate
from scanner.mockaws.estate import ClientFor, Estate, launch_instances, tag_spec

ACCOUNT = "123456789012"  # moto's default account, the demo's only one
BACKUP_ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-role/AWSBackupDefaultServiceRole"
RESOURCE_AGE = dt.timedelta(days=20)
RECOVERY_POINT_AGE = dt.timedelta(hours=26)


def seed_backup(client: ClientFor, estate: Estate) -> None:
    """Seed AWS Backup plans, vaults and recovery points; adds their ids to ``estate.facts``."""
    primary, recovery = client("backup", PRIMARY), client("backup", RECOVERY)
    primary_vault = primary.create_backup_vault(BackupVaultName="Default")["BackupVaultArn"]
    dr_vault = recovery.create_backup_vault(BackupVaultName="dr")["BackupVaultArn"]
    recovery.create_backup_vault(BackupVaultName="Default")
    volume = _inventory_volume(client("ec2", PRIMARY), estate)

    inventory = primary.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "inventory-daily",
            "Rules": [
                {
                    "RuleName": "daily",
                    "TargetBackupVaultName": "Default",
                    "ScheduleExpression": "cron(0 5 ? * * *)",
                    "Lifecycle": {"DeleteAfterDays": 35},
                    "CopyActions": [
                        {
                            "DestinationBackupVaultArn": dr_vault,
                            "Lifecycle": {"DeleteAfterDays": 35},
                        }
                    ],
                }
            ],
        },
        BackupPlanTags={"owner": "platform"},
    )["BackupPlanId"]
    _select(
        primary,
        inventory,
        "inventory-volumes",
        Resources=["arn:aws:ec2:*:*:volume/*"],
        Conditions={
            "StringEquals": [
                {"ConditionKey": "aws:ResourceTag/backup-plan", "ConditionValue": "inventory"}
            ]
        },
    )
    rule = primary.get_backup_plan(BackupPlanId=inventory)["BackupPlan"]["Rules"][0]["RuleId"]
    created = (dt.datetime.now(dt.UTC) - RECOVERY_POINT_AGE).timestamp()
    volume_arn = f"arn:aws:ec2:{PRIMARY}:{ACCOUNT}:volume/{volume}"
    point = add_recovery_point(
        PRIMARY,
        "Default",
        volume_arn,
        plan_id=inventory,
        rule_id=rule,
        creation_date=created,
        completion_date=created + 900,
        delete_after_days=35,
    )
    copy = add_recovery_point(
        RECOVERY,
        "dr",
        volume_arn,
        source_vault_arn=primary_vault,
        creation_date=created + 1800,
        completion_date=created + 2400,
        delete_after_days=35,
    )

    sessions = recovery.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "game-sessions-hourly",
            "Rules": [
                {
                    "RuleName": "hourly",
                    "TargetBackupVaultName": "Default",
                    "ScheduleExpression": "cron(0 * ? * * *)",
                    "Lifecycle": {"DeleteAfterDays": 3},
                }
            ],
        }
    )["BackupPlanId"]
    _select(
        recovery,
        sessions,
        "game-session-instances",
        Resources=["arn:aws:ec2:*:*:instance/*"],
        Conditions={
            "StringEquals": [
                {"ConditionKey": "aws:ResourceTag/Service", "ConditionValue": "game-session"}
            ]
        },
    )
    estate.facts.update(
        inventory_volume=volume,
        backup_plan_inventory=inventory,
        backup_plan_no_copy=sessions,
        backup_recovery_point=point,
        backup_recovery_point_copy=copy,
    )


def _inventory_volume(ec2: Any, estate: Estate) -> str:
    subnet = ec2.describe_subnets(Filters=[{"Name": "cidr-block", "Values": ["10.10.2.0/24"]}])[
        "Subnets"
    ][0]
    (instance,) = launch_instances(
        ec2, estate.facts["tools_ami"], subnet["SubnetId"], tags={"Name": "inventory-db"}
    )
    volume = ec2.create_volume(
        AvailabilityZone=subnet["AvailabilityZone"],
        Size=50,
        VolumeType="gp3",
        TagSpecifications=tag_spec("volume", {"Name": "inventory", "backup-plan": "inventory"}),
    )["VolumeId"]
    ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    for resource in (instance, volume):
        backdate(resource, region=PRIMARY, age=RESOURCE_AGE)
    return volume


def _select(backup: Any, plan_id: str, name: str, **selection: Any) -> None:
    backup.create_backup_selection(
        BackupPlanId=plan_id,
        BackupSelection={"SelectionName": name, "IamRoleArn": BACKUP_ROLE, **selection},
    )
