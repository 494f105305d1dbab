"""The client-side rate limit: one budget per (account, service), shared by its Regions."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import boto3
import pytest

from scanner.cli import build_parser
from scanner.collect import CollectOptions
from scanner.collect import session as session_module
from scanner.collect.ratelimit import TokenBucket
from tests.scale.accounts_estate import CALLER, REGIONS, ROLE, TRUSTED_A, TRUSTED_B, Seeded

# EC2's documented non-mutating request bucket: 100 tokens, refilled at 20 per second.
EC2_BUCKET_CAPACITY, EC2_REFILL_PER_SECOND = 100, 20


def test_defaults_stay_well_under_ec2s_non_mutating_bucket():
    cli_default = build_parser().parse_args(["collect", "--output", "s.json"]).rate_limit
    assert cli_default == CollectOptions().rate_limit
    bucket = TokenBucket(cli_default)
    assert bucket.rate <= EC2_REFILL_PER_SECOND / 2
    assert bucket.capacity <= EC2_BUCKET_CAPACITY / 10


def account_of(client: Any) -> str:
    credentials = client._request_signer._credentials.get_frozen_credentials()
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=credentials.access_key,
        aws_secret_access_key=credentials.secret_key,
        aws_session_token=credentials.token,
    )
    return sts.get_caller_identity()["Account"]


def test_each_account_and_service_has_one_budget_across_regions(
    accounts: Seeded, monkeypatch: pytest.MonkeyPatch
):
    from scanner.collect import collect_snapshot

    installed: dict[int, list[tuple[str, str, Any]]] = defaultdict(list)

    class RecordingBucket(TokenBucket):
        def install(self, client: Any) -> None:
            meta = client.meta
            installed[id(self)].append((meta.service_model.service_name, meta.region_name, client))
            super().install(client)

    monkeypatch.setattr(session_module, "TokenBucket", RecordingBucket)
    selection_flags = build_parser().parse_args(
        [
            *("collect", "--output", "s.json", "--accounts", f"{CALLER},{TRUSTED_A},{TRUSTED_B}"),
            *("--role-name", ROLE, "--regions", ",".join(REGIONS), "--rate-limit", "1000"),
        ]
    )
    from scanner.commands.collect import options_from_args

    collect_snapshot(options_from_args(selection_flags))
    owners: dict[tuple[str, str], set[int]] = defaultdict(set)
    for bucket, clients in installed.items():
        services = {service for service, _, _ in clients}
        accounts_seen = {account_of(client) for _, _, client in clients}
        assert len(services) == 1 and len(accounts_seen) == 1, (services, accounts_seen)
        (service,), (account,) = services, accounts_seen
        owners[(account, service)].add(bucket)
        if service == "ec2":  # one EC2 budget per account, whatever the Region
            assert {region for _, region, _ in clients} == set(REGIONS)
    assert all(len(buckets) == 1 for buckets in owners.values()), owners
    assert {account for account, _ in owners} == {CALLER, TRUSTED_A, TRUSTED_B}
    assert {service for _, service in owners} >= {"ec2", "autoscaling", "elb", "elbv2", "sts"}
