"""Normalization: one style for tags, times, partitions and ARNs whatever the API."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner.collect.failures import error_entry, scrub
from scanner.collect.normalize import (
    arn_resource,
    chunks,
    iso_utc,
    make_arn,
    partition_of_arn,
    partition_of_region,
    tags_to_dict,
)


def test_tags_from_every_shape_become_one_object():
    assert tags_to_dict([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": ""}]) == {
        "a": "1",
        "b": "",
    }
    assert tags_to_dict([{"key": "a", "value": "1"}]) == {"a": "1"}
    assert tags_to_dict({"owner": "platform"}) == {"owner": "platform"}
    assert tags_to_dict(None) == {} and tags_to_dict([]) == {}
    asg_tag = {"ResourceId": "g", "ResourceType": "auto-scaling-group", "Key": "k", "Value": "v"}
    assert tags_to_dict([asg_tag]) == {"k": "v"}


def test_times_are_iso_utc_with_z():
    offset = dt.timezone(dt.timedelta(hours=-7))
    assert (
        iso_utc(dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=offset)) == "2026-01-02T10:04:05Z"
    )
    assert iso_utc("2026-01-02T03:04:05.000Z") == "2026-01-02T03:04:05Z"
    assert iso_utc(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"
    assert iso_utc(None) is None and iso_utc("") is None


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("eu-central-2", "aws"),
        ("cn-north-1", "aws-cn"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
    ],
)
def test_partition_of_region(region: str, partition: str):
    assert partition_of_region(region) == partition


def test_arns_are_partition_aware():
    assert partition_of_arn("arn:aws-cn:sts::123456789012:assumed-role/x") == "aws-cn"
    assert partition_of_arn("not-an-arn") is None
    assert (
        make_arn("aws-us-gov", "ec2", "us-gov-west-1", "123456789012", "instance/i-1")
        == "arn:aws-us-gov:ec2:us-gov-west-1:123456789012:instance/i-1"
    )
    assert make_arn("aws", "ec2", "us-east-1", "", "snapshot/snap-1") == (
        "arn:aws:ec2:us-east-1::snapshot/snap-1"
    )
    arn = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/50dc6c495c0c9188"
    assert arn_resource(arn) == "loadbalancer/app/web/50dc6c495c0c9188"


def test_chunks_respect_batch_limits():
    assert [len(batch) for batch in chunks(list(range(45)), 20)] == [20, 20, 5]
    assert list(chunks([], 20)) == []


SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def test_error_messages_never_carry_credentials():
    from botocore.exceptions import ClientError

    exc = ClientError(
        {
            "Error": {
                "Code": "InvalidClientTokenId",
                "Message": f"key AKIAIOSFODNN7EXAMPLE secret {SECRET}",
            },
            "ResponseMetadata": {"HTTPStatusCode": 403},
        },
        "DescribeInstances",
    )
    entry = error_entry("123456789012", "us-east-1", "ec2", "DescribeInstances", exc)
    assert entry["code"] == "InvalidClientTokenId"
    assert "AKIAIOSFODNN7EXAMPLE" not in entry["message"]
    assert SECRET not in entry["message"] and "[redacted]" in entry["message"]
    assert scrub("nothing secret here") == "nothing secret here"


@pytest.mark.parametrize(
    "kept",
    [
        # 40 characters of [A-Za-z0-9/+=] between separators: shaped like a secret key.
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/WebServers1/0123456789abcdef",
        "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/EdgeNl/50dc6c495c0c9188",
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:6d8f:autoScalingGroupName/w",
        "targetgroup/webservers/0123456789abcdef0",  # a resource path, one case and digits
        "i-0123456789abcdef0",
        "snap-0123456789abcdef0",
    ],
)
def test_arns_and_resource_ids_survive_the_scrubber(kept) -> None:
    message = f"Access denied for {kept} (request 1f2e)"
    assert scrub(message) == message


def test_a_secret_next_to_an_arn_is_still_scrubbed() -> None:
    arn = "arn:aws:elasticloadbalancing:us-east-1:1234:targetgroup/WebServers1/0123456789abcdef"
    scrubbed = scrub(f"{arn} rejected {SECRET}; key AKIAIOSFODNN7EXAMPLE")
    assert arn in scrubbed
    assert SECRET not in scrubbed and "AKIAIOSFODNN7EXAMPLE" not in scrubbed
