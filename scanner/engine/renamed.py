"""Policy ids that were renamed, still accepted for one release with a deprecation warning.

Config files (``disabled``, ``policies``) and waiver files name policies by id;
an old id there keeps working, mapped to its new id, and each use is reported
as a warning that names the new id, so users can update their files before the
old id is dropped.
"""

from __future__ import annotations

RENAMED: dict[str, str] = {
    "volume-no-dlm-policy": "volume-no-backup-policy",
    "instance-no-dlm-ami-policy": "instance-no-image-backup",
}


def current_id(policy_id: str) -> str:
    """The id a policy has now (``policy_id`` itself unless it was renamed)."""
    return RENAMED.get(policy_id, policy_id)


def deprecation(policy_id: str) -> str | None:
    """The warning for an old id; None for a current one."""
    new_id = RENAMED.get(policy_id)
    if new_id is None:
        return None
    return (
        f"policy id '{policy_id}' is deprecated and will stop working in the next release; "
        f"use '{new_id}'"
    )
