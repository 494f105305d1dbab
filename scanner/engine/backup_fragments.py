"""Fragment defaults for AWS Backup records, so a policy case names only what it is about.

A case without AWS Backup records has none at all (no plans, no Region
settings): nothing is assumed. A written record gets what AWS would report:

- ``backup_plans``: ARN ``arn:aws:backup:<region>:<account>:backup-plan:<id>``; one daily
  rule (``cron(0 5 ? * * *)``, AWS's default schedule, into vault ``Default``) when the case
  writes no ``rules``; ``selections: []`` when it writes none (``selections: null`` stays
  null: coverage unknown). A copy action may name ``{region, account, vault}`` instead of
  ``destination_vault_arn``. ``list_of_tags`` and each ``conditions`` list accept a
  ``{key: value}`` object.
- ``backup_vaults``: ``id`` is the vault name; ARN ``...:backup-vault:<name>``.
- ``backup_recovery_points``: need no ``id``. ``resource_arn`` may be a bare ``vol-...`` or
  ``i-...`` id; ``resource_type`` follows from it. The ARN is AWS's: an EBS recovery point is
  a snapshot (``arn:aws:ec2:<region>::snapshot/snap-...``), an EC2 one an AMI
  (``arn:aws:ec2:<region>::image/ami-...``).
- ``backup_protected_resources``: ``id`` and ``arn`` are the resource ARN (``arn`` or
  ``resource_arn``, bare ids allowed).
- ``backup_region_settings``: need no ``id``; EC2 and EBS opted in unless the case says.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

Record = dict[str, Any]

BACKUP_KEYS_WITHOUT_ID = frozenset(
    {"backup_recovery_points", "backup_protected_resources", "backup_region_settings"}
)
_NAMESPACE = uuid.UUID("0b6d7f43-9a3e-4f53-8a6e-3c2f1b7d9e21")
_CONDITION_LISTS = ("string_equals", "string_not_equals", "string_like", "string_not_like")
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"
DEFAULT_VAULT = "Default"


def _hex(*parts: object, length: int) -> str:
    return uuid.uuid5(_NAMESPACE, ":".join(str(p) for p in parts)).hex[:length]


def vault_arn(ctx: Any, name: str, *, region: str | None = None, account: str | None = None) -> str:
    return f"arn:aws:backup:{region or ctx.region}:{account or ctx.account}:backup-vault:{name}"


def resource_arn(ctx: Any, value: str) -> str:
    """A bare ``vol-``/``i-`` id becomes that resource's ARN in the unit; ARNs stay."""
    if value.startswith("vol-"):
        return ctx.arn("ec2", f"volume/{value}")
    if value.startswith("i-"):
        return ctx.arn("ec2", f"instance/{value}")
    return value


def resource_type_of(arn: str) -> str | None:
    resource = arn.split(":", 5)[-1]
    if resource.startswith("volume/"):
        return "EBS"
    if resource.startswith("instance/"):
        return "EC2"
    return None


def _lifecycle(value: Record | None) -> Record | None:
    if value is None:
        return None
    return {
        "delete_after_days": value.get("delete_after_days"),
        "move_to_cold_storage_after_days": value.get("move_to_cold_storage_after_days"),
    }


def _key_values(value: Any) -> list[Record]:
    if isinstance(value, dict):
        return [{"key": str(k), "value": str(v)} for k, v in value.items()]
    return list(value or [])


def _rule(ctx: Any, plan_id: str, index: int, r: Record) -> Record:
    r.setdefault("name", f"rule-{index + 1}")
    r.setdefault("id", str(uuid.uuid5(_NAMESPACE, f"{ctx.account}:{plan_id}:{r['name']}")))
    r.setdefault("target_vault_name", DEFAULT_VAULT)
    r.setdefault("schedule_expression", DEFAULT_SCHEDULE)
    r.setdefault("schedule_timezone", "Etc/UTC")
    r.setdefault("start_window_minutes", 480)
    r.setdefault("completion_window_minutes", 10080)
    r.setdefault("continuous", False)
    r["lifecycle"] = _lifecycle(r.get("lifecycle"))
    actions = []
    for action in r.get("copy_actions", []):
        action = dict(action)
        if "destination_vault_arn" not in action:
            action["destination_vault_arn"] = vault_arn(
                ctx,
                action.pop("vault", DEFAULT_VAULT),
                region=action.pop("region", None),
                account=action.pop("account", None),
            )
        action["lifecycle"] = _lifecycle(action.get("lifecycle"))
        actions.append(action)
    r["copy_actions"] = actions
    return r


def _selection(ctx: Any, plan_id: str, index: int, s: Record) -> Record:
    s.setdefault("name", f"selection-{index + 1}")
    s.setdefault("id", str(uuid.uuid5(_NAMESPACE, f"{ctx.account}:{plan_id}:{s['name']}")))
    s.setdefault(
        "iam_role_arn", f"arn:aws:iam::{ctx.account}:role/service-role/AWSBackupDefaultServiceRole"
    )
    s["resources"] = [resource_arn(ctx, arn) for arn in s.get("resources", [])]
    s["not_resources"] = [resource_arn(ctx, arn) for arn in s.get("not_resources", [])]
    s["list_of_tags"] = [
        {"condition_type": tag.get("condition_type", "STRINGEQUALS"), **tag}
        for tag in _key_values(s.get("list_of_tags"))
    ]
    conditions = s.get("conditions") or {}
    s["conditions"] = {name: _key_values(conditions.get(name)) for name in _CONDITION_LISTS}
    return s


def _backup_plan(ctx: Any, r: Record) -> Record:
    plan_id = r["id"]
    r.setdefault("arn", ctx.arn("backup", f"backup-plan:{plan_id}"))
    r.setdefault("name", plan_id)
    r.setdefault("version_id", _hex(ctx.account, ctx.region, plan_id, "version", length=32))
    r.setdefault("creation_date", ctx.created)
    r.setdefault("last_execution_date", None)
    r["rules"] = [_rule(ctx, plan_id, i, dict(rule)) for i, rule in enumerate(r.get("rules", [{}]))]
    if r.get("selections", []) is not None:
        r["selections"] = [
            _selection(ctx, plan_id, i, dict(s)) for i, s in enumerate(r.get("selections", []))
        ]
    return ctx.base(r)


def _backup_vault(ctx: Any, r: Record) -> Record:
    r.setdefault("name", r["id"])
    r.setdefault("arn", vault_arn(ctx, r["name"]))
    r.setdefault("vault_type", "BACKUP_VAULT")
    r.setdefault("locked", False)
    for key in ("min_retention_days", "max_retention_days", "lock_date"):
        r.setdefault(key, None)
    r.setdefault("number_of_recovery_points", None)
    return ctx.base(r)


def _backup_recovery_point(ctx: Any, r: Record) -> Record:
    r["resource_arn"] = resource_arn(ctx, r["resource_arn"])
    r.setdefault("resource_type", resource_type_of(r["resource_arn"]))
    r.setdefault("creation_date", r.get("completion_date") or ctx.created)
    r.setdefault("completion_date", r["creation_date"])
    if "arn" not in r:
        if "id" not in r:
            seed = (ctx.account, ctx.region, r["resource_arn"], r["creation_date"])
            kind = "image/ami" if r["resource_type"] == "EC2" else "snapshot/snap"
            r["id"] = f"{kind}-{_hex(*seed, length=17)}"
        r["arn"] = ctx.arn("ec2", r["id"], account=False)
    r.setdefault("id", r["arn"].split(":", 5)[-1])
    r.setdefault("vault_name", DEFAULT_VAULT)
    r.setdefault("vault_arn", vault_arn(ctx, r["vault_name"]))
    r.setdefault("source_vault_arn", None)
    r.setdefault("status", "COMPLETED")
    r.setdefault("delete_at", None)
    r.setdefault("move_to_cold_storage_at", None)
    r.setdefault("plan_id", None)
    plan = r["plan_id"]
    r.setdefault("plan_arn", ctx.arn("backup", f"backup-plan:{plan}") if plan else None)
    r.setdefault("rule_id", None)
    r.setdefault("parent_recovery_point_arn", None)
    r.setdefault("is_parent", False)
    return ctx.base(r)


def _backup_protected_resource(ctx: Any, r: Record) -> Record:
    arn = resource_arn(ctx, r.pop("resource_arn", None) or r.get("arn") or r["id"])
    r["arn"] = arn
    r["id"] = arn
    r.setdefault("resource_type", resource_type_of(arn))
    r.setdefault("resource_name", None)
    r.setdefault("last_backup_time", ctx.created)
    r.setdefault("last_backup_vault_arn", vault_arn(ctx, DEFAULT_VAULT))
    r.setdefault("last_recovery_point_arn", None)
    return ctx.base(r)


def _backup_region_settings(ctx: Any, r: Record) -> Record:
    r.setdefault("id", "region-settings")
    r.setdefault("arn", ctx.arn("backup", "region-settings"))
    opt_in = r.get("resource_type_opt_in")
    r["resource_type_opt_in"] = (
        {"EC2": True, "EBS": True} if opt_in is None else {str(k): v for k, v in opt_in.items()}
    )
    r["resource_type_management"] = dict(r.get("resource_type_management") or {})
    return ctx.base(r)


BACKUP_EXPANDERS: dict[str, Callable[[Any, Record], Record]] = {
    "backup_plans": _backup_plan,
    "backup_vaults": _backup_vault,
    "backup_recovery_points": _backup_recovery_point,
    "backup_protected_resources": _backup_protected_resource,
    "backup_region_settings": _backup_region_settings,
}
