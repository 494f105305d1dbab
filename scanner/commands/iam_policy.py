"""``stormproof iam-policy``: print the least-privilege IAM policy for the collector's calls.

Without flags: the scan-role policy (attach it to the role assumed in every
account, and to the caller for its own account). ``--caller``: what the caller of
a multi-account scan needs besides (``sts:AssumeRole`` into ``--role-name`` and
``organizations:ListAccounts`` for ``--organization``).
"""

from __future__ import annotations

import argparse
import json
import sys

from scanner.errors import ExitCode, InputError


def run(args: argparse.Namespace) -> int:
    from scanner.collect.readonly import caller_policy_document, iam_policy_document

    caller, role_name = getattr(args, "caller", False), getattr(args, "role_name", None)
    if role_name and not caller:
        raise InputError("--role-name only applies with --caller (the caller's policy names it)")
    document = caller_policy_document(role_name) if caller else iam_policy_document()
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return ExitCode.CLEAN
