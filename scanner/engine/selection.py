"""``--policy``, ``--exclude-policy`` and ``--severity``: which loaded policies a run uses.

Patterns are policy ids or shell-style globs (``fnmatch``, case-sensitive). A
pattern that selects no policy is the user's error, so a typo in a CI job fails
loudly instead of quietly scanning with nothing, or with everything.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from fnmatch import fnmatchcase

from scanner.engine.policy import Policy
from scanner.engine.results import SEVERITY_RANK
from scanner.errors import InputError


def select_policies(
    policies: Sequence[Policy],
    *,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    min_severity: str | None = None,
) -> list[Policy]:
    """The policies matching any ``include`` (all if none), minus ``exclude``, at or above
    ``min_severity`` (after config overrides)."""
    ids = [policy.id for policy in policies]
    for flag, patterns in (("--policy", include), ("--exclude-policy", exclude)):
        for pattern in patterns:
            if not any(fnmatchcase(policy_id, pattern) for policy_id in ids):
                close = difflib.get_close_matches(pattern, ids, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise InputError(
                    f"{flag} {pattern!r} matches no policy{hint}; see `stormproof policies list`"
                )
    selected = [
        policy
        for policy in policies
        if (not include or any(fnmatchcase(policy.id, p) for p in include))
        and not any(fnmatchcase(policy.id, p) for p in exclude)
    ]
    if min_severity is not None:
        threshold = SEVERITY_RANK[min_severity]
        selected = [p for p in selected if SEVERITY_RANK.get(p.meta.severity, 99) <= threshold]
    if not selected:
        raise InputError(
            "--policy, --exclude-policy and --severity together select no policy; "
            "a scan with no policy would vouch for nothing"
        )
    return selected
