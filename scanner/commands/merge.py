"""``stormproof merge``: combine the snapshots of a sharded run into one snapshot to scan."""

from __future__ import annotations

import argparse
import sys

from scanner.errors import ExitCode, InputError

SNAPSHOT_SUFFIXES = (".json", ".json.gz")


def run(args: argparse.Namespace) -> int:
    from scanner.model.merge import merge_snapshot_files
    from scanner.output_paths import check_output_file

    if not args.output.endswith(SNAPSHOT_SUFFIXES):
        raise InputError(f"--output must end in .json or .json.gz (got {args.output!r})")
    check_output_file(args.output, "--output")
    merged = merge_snapshot_files(args.inputs, args.output)
    if not args.quiet:
        scope = merged["scope"]
        errors = len(merged["errors"])
        sys.stderr.write(
            f"stormproof: merged {len(args.inputs)} snapshot(s): {len(scope['accounts'])} "
            f"account(s), {len(scope['regions'])} Region(s), {errors} account-level error(s); "
            f"wrote {args.output}\n"
        )
    return ExitCode.CLEAN
