"""``stormproof policies list | show ID | validate PATH... | test [PATH...] | docs``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scanner.atomic_files import write_atomic
from scanner.engine import load_config, load_policies, run_policy_cases, validate_policy_files
from scanner.engine.policy import Policy
from scanner.engine.policy_docs import render_policy_docs
from scanner.errors import ExitCode, InputError
from scanner.output_paths import check_output_file


def run(args: argparse.Namespace) -> int:
    action = {
        "list": _list,
        "show": _show,
        "validate": _validate,
        "test": _test,
        "docs": _docs,
        "fields": _fields,
    }[args.action]
    return action(args)


def _policies(args: argparse.Namespace) -> list[Policy]:
    from scanner.commands.scan import announce_config
    from scanner.engine.config_discovery import choose_config

    choice = choose_config(args.config)
    config = load_config(choice.path)
    announce_config(choice, quiet=args.quiet)
    for message, where in config.deprecations:
        print(f"stormproof: warning: {where}: {message}", file=sys.stderr)
    return load_policies(args.policies, config=config)


def _list(args: argparse.Namespace) -> int:
    policies = _policies(args)
    width = max((len(policy.id) for policy in policies), default=2)
    print(f"{'ID':<{width}}  SEVERITY  {'RESOURCE':<22}  SOURCE    TITLE")
    for policy in policies:
        meta = policy.meta
        source = "built-in" if meta.builtin else "custom"
        columns = f"{meta.id:<{width}}  {meta.severity:<8}  {meta.resource:<22}  {source:<8}"
        print(f"{columns}  {meta.title}")
    return ExitCode.CLEAN


def _show(args: argparse.Namespace) -> int:
    policy = next((p for p in _policies(args) if p.id == args.policy_id), None)
    if policy is None:
        raise InputError(f"no policy with id '{args.policy_id}' (see `stormproof policies list`)")
    meta = policy.meta
    print(f"{meta.id}: {meta.title}")
    print(f"  severity:   {meta.severity}")
    print(f"  resource:   {meta.resource}")
    print(f"  source:     {meta.source_path}:{meta.violation_line}")
    if meta.parameters:
        print(
            "  parameters: " + ", ".join(f"{k}={v!r}" for k, v in sorted(meta.parameters.items()))
        )
    if meta.frameworks:
        print(f"  frameworks: {', '.join(meta.frameworks)}")
    rests_on = sorted({f"{d.name} ({d.reach})" for d in policy.dependencies})
    print(f"  rests on:   {', '.join(rests_on) or 'the resource record only'}")
    for title, text in (("What it does", meta.description), ("Why it matters", meta.rationale)):
        print(f"\n{title}:\n  " + " ".join(text.split()))
    print("\nHow to fix:\n" + "\n".join("  " + line for line in meta.remediation.splitlines()))
    if meta.references:
        print("\nReferences:\n" + "\n".join(f"  {url}" for url in meta.references))
    return ExitCode.CLEAN


def _validate(args: argparse.Namespace) -> int:
    problems = validate_policy_files(args.paths)
    for problem in problems:
        print(problem)
    if problems:
        print(f"stormproof: {len(problems)} problem(s) found", file=sys.stderr)
        return ExitCode.BAD_INPUT
    print("stormproof: all policy files are valid", file=sys.stderr)
    return ExitCode.CLEAN


def _test(args: argparse.Namespace) -> int:
    if args.paths:
        problems = validate_policy_files(args.paths)
        if problems:
            for problem in problems:
                print(problem)
            return ExitCode.BAD_INPUT
        policies = load_policies(args.paths, include_builtin=False)
    else:
        policies = load_policies(args.policies)
    results = run_policy_cases(policies)
    by_policy: dict[str, list] = {}
    for result in results:
        by_policy.setdefault(result.policy_id, []).append(result)
    failed = 0
    for policy in policies:
        cases = by_policy.get(policy.id, [])
        bad = [case for case in cases if not case.ok]
        if not cases:
            print(f"NO TESTS  {policy.id}")
        elif bad:
            failed += 1
            print(f"FAIL      {policy.id} ({len(cases) - len(bad)}/{len(cases)} cases pass)")
            for case in bad:
                for problem in case.problems:
                    print(f"    {case.location}: {case.case}: {problem}")
        else:
            print(f"ok        {policy.id} ({len(cases)} cases)")
    total = len(results)
    print(f"{len(policies)} policies, {total} cases, {failed} policies failing", file=sys.stderr)
    return ExitCode.FINDINGS if failed else ExitCode.CLEAN


def _fields(args: argparse.Namespace) -> int:
    from scanner.engine.fields import render_field_reference

    sys.stdout.write(render_field_reference())
    return ExitCode.CLEAN


def _docs(args: argparse.Namespace) -> int:
    if args.output:
        check_output_file(args.output, "--output")
    text = render_policy_docs(_policies(args))
    if args.output:
        write_atomic(Path(args.output), text.encode("utf-8"))
    else:
        sys.stdout.write(text)
    return ExitCode.CLEAN
