"""AWS Backup operations moto 5.2 lacks, served in-process in AWS's REST-JSON wire format.

moto's backup backend has plans, vaults and tags, but no backup selections, no
Region settings, no protected resources and no recovery points.
:func:`fill_backup_gaps` adds them to moto's own ``BackupResponse`` and URL
table, so requests go through moto's router (operations matched from botocore's
model) and real botocore clients parse the answers: ``CreateBackupSelection``
(for seeding), ``ListBackupSelections``, ``GetBackupSelection``,
``DescribeRegionSettings``, ``ListProtectedResources`` and
``ListRecoveryPointsByBackupVault``, paginated with ``MaxResults``/``NextToken``.
State lives on moto's per-(account, Region) backend, so moto's reset clears it.

Seeding helpers: :func:`add_recovery_point` records a recovery point the way AWS
reports one (an EBS recovery point is a snapshot, ``arn:aws:ec2:<region>::
snapshot/snap-…``; an EC2 one an AMI, ``arn:aws:ec2:<region>::image/ami-…``; a
copy carries ``SourceBackupVaultArn``); :func:`set_region_settings` changes the
Region's service opt-in. Protected resources are derived from recovery points,
as AWS derives them ("resources with recovery points created by AWS Backup").

The change is process-wide (in-process ``mock_aws`` and a ``ThreadedMotoServer``
started in this process both see it) and idempotent; undo it with the returned
handle or by using it as a context manager.
"""

from __future__ import annotations

import copy
import json
import secrets
import threading
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from moto.backup import urls as backup_urls
from moto.backup.exceptions import InvalidParameterValueException, ResourceNotFoundException
from moto.backup.models import BackupBackend, backup_backends
from moto.backup.responses import BackupResponse
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.utils import unix_time
from moto.utilities.utils import get_partition

_LOCK = threading.Lock()
_STATE = "_stormproof_backup_state"

# When an account first uses AWS Backup in a Region it is opted in to every resource type
# supported there (https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html).
DEFAULT_OPT_IN: dict[str, bool] = {
    "Aurora": True,
    "CloudFormation": True,
    "DocumentDB": True,
    "DynamoDB": True,
    "EBS": True,
    "EC2": True,
    "EFS": True,
    "FSx": True,
    "Neptune": True,
    "RDS": True,
    "Redshift": True,
    "S3": True,
    "Storage Gateway": True,
    "VirtualMachine": True,
}
DEFAULT_MANAGEMENT: dict[str, bool] = {"DynamoDB": False, "EFS": True}


# -- state on moto's backend ------------------------------------------------------------------


def _state(backend: BackupBackend) -> dict[str, Any]:
    state = backend.__dict__.get(_STATE)
    if state is None:
        state = backend.__dict__[_STATE] = {
            "selections": {},  # plan id -> {selection id: stored selection}
            "points": {},  # vault name -> {recovery point ARN: point}
            "opt_in": dict(DEFAULT_OPT_IN),
            "management": dict(DEFAULT_MANAGEMENT),
        }
    return state


def _backend(account: str, region: str) -> BackupBackend:
    return backup_backends[account][region]


def set_region_settings(
    region: str,
    opt_in: dict[str, bool] | None = None,
    management: dict[str, bool] | None = None,
    *,
    account: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Update the Region's ``ResourceTypeOptInPreference`` / ``…ManagementPreference``."""
    state = _state(_backend(account, region))
    state["opt_in"].update(opt_in or {})
    state["management"].update(management or {})


def add_recovery_point(
    region: str,
    vault_name: str,
    resource_arn: str,
    *,
    resource_type: str | None = None,
    account: str = DEFAULT_ACCOUNT_ID,
    resource_id: str | None = None,
    creation_date: float | None = None,
    completion_date: float | None = None,
    status: str = "COMPLETED",
    plan_id: str | None = None,
    rule_id: str | None = None,
    source_vault_arn: str | None = None,
    delete_after_days: int | None = None,
    iam_role_arn: str | None = None,
) -> str:
    """Record a recovery point in ``vault_name``; returns its ARN.

    ``resource_type`` defaults from the ARN (``volume/`` → EBS, ``instance/`` → EC2).
    ``resource_id`` is the backup's own id (``snap-…`` / ``ami-…``, e.g. a snapshot
    seeded in moto's EC2); generated when omitted. ``plan_id`` must name a plan of
    the backend; the point's ``CreatedBy`` then names it and its version.
    """
    backend = _backend(account, region)
    if vault_name not in backend.vaults:
        raise ValueError(f"backup vault {vault_name} does not exist in {account}/{region}")
    kind = resource_type or _resource_type_of(resource_arn)
    if kind not in ("EBS", "EC2"):
        raise ValueError(f"{resource_arn}: only EBS volumes and EC2 instances are supported")
    prefix = "snapshot/snap" if kind == "EBS" else "image/ami"
    backup_id = resource_id or f"{prefix.split('/')[1]}-{secrets.token_hex(9)[:17]}"
    partition = get_partition(region)
    arn = f"arn:{partition}:ec2:{region}::{prefix.split('/')[0]}/{backup_id}"
    vault = backend.vaults[vault_name]
    created = unix_time() if creation_date is None else creation_date
    point: dict[str, Any] = {
        "RecoveryPointArn": arn,
        "BackupVaultName": vault_name,
        "BackupVaultArn": vault.backup_vault_arn,
        "ResourceArn": resource_arn,
        "ResourceType": kind,
        "IamRoleArn": iam_role_arn
        or f"arn:{partition}:iam::{account}:role/service-role/AWSBackupDefaultServiceRole",
        "Status": status,
        "CreationDate": created,
        "IsEncrypted": False,
        "IsParent": False,
        "VaultType": "BACKUP_VAULT",
    }
    if status == "COMPLETED":
        point["CompletionDate"] = created if completion_date is None else completion_date
    if source_vault_arn:
        point["SourceBackupVaultArn"] = source_vault_arn
    if plan_id is not None:
        plan = backend.get_backup_plan(plan_id, None)
        point["CreatedBy"] = {
            "BackupPlanId": plan.backup_plan_id,
            "BackupPlanArn": plan.backup_plan_arn,
            "BackupPlanVersion": plan.version_id,
            **({"BackupRuleId": rule_id} if rule_id else {}),
        }
    if delete_after_days is not None:
        point["Lifecycle"] = {"DeleteAfterDays": delete_after_days}
        point["CalculatedLifecycle"] = {"DeleteAt": created + delete_after_days * 86400}
    with _LOCK:
        _state(backend)["points"].setdefault(vault_name, {})[arn] = point
        vault.num_of_recovery_points += 1
    return arn


def _resource_type_of(arn: str) -> str | None:
    resource = arn.split(":", 5)[-1]
    return {"volume": "EBS", "instance": "EC2"}.get(resource.split("/", 1)[0])


# -- responses ----------------------------------------------------------------------------------


def _page(response: BackupResponse, items: list[Any], key: str) -> str:
    """One page of ``items`` as AWS pages them: ``maxResults`` (1-1000), opaque ``NextToken``."""
    limit = int(response._get_param("maxResults") or 1000)
    if not 1 <= limit <= 1000:
        raise InvalidParameterValueException(msg="MaxResults must be between 1 and 1000")
    token = response._get_param("nextToken")
    start = int(token.split("-", 1)[1]) if token else 0
    body: dict[str, Any] = {key: items[start : start + limit]}
    if start + limit < len(items):
        body["NextToken"] = f"{uuid.uuid4().hex}-{start + limit}"
    return json.dumps(body)


def _label(response: BackupResponse, name: str) -> str:
    """A URI label of the matched operation (moto's router keys them by the model's label)."""
    return unquote(str(response.uri_match.get(name) or ""))


def _plan_id(response: BackupResponse) -> str:
    plan_id = _label(response, "backupPlanId")
    if plan_id not in response.backup_backend.plans:
        raise ResourceNotFoundException(msg=f"Failed reading Backup plan {plan_id}")
    return plan_id


def create_backup_selection(self: BackupResponse) -> str:
    plan_id = _plan_id(self)
    params = json.loads(self.body or "{}")
    selection = copy.deepcopy(params.get("BackupSelection") or {})
    for field in ("SelectionName", "IamRoleArn"):
        if not selection.get(field):
            raise InvalidParameterValueException(msg=f"BackupSelection.{field} is required")
    selection.setdefault("Resources", [])
    selection.setdefault("NotResources", [])
    selection.setdefault("ListOfTags", [])
    conditions = selection.setdefault("Conditions", {})
    for name in ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike"):
        conditions.setdefault(name, [])
    stored = {
        "SelectionId": str(uuid.uuid4()),
        "BackupPlanId": plan_id,
        "CreationDate": unix_time(),
        "CreatorRequestId": params.get("CreatorRequestId"),
        "BackupSelection": selection,
    }
    with _LOCK:
        _state(self.backup_backend)["selections"].setdefault(plan_id, {})[stored["SelectionId"]] = (
            stored
        )
    return json.dumps(
        {k: stored[k] for k in ("SelectionId", "BackupPlanId", "CreationDate", "CreatorRequestId")}
    )


def list_backup_selections(self: BackupResponse) -> str:
    plan_id = _plan_id(self)
    stored = _state(self.backup_backend)["selections"].get(plan_id, {})
    items = [
        {
            "SelectionId": s["SelectionId"],
            "SelectionName": s["BackupSelection"]["SelectionName"],
            "BackupPlanId": plan_id,
            "CreationDate": s["CreationDate"],
            "IamRoleArn": s["BackupSelection"]["IamRoleArn"],
            **({"CreatorRequestId": s["CreatorRequestId"]} if s["CreatorRequestId"] else {}),
        }
        for s in stored.values()
    ]
    return _page(self, items, "BackupSelectionsList")


def get_backup_selection(self: BackupResponse) -> str:
    plan_id = _plan_id(self)
    selection_id = _label(self, "selectionId")
    stored = _state(self.backup_backend)["selections"].get(plan_id, {}).get(selection_id)
    if stored is None:
        raise ResourceNotFoundException(msg=f"Selection {selection_id} not found")
    body = {key: value for key, value in stored.items() if value is not None}
    return json.dumps(body)


def describe_region_settings(self: BackupResponse) -> str:
    state = _state(self.backup_backend)
    return json.dumps(
        {
            "ResourceTypeOptInPreference": state["opt_in"],
            "ResourceTypeManagementPreference": state["management"],
        }
    )


def list_recovery_points_by_backup_vault(self: BackupResponse) -> str:
    vault_name = _label(self, "backupVaultName")
    if vault_name not in self.backup_backend.vaults:
        raise ResourceNotFoundException(msg=f"Backup vault {vault_name} not found")
    wanted = {
        "ResourceType": self._get_param("resourceType"),
        "ResourceArn": self._get_param("resourceArn"),
    }
    plan_filter = self._get_param("backupPlanId")
    points = _state(self.backup_backend)["points"].get(vault_name, {}).values()
    items = [
        point
        for point in points
        if all(value is None or point.get(key) == value for key, value in wanted.items())
        and (
            plan_filter is None or (point.get("CreatedBy") or {}).get("BackupPlanId") == plan_filter
        )
    ]
    return _page(self, sorted(items, key=lambda p: p["CreationDate"]), "RecoveryPoints")


def list_protected_resources(self: BackupResponse) -> str:
    latest: dict[str, dict[str, Any]] = {}
    for vault_points in _state(self.backup_backend)["points"].values():
        for point in vault_points.values():
            known = latest.get(point["ResourceArn"])
            if known is None or point["CreationDate"] > known["CreationDate"]:
                latest[point["ResourceArn"]] = point
    items = [
        {
            "ResourceArn": arn,
            "ResourceType": point["ResourceType"],
            "LastBackupTime": point["CreationDate"],
            "LastBackupVaultArn": point["BackupVaultArn"],
            "LastRecoveryPointArn": point["RecoveryPointArn"],
        }
        for arn, point in sorted(latest.items())
    ]
    return _page(self, items, "Results")


_METHODS: dict[str, Callable[[BackupResponse], str]] = {
    "create_backup_selection": create_backup_selection,
    "list_backup_selections": list_backup_selections,
    "get_backup_selection": get_backup_selection,
    "describe_region_settings": describe_region_settings,
    "list_protected_resources": list_protected_resources,
    "list_recovery_points_by_backup_vault": list_recovery_points_by_backup_vault,
}
# Paths moto's URL table lacks (selections are already under "/backup/plans/<name>").
_PATHS = (
    "{0}/account-settings$",
    "{0}/resources/?$",
    "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$",  # as botocore sends it
)


# -- install / undo -----------------------------------------------------------------------------


class BackupPatch:
    """What one :func:`fill_backup_gaps` call added; :meth:`undo` removes exactly that."""

    def __init__(self, methods: list[str], paths: list[str]) -> None:
        self.methods, self.paths = methods, paths

    def undo(self) -> None:
        with _LOCK:
            for name in self.methods:
                if name in BackupResponse.__dict__:
                    delattr(BackupResponse, name)
            for path in self.paths:
                backup_urls.url_paths.pop(path, None)
            self.methods, self.paths = [], []

    def __enter__(self) -> BackupPatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.undo()


def fill_backup_gaps() -> BackupPatch:
    """Serve the missing AWS Backup operations from moto; idempotent (a second call adds
    nothing, and its undo removes nothing)."""
    methods, paths = [], []
    with _LOCK:
        for name, method in _METHODS.items():
            if not hasattr(BackupResponse, name):
                setattr(BackupResponse, name, method)
                methods.append(name)
        for path in _PATHS:
            if path not in backup_urls.url_paths:
                backup_urls.url_paths[path] = BackupResponse.dispatch
                paths.append(path)
    return BackupPatch(methods, paths)
