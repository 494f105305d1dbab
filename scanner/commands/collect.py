"""``stormproof collect``: snapshot the account's EC2 resilience state (read-only) to a file."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from typing import Any, TextIO

from scanner.errors import ExitCode, InputError

SNAPSHOT_SUFFIXES = (".json", ".json.gz")
MAX_ERRORS_SHOWN = 10


def run(args: argparse.Namespace) -> int:
    from scanner.collect import collect_snapshot, snapshot_errors
    from scanner.collect.progress import make_reporter
    from scanner.model.snapshot import dump_snapshot

    if not args.output.endswith(SNAPSHOT_SUFFIXES):
        raise InputError(f"--output must end in .json or .json.gz (got {args.output!r})")
    options = options_from_args(args)
    configure_logging(quiet=args.quiet, verbose=args.verbose)
    began = time.monotonic()
    document = collect_snapshot(options, reporter=make_reporter(sys.stderr, quiet=args.quiet))
    path = dump_snapshot(document, args.output)
    errors = snapshot_errors(document)
    print_summary(document, errors, str(path), time.monotonic() - began, quiet=args.quiet)
    return ExitCode.INCOMPLETE if errors else ExitCode.CLEAN


def options_from_args(args: argparse.Namespace) -> Any:
    """CollectOptions from the shared collection flags (``scan`` uses this too)."""
    from scanner.collect import CollectOptions

    multi_account = [
        flag
        for flag, value in (
            ("--accounts", args.accounts),
            ("--accounts-file", args.accounts_file),
            ("--organization", args.organization),
            ("--exclude-accounts", args.exclude_accounts),
            ("--role-name", args.role_name),
            ("--external-id", args.external_id),
        )
        if value
    ]
    if multi_account:
        raise InputError(
            f"{', '.join(multi_account)}: multi-account collection is not available yet; "
            "collect each account with its own --profile and merge the snapshots"
        )
    options = CollectOptions(
        profile=args.profile,
        regions=None if args.all_regions else args.regions,
        max_workers=args.max_workers,
        rate_limit=args.rate_limit,
        shard=args.shard,
    )
    options.validate()
    return options


def configure_logging(*, quiet: bool, verbose: bool) -> None:
    """``-v`` logs every call and failure; otherwise only the final summary speaks."""
    logger = logging.getLogger("stormproof.collect")
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = False
    if verbose and not quiet:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("stormproof: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    else:
        logger.setLevel(logging.CRITICAL)


def print_summary(
    document: dict[str, Any],
    errors: list[dict[str, Any]],
    path: str,
    seconds: float,
    *,
    quiet: bool,
    stream: TextIO | None = None,
) -> None:
    stream = stream or sys.stderr
    calls = sum(document["api_calls"].values())
    scope = document["scope"]
    if not quiet:
        stream.write(
            f"stormproof: collected {len(document['units'])} unit(s) "
            f"({len(scope['accounts'])} account(s), {len(scope['regions'])} Region(s)) "
            f"with {calls} API calls in {seconds:.1f}s; wrote {path}\n"
        )
    if not errors:
        return
    stream.write(
        f"stormproof: INCOMPLETE: {len(errors)} collection error(s); the snapshot records "
        f"each one and the resources they hide are unknown, not passing:\n"
    )
    for error in errors[:MAX_ERRORS_SHOWN]:
        stream.write(
            f"  {error['account'] or '-'} {error['region'] or '-'} "
            f"{error['service']}:{error['operation']}: {error['code']}: {error['message']}\n"
        )
    if len(errors) > MAX_ERRORS_SHOWN:
        stream.write(f"  … and {len(errors) - MAX_ERRORS_SHOWN} more in {path}\n")
