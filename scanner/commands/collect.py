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
    from scanner.output_paths import check_output_file

    """Collect, streaming each unit to the snapshot file as it finishes (bounded memory)."""
    from scanner.collect.progress import make_reporter
    from scanner.collect.runner import collect_units, error_sort_key
    from scanner.model.snapshot_stream import SnapshotStreamWriter

    if not args.output.endswith(SNAPSHOT_SUFFIXES):
        raise InputError(f"--output must end in .json or .json.gz (got {args.output!r})")
    check_output_file(args.output, "--output")
    options = options_from_args(args)
    configure_logging(quiet=args.quiet, verbose=args.verbose)
    began = time.monotonic()
    unit_errors: list[dict[str, Any]] = []
    with SnapshotStreamWriter(args.output) as writer:

        def keep(unit: dict[str, Any]) -> None:
            unit_errors.extend(unit["errors"])
            writer.add_unit(unit)

        reporter = make_reporter(
            sys.stderr, quiet=args.quiet, color=False if args.no_color else None
        )
        document = collect_units(options, keep, reporter=reporter)
        units = len(writer.unit_keys)
        path = writer.finish(document)
    errors = [*document["errors"], *sorted(unit_errors, key=error_sort_key)]
    seconds = time.monotonic() - began
    print_summary(document, errors, str(path), seconds, quiet=args.quiet, unit_count=units)
    return ExitCode.INCOMPLETE if errors else ExitCode.CLEAN


def options_from_args(args: argparse.Namespace) -> Any:
    """CollectOptions from the shared collection flags (``scan`` uses this too)."""
    from scanner.collect import CollectOptions

    selection = account_selection_from_args(args)
    options = CollectOptions(
        profile=args.profile,
        regions=None if args.all_regions else args.regions,
        max_workers=args.max_workers,
        rate_limit=args.rate_limit,
        shard=args.shard,
        selection=selection,
    )
    options.validate()
    return options


def account_selection_from_args(args: argparse.Namespace) -> Any:
    """The multi-account flags as an AccountSelection, or ``None`` for the caller's account.

    Everything is checked before any AWS call: ids, the accounts file (file:line:col),
    the role name, and flags that only make sense together.
    """
    from scanner.collect.accounts import (
        AccountSelection,
        parse_account_ids,
        read_accounts_file,
        role_from_flags,
    )
    from scanner.collect.readonly import DEFAULT_SCAN_ROLE_NAME

    multi_account = args.accounts is not None or args.accounts_file is not None
    multi_account = multi_account or args.organization
    if not multi_account:
        for flag, value in (
            ("--exclude-accounts", args.exclude_accounts),
            ("--role-name", args.role_name),
            ("--external-id", args.external_id),
        ):
            if value:
                raise InputError(f"{flag} needs --accounts, --accounts-file or --organization")
        return None
    # The caller's own account needs no role; every other account is reached through this one.
    role = role_from_flags(
        args.role_name or DEFAULT_SCAN_ROLE_NAME, args.external_id, args.role_session_name
    )
    exclude = (
        frozenset(parse_account_ids(args.exclude_accounts, "--exclude-accounts"))
        if args.exclude_accounts
        else frozenset()
    )
    if args.organization:
        return AccountSelection(organization=True, exclude=exclude, role=role)
    if args.accounts is not None:
        ids = parse_account_ids(args.accounts, "--accounts")
    else:
        ids = read_accounts_file(args.accounts_file)
    return AccountSelection(account_ids=ids, exclude=exclude, role=role)


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
    unit_count: int | None = None,
) -> None:
    stream = stream or sys.stderr
    calls = sum(document["api_calls"].values())
    scope = document["scope"]
    units = len(document["units"]) if unit_count is None else unit_count
    if not quiet:
        stream.write(
            f"stormproof: collected {units} unit(s) "
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
