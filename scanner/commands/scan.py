"""``stormproof scan``: load or collect a snapshot, link, evaluate, waive, baseline, report.

Every user file (config, policies, waivers, baseline) is checked before any
AWS call, so a typo fails in a second with exit code 2, not after a long
collection. The exit code is decided before account ids are redacted and is
the same whatever formats are written.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from scanner.engine.results import SEVERITY_RANK
from scanner.errors import ExitCode, InputError
from scanner.report.context import ScanReport

SNAPSHOT_NAME = "snapshot.json.gz"
DEFAULT_OUTPUT_DIR = "stormproof-out"


def chosen_formats(args: argparse.Namespace) -> list[str]:
    """``--format`` as given, or the default set; ``--output`` takes exactly one."""
    from scanner.report.writer import DEFAULT_FORMATS, check_formats

    if args.output is None:
        return check_formats(args.format if args.format is not None else DEFAULT_FORMATS)
    if args.format is None or len(check_formats(args.format)) != 1:
        raise InputError(
            "--output writes exactly one format: add --format with one of "
            "sarif, html, json, md, ocsf, asff (--output-dir writes several)"
        )
    return check_formats(args.format)


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
    from scanner.atomic_files import StagedFolder
    from scanner.commands.collect import configure_logging, options_from_args
    from scanner.engine import evaluate, load_policies
    from scanner.engine.config import load_config
    from scanner.engine.config_discovery import choose_config
    from scanner.engine.selection import select_policies
    from scanner.model.gc_pause import paused_collection
    from scanner.model.link import link_snapshot
    from scanner.model.snapshot import dump_snapshot, load_snapshot
    from scanner.output_paths import check_output_folder
    from scanner.report.baseline import apply_baseline, carry_unobserved, load_baseline
    from scanner.report.context import ReportWarning, build_scan_report
    from scanner.report.redact import redact_accounts_in, redact_report
    from scanner.report.sarif_rules import SarifOptions
    from scanner.report.scenarios_json import FILE_NAME as SCENARIOS_NAME
    from scanner.report.scenarios_output import attach_scenarios, scenarios_output
    from scanner.report.terminal import render_terminal, use_color
    from scanner.report.waivers import (
        apply_waivers,
        load_waivers,
        tags_by_arn,
        unknown_policy_warnings,
    )
    from scanner.report.writer import FILE_NAMES, write_reports, write_single_report
    from scanner.scenarios import scenarios_for

    if args.snapshot:
        check_no_collection_flags(args)
    formats = chosen_formats(args)
    output_dir = args.output_dir or DEFAULT_OUTPUT_DIR
    if args.output is None:  # with --output, one file (or standard output) and no folder
        check_output_folder(output_dir, "--output-dir")
    sarif_options = SarifOptions(
        policy_root=check_policy_root(args.sarif_policy_root),
        source_root=Path.cwd(),
        emit_waived=args.sarif_emit_waived,
    )
    config_choice = choose_config(args.config)
    config = load_config(config_choice.path)
    announce_config(config_choice, quiet=args.quiet)
    loaded_policies = load_policies(args.policies, config=config)
    policies = select_policies(
        loaded_policies,
        include=args.policy,
        exclude=args.exclude_policy,
        min_severity=args.severity,
    )
    waivers = load_waivers(args.waivers, today=_today()) if args.waivers else None
    baseline = load_baseline(args.baseline) if args.baseline else None

    snapshot: dict[str, Any]
    live = not args.snapshot
    if live:
        from scanner.collect import collect_snapshot
        from scanner.collect.progress import make_reporter

        options = options_from_args(args)
        configure_logging(quiet=args.quiet, verbose=args.verbose)
        snapshot = collect_snapshot(
            options,
            reporter=make_reporter(
                sys.stderr, quiet=args.quiet, color=False if args.no_color else None
            ),
        )
    else:
        with paused_collection():
            snapshot = load_snapshot(args.snapshot)

    write_snapshot = False
    if live and args.redact_accounts:
        print(
            f"stormproof: {SNAPSHOT_NAME} not written: it records account ids "
            "and --redact-accounts is set",
            file=sys.stderr,
        )
    elif live and args.output is None:
        write_snapshot = True

    # The whole output set is staged and replaces the previous set at once (StagedFolder);
    # --output writes its one file atomically by itself.
    owned = [*FILE_NAMES.values(), SNAPSHOT_NAME, SCENARIOS_NAME]
    outputs = StagedFolder(output_dir, owned) if args.output is None else None
    # Millions of plain dicts from here on and no cycles to hunt: see scanner/model/gc_pause.py.
    with outputs or contextlib.nullcontext(), paused_collection():
        if write_snapshot and outputs is not None:
            dump_snapshot(snapshot, outputs.path(SNAPSHOT_NAME))
        # The snapshot is not needed again: its records become the documents.
        model = link_snapshot(snapshot, fleet_tag_keys=config.fleet_tag_keys, consume=True)
        del snapshot  # the documents hold the records; the model keeps the header
        scenarios = scenarios_for(model, config.objectives)  # before evaluation: objective verdicts
        evaluation = evaluate(model, policies)
        if waivers is not None:
            documents = (doc for docs in model.resources.values() for doc in docs)
            apply_waivers(evaluation.findings, waivers, tags_by_arn(documents))
        warnings = [
            ReportWarning(message, where.path, where.line) for message, where in config.deprecations
        ]
        if waivers is not None:
            loaded = {policy.id for policy in loaded_policies}
            warnings += [*waivers.warnings, *unknown_policy_warnings(waivers, loaded)]
        report = build_scan_report(evaluation, model, warnings=warnings)
        attach_scenarios(report, scenarios, redact_accounts=args.redact_accounts)
        del model, evaluation, scenarios
        if baseline is not None:
            normalize = redact_accounts_in if baseline.accounts_redacted else str
            fixed = apply_baseline(
                [*report.findings, *report.superseded],
                baseline,
                scope=report.scope,
                normalize=normalize,
            )
            report.fixed, carried = carry_unobserved(report.findings, fixed)
            report.findings.extend(carried)
            report.has_baseline = True
        code = exit_code(report, args.fail_on)
        outcome = outcome_text(report, code, args.fail_on)
        report = redact_report(report, accounts=args.redact_accounts, in_place=True)
        if args.history:
            from scanner.report.history import record_scan, scope_key, trend

            record_scan(args.history, report)
            report.history = trend(args.history, scope_key(report))

        if outputs is None:
            written = write_single_report(
                report, formats[0], args.output, sarif_options=sarif_options, outcome=outcome
            )
        else:
            staged = write_reports(
                report,
                formats,
                outputs.path(""),
                sarif_options=sarif_options,
                outcome=outcome,
                extra=scenarios_output(report, formats),
            )
            written = outputs.commit(keep=[args.snapshot] if args.snapshot else [])
            written = {name: written[name] for name in (*staged, SNAPSHOT_NAME) if name in written}
    for stale in outputs.removed if outputs is not None else ():
        print(f"stormproof: removed {stale}: an earlier run's output", file=sys.stderr)

    # With --output the report may be standard output: the summary then goes to standard error.
    summary = sys.stdout if args.output is None else sys.stderr
    if args.quiet:
        for warning in report.warnings:
            print(f"stormproof: warning: {warning}", file=sys.stderr)
        print(outcome, file=summary)
    else:
        color = use_color(summary) and not args.no_color
        summary.write(render_terminal(report, written=written, outcome=outcome, color=color))
    return code


def announce_config(choice: Any, *, quiet: bool) -> None:
    """Say which config file was found, unless ``--config`` named it."""
    line = choice.announcement()
    if line and not quiet:
        print(line, file=sys.stderr)
