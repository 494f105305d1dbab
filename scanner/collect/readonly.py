"""Read-only, enforced: the explicit allowlist of AWS operations and the hook that enforces it.

Every client the collector creates gets :func:`install_readonly_guard`. The guard
runs on botocore's ``before-call`` event (after parameters are validated, before
a request exists) and again on ``before-send`` (the last moment before bytes
leave the process), so an operation outside :data:`ALLOWED_OPERATIONS` raises
:class:`ReadOnlyViolation` and nothing reaches AWS. ``stormproof iam-policy``
prints :func:`iam_policy_document`, generated from the same allowlist, so the
policy a user grants and the calls the collector may make cannot drift apart.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.session
from botocore.client import BaseClient

# "service:Operation", with botocore service names; the keys of a snapshot's api_calls.
ALLOWED_OPERATIONS: frozenset[str] = frozenset(
    {
        "sts:GetCallerIdentity",
        "ec2:DescribeRegions",
        "ec2:DescribeAvailabilityZones",
        "ec2:DescribeInstances",
        "ec2:DescribeSubnets",
        "ec2:DescribeVolumes",
        "ec2:DescribeSnapshots",
        "ec2:DescribeImages",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:DescribePlacementGroups",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeLaunchConfigurations",
        "elb:DescribeLoadBalancers",
        "elb:DescribeLoadBalancerAttributes",
        "elb:DescribeTags",
        "elbv2:DescribeLoadBalancers",
        "elbv2:DescribeLoadBalancerAttributes",
        "elbv2:DescribeTargetGroups",
        "elbv2:DescribeTargetGroupAttributes",
        "elbv2:DescribeTargetHealth",
        "elbv2:DescribeTags",
        "dlm:GetLifecyclePolicies",
        "dlm:GetLifecyclePolicy",
        "arc-zonal-shift:ListManagedResources",
        "backup:ListBackupPlans",
        "backup:GetBackupPlan",
        "backup:ListBackupSelections",
        "backup:GetBackupSelection",
        "backup:ListTags",
        "backup:DescribeRegionSettings",
        "backup:ListProtectedResources",
        "backup:ListBackupVaults",
        "backup:ListRecoveryPointsByBackupVault",
    }
)

# Calls made only with the caller's own credentials, to find and reach the accounts of a
# multi-account scan; never made inside a scanned account, so they are not in the scan-role
# policy but in the caller policy (`stormproof iam-policy --caller`). sts:AssumeRole is not a
# Describe/List/Get, yet it changes nothing in any account: it only issues short-lived
# credentials for the scan role. It is allowed here explicitly, and on caller clients only.
CALLER_OPERATIONS: frozenset[str] = frozenset(
    {
        "sts:AssumeRole",
        "organizations:ListAccounts",
    }
)

READ_ONLY_PREFIXES: tuple[str, ...] = ("Describe", "List", "Get")


class ReadOnlyViolation(RuntimeError):
    """An operation outside the allowlist was attempted; it was refused before being sent."""


def is_allowed(service: str, operation: str, allowed: frozenset[str] = ALLOWED_OPERATIONS) -> bool:
    return f"{service}:{operation}" in allowed


def install_readonly_guard(
    client: BaseClient, allowed: frozenset[str] = ALLOWED_OPERATIONS
) -> None:
    """Refuse, on this client, every operation that is not in ``allowed``.

    Clients of scanned accounts get :data:`ALLOWED_OPERATIONS`; only the caller's own
    clients also get :data:`CALLER_OPERATIONS`.
    """
    service = client.meta.service_model.service_name

    def refuse_before_call(model: Any = None, **_: Any) -> None:
        _check(service, model.name, allowed)

    def refuse_before_send(event_name: str = "", **_: Any) -> None:
        _check(service, event_name.rsplit(".", 1)[-1], allowed)

    events = client.meta.events
    events.register_first("before-call", refuse_before_call, unique_id="stormproof-readonly-call")
    events.register_first("before-send", refuse_before_send, unique_id="stormproof-readonly-send")


def _check(service: str, operation: str, allowed: frozenset[str]) -> None:
    if not is_allowed(service, operation, allowed):
        raise ReadOnlyViolation(
            f"refused {service}:{operation}: stormproof is read-only and only makes the "
            "calls in its allowlist (see `stormproof iam-policy`)"
        )


def iam_action(service_operation: str) -> str:
    """``elbv2:DescribeTags`` → ``elasticloadbalancing:DescribeTags`` (the IAM service prefix)."""
    service, _, operation = service_operation.partition(":")
    return f"{_iam_prefix(service)}:{operation}"


@functools.cache
def _iam_prefix(service: str) -> str:
    metadata = botocore.session.get_session().get_service_model(service).metadata
    return metadata.get("signingName") or metadata["endpointPrefix"]


def iam_policy_document() -> dict[str, Any]:
    """The least-privilege IAM policy for exactly :data:`ALLOWED_OPERATIONS`."""
    actions = sorted({iam_action(operation) for operation in ALLOWED_OPERATIONS})
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StormproofReadOnlyCollection",
                "Effect": "Allow",
                "Action": actions,
                "Resource": "*",
            }
        ],
    }


DEFAULT_SCAN_ROLE_NAME = "stormproof"


def caller_policy_document(role_name: str | None = None) -> dict[str, Any]:
    """What the caller of a multi-account scan needs on top of its own account's scan policy.

    ``sts:AssumeRole`` into the scan role of every account (``--role-name``), and
    ``organizations:ListAccounts`` for ``--organization`` (in the management account or a
    delegated administrator).
    """
    role = role_name or DEFAULT_SCAN_ROLE_NAME
    listing = sorted(iam_action(op) for op in CALLER_OPERATIONS if op != "sts:AssumeRole")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StormproofAssumeScanRole",
                "Effect": "Allow",
                "Action": [iam_action("sts:AssumeRole")],
                "Resource": f"arn:aws:iam::*:role/{role}",
            },
            {
                "Sid": "StormproofListOrganizationAccounts",
                "Effect": "Allow",
                "Action": listing,
                "Resource": "*",
            },
        ],
    }
