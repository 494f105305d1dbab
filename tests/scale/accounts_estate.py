"""A small multi-account estate in moto: the caller's account plus member accounts with roles.

Seeding talks to moto through plain boto3 clients, never through stormproof's
collector session. Credentials for a member account come from moto's AssumeRole
(which carries the target account id) *before* role trust is enforced
(:func:`scanner.mockaws.enforce_role_trust`); the collector then meets AWS's
rules: a role must exist and trust the caller.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3

CALLER = "123456789012"  # moto's default account: the caller and management account
TRUSTED_A, TRUSTED_B, DENIED = "111111111111", "222222222222", "333333333333"
ROLE = "stormproof-scan"
EXTERNAL_ID = "stormproof-test"
ALL_ACCOUNTS = (CALLER, TRUSTED_A, TRUSTED_B, DENIED)
REGIONS = ("us-east-1", "us-west-2")
OTHER_ACCOUNT = "999999999999"


@dataclass
class Seeded:
    """What was seeded: account -> Region -> instance ids / ASG names."""

    instances: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    groups: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def credentials_for(account: str, region: str = "us-east-1") -> dict[str, str]:
    """Seeding credentials in ``account`` (moto's AssumeRole needs no role to exist)."""
    if account == CALLER:
        return {}
    response = boto3.client("sts", region_name=region).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/seeding", RoleSessionName="seed"
    )
    credentials = response["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def trust_policy(principal_account: str, external_id: str | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{principal_account}:root"},
        "Action": "sts:AssumeRole",
    }
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def create_scan_role(account: str, trusted: str, external_id: str | None = None) -> None:
    iam = boto3.client("iam", region_name="us-east-1", **credentials_for(account))
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=trust_policy(trusted, external_id))


def seed_account(account: str, seeded: Seeded, regions: tuple[str, ...] = REGIONS) -> None:
    """Per Region: a VPC over two zones, an instance, a volume with a snapshot, and a
    single-zone Auto Scaling group (a finding for asg-single-az)."""
    credentials = credentials_for(account)
    for region in regions:
        ec2 = boto3.client("ec2", region_name=region, **credentials)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=zone)[
                "Subnet"
            ]["SubnetId"]
            for n, zone in enumerate((f"{region}a", f"{region}b"), start=1)
        ]
        instance = ec2.run_instances(
            ImageId="ami-12c6146b", MinCount=1, MaxCount=1, SubnetId=subnets[0]
        )["Instances"][0]["InstanceId"]
        seeded.instances.setdefault(account, {}).setdefault(region, set()).add(instance)
        volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=8)["VolumeId"]
        ec2.create_snapshot(VolumeId=volume, Description="nightly")
        template = ec2.create_launch_template(
            LaunchTemplateName="app",
            LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"},
        )["LaunchTemplate"]["LaunchTemplateId"]
        group = f"app-{account[-4:]}-{region}"
        boto3.client("autoscaling", region_name=region, **credentials).create_auto_scaling_group(
            AutoScalingGroupName=group,
            LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
            MinSize=0,
            MaxSize=1,
            DesiredCapacity=0,
            VPCZoneIdentifier=subnets[0],
        )
        seeded.groups.setdefault(account, {}).setdefault(region, set()).add(group)


def seed_accounts(with_external_id: bool = False) -> Seeded:
    """The caller's account, two members that trust it, one whose role trusts someone else."""
    seeded = Seeded()
    external_id = EXTERNAL_ID if with_external_id else None
    for account in (CALLER, TRUSTED_A, TRUSTED_B, DENIED):
        seed_account(account, seeded)
    create_scan_role(TRUSTED_A, CALLER, external_id)
    create_scan_role(TRUSTED_B, CALLER, external_id)
    create_scan_role(DENIED, OTHER_ACCOUNT, external_id)
    return seeded
