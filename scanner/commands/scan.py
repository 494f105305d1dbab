"""``stormproof scan``: load or collect a snapshot, link, evaluate, waive, baseline, report.

Every user file (config, policies, waivers, baseline) is checked before any
AWS call, so a typo fails in a second with exit code 2, not after a long
collection. The exit code is decided before account ids are redacted and is
the same whatever formats are written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from scanner.engine.results import SEVERITY_RANK
from scanner.errors import ExitCode, InputError
from scanner.report.context import ScanReport

SNAPSHOT_NAME = "snapshot.json.gz"


def exit_code(report: ScanReport, fail_on: str) -> ExitCode:
    """3 if incomplete (takes precedence), else 1 for an open finding at or above ``fail_on``."""
    if not report.complete:
        return ExitCode.INCOMPLETE
    if fail_on != "none":
        threshold = SEVERITY_RANK[fail_on]
        if any(
            f.status == "open" and SEVERITY_RANK.get(f.severity, 99) <= threshold
            for f in report.findings
        ):
            return ExitCode.FINDINGS
    return ExitCode.CLEAN


def outcome_text(report: ScanReport, code: ExitCode, fail_on: str) -> str:
    if code == ExitCode.INCOMPLETE:
        unknown = report.counts_by_status()["unknown"]
        return (
            f"INCOMPLETE (exit 3): {len(report.errors)} collection error(s) and "
            f"{unknown} unknown result(s); "
            "unknown is not a pass"
        )
    if code == ExitCode.FINDINGS:
        threshold = SEVERITY_RANK[fail_on]
        failing = sum(
            1
            for f in report.findings
            if f.status == "open" and SEVERITY_RANK.get(f.severity, 99) <= threshold
        )
        return f"FAIL (exit 1): {failing} open finding(s) at or above {fail_on}"
    if fail_on == "none":
        return "OK (exit 0): --fail-on none"
    return f"OK (exit 0): no open finding at or above {fail_on}"


def check_policy_root(value: str | None) -> str:
    """``--sarif-policy-root`` must be a relative path inside the repository."""
    from scanner.report.sarif_rules import DEFAULT_POLICY_ROOT, normalize_policy_root

    if value is None:
        return DEFAULT_POLICY_ROOT
    posix = PurePosixPath(value.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or (len(value) > 1 and value[1] == ":"):
        raise InputError(
            f"--sarif-policy-root must be a path relative to the repository root, like "
            f"{DEFAULT_POLICY_ROOT} (got {value!r})"
        )
    return normalize_policy_root(value)


def check_no_collection_flags(args: argparse.Namespace) -> None:
    """``--snapshot`` scans a saved snapshot as is: a collection flag would silently do nothing."""
    from scanner.cli import add_collection_options

    probe = argparse.ArgumentParser(add_help=False)
    add_collection_options(probe)
    defaults = vars(probe.parse_args([]))
    given = [
        "--" + name.replace("_", "-")
        for name, default in defaults.items()
        if getattr(args, name, default) != default
    ]
    if given:
        raise InputError(
            f"{', '.join(given)}: collection option(s) cannot be used with --snapshot, which "
            "scans the saved snapshot as it is; drop them, or drop --snapshot to collect live"
        )


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def run(args: argparse.Namespace) -> int:
    from scanner.commands.collect import configure_logging, options_from_args
    from scanner.engine import evaluate, load_policies
    from scanner.engine.config import load_config
    from scanner.model.gc_pause import paused_collection
    from scanner.model.link import link_snapshot
    from scanner.model.snapshot import dump_snapshot, load_snapshot
    from scanner.report.baseline import apply_baseline, load_baseline
    from scanner.report.context import build_scan_report
    from scanner.report.redact import redact_accounts_in, redact_report
    from scanner.report.sarif_rules import SarifOptions
    from scanner.report.terminal import render_terminal, use_color
    from scanner.report.waivers import apply_waivers, load_waivers
    from scanner.report.writer import check_formats, write_reports

    if args.snapshot:
        check_no_collection_flags(args)
    formats = check_formats(args.format)
    sarif_options = SarifOptions(
        policy_root=check_policy_root(args.sarif_policy_root),
        source_root=Path.cwd(),
        emit_waived=args.sarif_emit_waived,
    )
    config = load_config(args.config)
    policies = load_policies(args.policies, config=config)
    waivers = load_waivers(args.waivers, today=_today()) if args.waivers else None
    baseline = load_baseline(args.baseline) if args.baseline else None

    snapshot: dict[str, Any]
    live = not args.snapshot
    if live:
        from scanner.collect import collect_snapshot
        from scanner.collect.progress import make_reporter

        options = options_from_args(args)
        configure_logging(quiet=args.quiet, verbose=args.verbose)
        snapshot = collect_snapshot(options, reporter=make_reporter(sys.stderr, quiet=args.quiet))
    else:
        with paused_collection():
            snapshot = load_snapshot(args.snapshot)

    written_snapshot: Path | None = None
    if live and args.redact_accounts:
        print(
            f"stormproof: {SNAPSHOT_NAME} not written: it records account ids "
            "and --redact-accounts is set",
            file=sys.stderr,
        )
    elif live:
        written_snapshot = dump_snapshot(snapshot, Path(args.output_dir) / SNAPSHOT_NAME)

    # Millions of plain dicts from here on and no cycles to hunt: see scanner/model/gc_pause.py.
    with paused_collection():
        # The snapshot is not needed again: its records become the documents.
        model = link_snapshot(snapshot, fleet_tag_keys=config.fleet_tag_keys, consume=True)
        del snapshot  # the documents hold the records; the model keeps the header
        evaluation = evaluate(model, policies)
        if waivers is not None:
            apply_waivers(evaluation.findings, waivers)
        report = build_scan_report(
            evaluation, model, warnings=list(waivers.warnings) if waivers else []
        )
        del model, evaluation
        if baseline is not None:
            normalize = redact_accounts_in if baseline.accounts_redacted else str
            report.fixed = apply_baseline(
                [*report.findings, *report.superseded],
                baseline,
                scope=report.scope,
                normalize=normalize,
            )
            report.has_baseline = True
        code = exit_code(report, args.fail_on)
        outcome = outcome_text(report, code, args.fail_on)
        report = redact_report(report, accounts=args.redact_accounts, in_place=True)

        written = write_reports(
            report, formats, args.output_dir, sarif_options=sarif_options, outcome=outcome
        )
    if written_snapshot is not None:
        written[SNAPSHOT_NAME] = written_snapshot

    if args.quiet:
        for warning in report.warnings:
            print(f"stormproof: warning: {warning}", file=sys.stderr)
        print(outcome)
    else:
        sys.stdout.write(
            render_terminal(report, written=written, outcome=outcome, color=use_color(sys.stdout))
        )
    return code
