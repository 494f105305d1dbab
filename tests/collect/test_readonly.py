"""Read-only is a guarantee: the allowlist, the guard that enforces it, and the IAM policy."""

from __future__ import annotations

import json

import boto3
import botocore.session
import pytest

from scanner.cli import main
from scanner.collect.calls import CallCounter
from scanner.collect.readonly import (
    ALLOWED_OPERATIONS,
    READ_ONLY_PREFIXES,
    ReadOnlyViolation,
    iam_action,
    iam_policy_document,
)
from scanner.collect.session import ClientFactory
from scanner.mockaws import DlmStandIn


def collector_client(service: str, region: str = "us-east-1") -> tuple[object, CallCounter]:
    counter = CallCounter()
    factory = ClientFactory(boto3.Session(), rate_limit=100.0)
    return factory.client(service, region, counter), counter


def test_allowlist_names_only_real_read_operations():
    session = botocore.session.get_session()
    for entry in ALLOWED_OPERATIONS:
        service, _, operation = entry.partition(":")
        assert operation.startswith(READ_ONLY_PREFIXES), entry
        assert operation in session.get_service_model(service).operation_names, entry


def test_iam_policy_grants_exactly_the_allowlist():
    statement = iam_policy_document()["Statement"]
    assert len(statement) == 1 and statement[0]["Effect"] == "Allow"
    assert statement[0]["Resource"] == "*"
    assert statement[0]["Action"] == sorted({iam_action(op) for op in ALLOWED_OPERATIONS})
    assert "elasticloadbalancing:DescribeTargetHealth" in statement[0]["Action"]
    assert not any(
        action.split(":")[1].startswith(("Create", "Delete", "Put", "Terminate", "Update"))
        for action in statement[0]["Action"]
    )


def test_iam_action_uses_the_iam_service_prefix():
    assert iam_action("elb:DescribeTags") == "elasticloadbalancing:DescribeTags"
    assert iam_action("elbv2:DescribeTags") == "elasticloadbalancing:DescribeTags"
    assert iam_action("ec2:DescribeInstances") == "ec2:DescribeInstances"


def test_iam_policy_command_prints_the_policy(capsys: pytest.CaptureFixture[str]):
    assert main(["iam-policy"]) == 0
    assert json.loads(capsys.readouterr().out) == iam_policy_document()


def test_mutating_ec2_call_is_refused_before_it_reaches_moto(moto_in_process: None):
    seeding = boto3.client("ec2", region_name="us-east-1")
    instance = seeding.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)
    instance_id = instance["Instances"][0]["InstanceId"]
    client, counter = collector_client("ec2")
    with pytest.raises(ReadOnlyViolation, match="ec2:TerminateInstances"):
        client.terminate_instances(InstanceIds=[instance_id])
    state = seeding.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert state["State"]["Name"] == "running"
    assert counter.as_dict() == {}
    # The same client still reads.
    assert client.describe_instances()["Reservations"]
    assert counter.as_dict() == {"ec2:DescribeInstances": 1}


def test_mutating_dlm_call_is_refused_before_it_is_sent(
    dlm_stand_in: DlmStandIn, monkeypatch: pytest.MonkeyPatch
):
    client, counter = collector_client("dlm")
    with pytest.raises(ReadOnlyViolation, match="dlm:CreateLifecyclePolicy"):
        client.create_lifecycle_policy(
            ExecutionRoleArn="arn:aws:iam::123456789012:role/dlm",
            Description="must never exist",
            State="ENABLED",
            DefaultPolicy="VOLUME",
        )
    assert dlm_stand_in.requests == []
    assert dlm_stand_in.policies("us-east-1") == []
    assert counter.as_dict() == {}


def test_guard_also_stops_a_request_that_skips_before_call(moto_in_process: None):
    """Belt and braces: the before-send check refuses even if before-call was bypassed."""
    client, counter = collector_client("ec2")
    client.meta.events.unregister("before-call", unique_id="stormproof-readonly-call")
    with pytest.raises(ReadOnlyViolation):
        client.create_vpc(CidrBlock="10.9.0.0/16")
    plain = boto3.client("ec2", region_name="us-east-1")
    cidrs = {vpc["CidrBlock"] for vpc in plain.describe_vpcs()["Vpcs"]}
    assert "10.9.0.0/16" not in cidrs
    assert counter.as_dict() == {}


def test_mutating_backup_calls_are_refused_before_they_reach_moto(moto_in_process: None):
    seeding = boto3.client("backup", region_name="us-east-1")
    plan = seeding.create_backup_plan(
        BackupPlan={
            "BackupPlanName": "p",
            "Rules": [{"RuleName": "r", "TargetBackupVaultName": "Default"}],
        }
    )["BackupPlanId"]
    client, counter = collector_client("backup")
    with pytest.raises(ReadOnlyViolation, match="backup:CreateBackupSelection"):
        client.create_backup_selection(
            BackupPlanId=plan,
            BackupSelection={
                "SelectionName": "everything",
                "IamRoleArn": "arn:aws:iam::123456789012:role/backup",
                "Resources": ["*"],
            },
        )
    with pytest.raises(ReadOnlyViolation, match="backup:DeleteBackupPlan"):
        client.delete_backup_plan(BackupPlanId=plan)
    with pytest.raises(ReadOnlyViolation, match="backup:UpdateRegionSettings"):
        client.update_region_settings(ResourceTypeOptInPreference={"EBS": False})
    assert counter.as_dict() == {}
    assert seeding.list_backup_selections(BackupPlanId=plan)["BackupSelectionsList"] == []
    assert [p["BackupPlanId"] for p in seeding.list_backup_plans()["BackupPlansList"]] == [plan]
    # The same client still reads.
    assert client.get_backup_plan(BackupPlanId=plan)["BackupPlanId"] == plan
    assert counter.as_dict() == {"backup:GetBackupPlan": 1}
