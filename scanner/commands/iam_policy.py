"""``stormproof iam-policy``: print the least-privilege IAM policy for the collector's calls."""

from __future__ import annotations

import argparse
import json
import sys

from scanner.errors import ExitCode


def run(args: argparse.Namespace) -> int:
    from scanner.collect.readonly import iam_policy_document

    json.dump(iam_policy_document(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return ExitCode.CLEAN
