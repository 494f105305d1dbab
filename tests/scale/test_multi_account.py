"""Multi-account collection on moto: AssumeRole per account, the Organization, denied roles."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from scanner.cli import main
from scanner.collect import CollectOptions, collect_snapshot
from scanner.collect.accounts import AccountSelection, RoleToAssume, list_organization_accounts
from scanner.collect.calls import CallCounter
from scanner.collect.context import UnitContext
from scanner.collect.readonly import (
    ALLOWED_OPERATIONS,
    CALLER_OPERATIONS,
    ReadOnlyViolation,
    caller_policy_document,
    iam_action,
    iam_policy_document,
)
from scanner.collect.session import ClientFactory
from scanner.errors import ExitCode, InputError
from scanner.model.snapshot import load_snapshot, validate_snapshot
from tests.scale.accounts_estate import (
    CALLER,
    DENIED,
    EXTERNAL_ID,
    REGIONS,
    ROLE,
    TRUSTED_A,
    TRUSTED_B,
    Seeded,
    create_scan_role,
    seed_account,
)

ALL = (CALLER, TRUSTED_A, TRUSTED_B, DENIED)


def collect_cli(tmp_path: Path, *flags: str) -> tuple[int, dict]:
    output = tmp_path / "snapshot.json.gz"
    common = ["-q", "collect", "--regions", ",".join(REGIONS), "--rate-limit", "1000"]
    code = main([*common, *flags, "--output", str(output)])
    return code, load_snapshot(output)


def instance_ids(document: dict) -> dict[str, dict[str, set[str]]]:
    found: dict[str, dict[str, set[str]]] = {}
    for unit in document["units"]:
        ids = {record["id"] for record in unit["resources"].get("instances", [])}
        found.setdefault(unit["account"], {})[unit["region"]] = ids
    return found


def test_three_accounts_via_assume_role_one_denied_is_reported_and_others_complete(
    accounts: Seeded, tmp_path: Path
):
    code, document = collect_cli(tmp_path, "--accounts", ",".join(ALL), "--role-name", ROLE)
    assert code == ExitCode.INCOMPLETE
    # Every reachable account is collected in every Region, with its own resources.
    reached = {account: accounts.instances[account] for account in (CALLER, TRUSTED_A, TRUSTED_B)}
    assert instance_ids(document) == reached
    for unit in document["units"]:
        assert unit["errors"] == []
        assert all(r["account"] == unit["account"] for r in unit["resources"]["instances"])
    # The denied account is one error entry (sts AssumeRole), and in scope: not a silent gap.
    assert [
        (e["account"], e["service"], e["operation"], e["code"]) for e in document["errors"]
    ] == [(DENIED, "sts", "AssumeRole", "AccessDenied")]
    assert f"arn:aws:iam::{DENIED}:role/{ROLE}" in document["errors"][0]["message"]
    assert document["scope"]["accounts"] == sorted(ALL)
    # The caller's own account is scanned with its own credentials: three AssumeRole calls.
    assert document["api_calls"]["sts:AssumeRole"] == 3


def test_every_call_is_in_the_allowlists_and_each_policy_covers_its_side(
    accounts: Seeded, tmp_path: Path
):
    _, document = collect_cli(tmp_path, "--accounts", ",".join(ALL), "--role-name", ROLE)
    made = set(document["api_calls"])
    assert made <= ALLOWED_OPERATIONS | CALLER_OPERATIONS
    assert "sts:AssumeRole" in made
    unit_calls = {op for unit in document["units"] for op in unit["api_calls"]}
    assert unit_calls <= ALLOWED_OPERATIONS  # inside scanned accounts: the scan role's calls only
    scan_role = set(iam_policy_document()["Statement"][0]["Action"])
    assert {iam_action(op) for op in unit_calls} <= scan_role
    caller = caller_policy_document(ROLE)["Statement"]
    assert caller[0]["Action"] == ["sts:AssumeRole"]
    assert caller[0]["Resource"] == f"arn:aws:iam::*:role/{ROLE}"
    assert caller[1]["Action"] == ["organizations:ListAccounts"]
    assert "sts:AssumeRole" not in scan_role and "organizations:ListAccounts" not in scan_role


def test_scan_account_clients_refuse_assume_role(accounts: Seeded):
    factory = ClientFactory(boto3.Session(region_name="us-east-1"), rate_limit=1000.0)
    sts = factory.client("sts", "us-east-1", CallCounter())
    with pytest.raises(ReadOnlyViolation, match="refused sts:AssumeRole"):
        sts.assume_role(RoleArn=f"arn:aws:iam::{TRUSTED_A}:role/{ROLE}", RoleSessionName="xy")


def test_external_id_is_presented_and_a_wrong_one_is_denied(tmp_path: Path, dlm_stand_in):
    from moto import mock_aws

    from scanner.mockaws import enforce_role_trust

    with mock_aws():
        seeded = Seeded()
        seed_account(TRUSTED_A, seeded, regions=("us-east-1",))
        create_scan_role(TRUSTED_A, CALLER, EXTERNAL_ID)
        with enforce_role_trust():
            flags = ["--accounts", TRUSTED_A, "--role-name", ROLE, "--regions", "us-east-1"]
            good = collect_snapshot_cli(tmp_path / "good", [*flags, "--external-id", EXTERNAL_ID])
            bad = collect_snapshot_cli(tmp_path / "bad", [*flags, "--external-id", "not-it"])
    assert good[0] == ExitCode.CLEAN
    assert instance_ids(good[1]) == {TRUSTED_A: seeded.instances[TRUSTED_A]}
    assert bad[0] == ExitCode.INCOMPLETE and bad[1]["units"] == []
    assert [e["code"] for e in bad[1]["errors"]] == ["AccessDenied"]


def collect_snapshot_cli(folder: Path, flags: list[str]) -> tuple[int, dict]:
    output = folder / "snapshot.json"
    code = main(["-q", "collect", "--rate-limit", "1000", *flags, "--output", str(output)])
    return code, load_snapshot(output)


def test_organization_scans_active_members_minus_exclusions(tmp_path: Path, dlm_stand_in):
    from moto import mock_aws

    from scanner.mockaws import enforce_role_trust

    with mock_aws():
        organizations = boto3.client("organizations", region_name="us-east-1")
        organizations.create_organization(FeatureSet="ALL")
        members = [
            organizations.create_account(AccountName=name, Email=f"{name}@example.com")[
                "CreateAccountStatus"
            ]["AccountId"]
            for name in ("prod", "staging", "closed", "sandbox")
        ]
        prod, staging, closed, sandbox = members
        organizations.close_account(AccountId=closed)
        seeded = Seeded()
        for account in (CALLER, prod, staging, sandbox):
            seed_account(account, seeded, regions=("us-east-1",))
        create_scan_role(prod, CALLER)
        create_scan_role(sandbox, CALLER)
        # staging has no scan role at all: AWS (and moto, trust enforced) deny AssumeRole.
        with enforce_role_trust():
            code, document = collect_snapshot_cli(
                tmp_path,
                [
                    *("--organization", "--role-name", ROLE, "--regions", "us-east-1"),
                    *("--exclude-accounts", sandbox),
                ],
            )
    assert code == ExitCode.INCOMPLETE
    assert instance_ids(document) == {
        CALLER: seeded.instances[CALLER],
        prod: seeded.instances[prod],
    }
    assert [(e["account"], e["operation"], e["code"]) for e in document["errors"]] == [
        (staging, "AssumeRole", "AccessDenied")
    ]
    assert document["scope"]["accounts"] == sorted([CALLER, prod, staging])
    assert closed not in document["scope"]["accounts"]  # suspended: not ACTIVE
    assert document["api_calls"]["organizations:ListAccounts"] == 1


def test_organization_listing_is_paginated_and_keeps_active_accounts(dlm_stand_in):
    from moto import mock_aws

    with mock_aws():
        organizations = boto3.client("organizations", region_name="us-east-1")
        organizations.create_organization(FeatureSet="ALL")
        created = [
            organizations.create_account(AccountName=f"a{n}", Email=f"a{n}@example.com")[
                "CreateAccountStatus"
            ]["AccountId"]
            for n in range(24)
        ]
        organizations.close_account(AccountId=created[0])
        factory = ClientFactory(
            boto3.Session(region_name="us-east-1"),
            1000.0,
            allowed=ALLOWED_OPERATIONS | CALLER_OPERATIONS,
        )
        ctx = UnitContext(CALLER, "us-east-1", "aws", factory.client, CallCounter())
        listed = list_organization_accounts(ctx)
    assert listed == sorted([CALLER, *created[1:]])
    assert ctx.counter.as_dict() == {"organizations:ListAccounts": 2}  # 25 accounts, pages of 20


def test_a_failed_organization_listing_is_an_error_and_the_caller_is_still_scanned(
    dlm_stand_in,
):
    from moto import mock_aws

    from scanner.mockaws import deny_service

    with mock_aws(), deny_service("organizations", code="AccessDeniedException", status=400):
        selection = AccountSelection(organization=True, role=RoleToAssume(ROLE))
        document = collect_snapshot(
            CollectOptions(regions=["us-east-1"], rate_limit=1000.0, selection=selection)
        )
    validate_snapshot(document)
    assert [unit["account"] for unit in document["units"]] == [CALLER]
    assert [(e["service"], e["operation"], e["code"]) for e in document["errors"]] == [
        ("organizations", "ListAccounts", "AccessDeniedException")
    ]


def test_without_role_name_the_default_scan_role_is_assumed(accounts: Seeded, tmp_path: Path):
    code, document = collect_cli(tmp_path, "--accounts", f"{CALLER},{TRUSTED_A}")
    assert code == ExitCode.INCOMPLETE  # the estate's roles are named stormproof-scan
    assert [unit["account"] for unit in document["units"]] == [CALLER, CALLER]
    (error,) = document["errors"]
    assert (error["account"], error["operation"], error["code"]) == (
        TRUSTED_A,
        "AssumeRole",
        "AccessDenied",
    )
    assert error["message"].endswith(f"on resource: arn:aws:iam::{TRUSTED_A}:role/stormproof")


def test_the_callers_own_account_alone_needs_no_role(accounts: Seeded, tmp_path: Path):
    code, document = collect_cli(tmp_path, "--accounts", CALLER)
    assert code == ExitCode.CLEAN
    assert instance_ids(document) == {CALLER: accounts.instances[CALLER]}
    assert "sts:AssumeRole" not in document["api_calls"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--role-name", ROLE], "--role-name needs --accounts, --accounts-file or --organization"),
        (["--exclude-accounts", TRUSTED_A], "--exclude-accounts needs --accounts"),
        (["--accounts", "12"], "--accounts: 12 is not an AWS account id"),
        (["--accounts", TRUSTED_A, "--role-name", "bad role"], "is not an IAM role name"),
        (["--external-id", "x1"], "--external-id needs --accounts, --accounts-file or"),
        (
            ["--accounts", TRUSTED_A, "--role-name", ROLE, "--role-session-name", "a b"],
            "--role-session-name",
        ),
    ],
)
def test_bad_account_flags_are_one_line_exit_2_before_any_call(
    flags: list[str], message: str, tmp_path: Path, capsys
):
    code = main(["collect", *flags, "--output", str(tmp_path / "s.json")])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_targets_and_selection_together_are_refused():
    options = CollectOptions(accounts=[], selection=AccountSelection(account_ids=(CALLER,)))
    with pytest.raises(InputError, match="not both"):
        options.validate()
