"""Command-line parsing and exit codes only; each command's work lives in ``scanner.commands``.

Heavy modules (boto3, jsonschema, jinja2, moto) are imported by the command that
needs them, never here, so ``stormproof --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from scanner import __version__
from scanner.errors import ExitCode, StormproofError
from scanner.interrupts import announce, exit_if_threads_linger, interrupts_unwind
from scanner.safe_output import safe_streams

EXIT_CODES_HELP = """exit codes:
  0    clean: no open finding at or above --fail-on, collection complete
  1    open findings at or above --fail-on
  2    bad usage or input (flag, policy, config, waiver or snapshot file)
  3    incomplete: collection errors or unknown results (takes precedence over 1)
  70   internal error (a bug): one line; --debug shows the traceback
  130  interrupted; no partial output files are left behind
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and the documented exit code.

    Abbreviated long options are refused: a prefix that argparse would quietly
    expand (``--output`` for ``--output-dir``) is a different flag to a user.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def _csv(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def add_collection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "collection (AWS access through the standard credential chain)"
    )
    group.add_argument("--profile", help="AWS profile (default: AWS_PROFILE / the default chain)")
    regions = group.add_mutually_exclusive_group()
    regions.add_argument("--regions", type=_csv, metavar="R1,R2", help="only these Regions")
    regions.add_argument(
        "--all-regions", action="store_true", help="every Region enabled for the account (default)"
    )
    group.add_argument(
        "--max-workers", type=int, default=8, metavar="N", help="parallel units (default 8)"
    )
    group.add_argument(
        "--rate-limit",
        type=float,
        default=10.0,
        metavar="PER_SECOND",
        help="client-side requests per second per account and service (default 10)",
    )
    accounts = group.add_mutually_exclusive_group()
    accounts.add_argument("--accounts", type=_csv, metavar="ID,ID", help="accounts to scan")
    accounts.add_argument(
        "--accounts-file", metavar="FILE", help="accounts to scan, one id per line"
    )
    accounts.add_argument(
        "--organization", action="store_true", help="every active account of the AWS Organization"
    )
    group.add_argument("--exclude-accounts", type=_csv, default=[], metavar="ID,ID")
    group.add_argument(
        "--role-name",
        metavar="NAME",
        help="role assumed in each other account (default stormproof)",
    )
    group.add_argument("--external-id", metavar="ID")
    group.add_argument("--role-session-name", default="stormproof", metavar="NAME")
    group.add_argument("--shard", metavar="K/N", help="collect only slice K of N of the units")


CONFIG_HELP = (
    "disable policies, override severity/parameters (default: $STORMPROOF_CONFIG, else "
    "stormproof.yaml or .stormproof/config.yaml in the current directory)"
)


def _add_selection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("policy selection")
    group.add_argument(
        "--policy",
        action="append",
        default=[],
        metavar="ID|GLOB",
        help="only policies whose id matches (repeatable; shell globs such as 'asg-*')",
    )
    group.add_argument(
        "--exclude-policy",
        action="append",
        default=[],
        metavar="ID|GLOB",
        help="skip policies whose id matches (repeatable)",
    )
    group.add_argument(
        "--severity",
        choices=["critical", "high", "medium", "low"],
        metavar="LEVEL",
        help="only policies at or above LEVEL: critical, high, medium, low",
    )


def _add_output_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """--debug, --no-color, -q and -v, before or after the command (``default`` SUPPRESS there)."""
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks for internal errors"
    )
    parser.add_argument(
        "--no-color",
        action="store_true",
        default=default,
        help="no ANSI colors or styles (as the NO_COLOR environment variable does)",
    )
    verbosity = parser.add_mutually_exclusive_group()
    verbosity.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="only errors and the result"
    )
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", default=default, help="log every unit and call"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stormproof",
        description="Policy-as-code scanner for the resilience of AWS EC2 estates.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"stormproof {__version__}")
    _add_output_options(parser, default=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = _Parser(add_help=False)
    _add_output_options(common, default=argparse.SUPPRESS)
    commands.required = True

    scan = commands.add_parser(
        "scan", parents=[common], help="collect (or load a snapshot), evaluate, report"
    )
    add_collection_options(scan)
    scan.add_argument("--snapshot", metavar="FILE", help="scan a saved snapshot; no AWS access")
    scan.add_argument(
        "--policies", action="append", default=[], metavar="DIR", help="more policies"
    )
    scan.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    _add_selection_options(scan)
    scan.add_argument("--waivers", metavar="FILE", help="waived findings (reason, owner, expiry)")
    scan.add_argument("--baseline", metavar="FILE", help="a previous findings.json")
    outputs = scan.add_mutually_exclusive_group()
    outputs.add_argument(
        "--output-dir",
        metavar="DIR",
        help="write every --format into DIR, and a live scan's snapshot (default stormproof-out)",
    )
    outputs.add_argument(
        "--output",
        metavar="FILE|-",
        help="write the one --format to FILE, or to standard output with '-'; nothing else "
        "is written and the summary goes to standard error",
    )
    scan.add_argument(
        "--format",
        type=_csv,
        default=None,
        metavar="FORMATS",
        help="comma-separated: sarif, html, json, md, ocsf, asff "
        "(default sarif,html,json,md; exactly one with --output)",
    )
    scan.add_argument(
        "--fail-on",
        choices=["critical", "high", "medium", "low", "none"],
        default="low",
        help="lowest severity of an open finding that fails the run (default low)",
    )
    scan.add_argument(
        "--sarif-policy-root",
        metavar="PATH",
        help="repository path where built-in policies are vendored, for SARIF locations",
    )
    scan.add_argument(
        "--sarif-emit-waived",
        action="store_true",
        help="keep waived findings in SARIF with a suppressions entry (GitHub ignores it)",
    )
    scan.add_argument("--redact-accounts", action="store_true", help="pseudonymize account ids")
    scan.add_argument(
        "--history",
        metavar="FILE",
        help="record this scan's findings in a SQLite history file; the report shows the trend",
    )
    scan.set_defaults(handler="scanner.commands.scan:run")

    collect = commands.add_parser(
        "collect", parents=[common], help="snapshot account state (read-only)"
    )
    add_collection_options(collect)
    collect.add_argument("--output", required=True, metavar="FILE", help="snapshot.json[.gz]")
    collect.set_defaults(handler="scanner.commands.collect:run")

    merge = commands.add_parser(
        "merge", parents=[common], help="combine snapshots of disjoint units"
    )
    merge.add_argument("inputs", nargs="+", metavar="SNAPSHOT")
    merge.add_argument("--output", required=True, metavar="FILE")
    merge.set_defaults(handler="scanner.commands.merge:run")

    policies = commands.add_parser(
        "policies", parents=[common], help="list, show, validate, test, document policies"
    )
    policies.add_argument("--policies", action="append", default=[], metavar="DIR")
    policies.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    actions = policies.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    actions.required = True
    actions.add_parser("list", help="every policy with severity and resource")
    show = actions.add_parser("show", help="one policy in full")
    show.add_argument("policy_id", metavar="ID")
    validate = actions.add_parser("validate", help="check policy files; file:line:col per problem")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    test = actions.add_parser("test", help="run policies' own test cases (built-ins by default)")
    test.add_argument("paths", nargs="*", metavar="PATH")
    actions.add_parser("fields", help="every field a policy can read, per resource type (Markdown)")
    docs = actions.add_parser("docs", help="write the policy reference in Markdown")
    docs.add_argument("--output", metavar="FILE", help="default: standard output")
    policies.set_defaults(handler="scanner.commands.policies:run")

    iam = commands.add_parser(
        "iam-policy", parents=[common], help="print the least-privilege IAM policy"
    )
    iam.add_argument(
        "--caller",
        action="store_true",
        help="the multi-account caller's extra policy (sts:AssumeRole, organizations:ListAccounts)",
    )
    iam.add_argument("--role-name", metavar="NAME", help="scan role named in --caller's policy")
    iam.set_defaults(handler="scanner.commands.iam_policy:run")

    history = commands.add_parser(
        "history", parents=[common], help="the trend of scans recorded with scan --history"
    )
    history.add_argument("--history", required=True, metavar="FILE", help="the history file")
    history.set_defaults(handler="scanner.commands.history:run")
    scenarios = commands.add_parser(
        "scenarios", parents=[common], help="what each zone, Local Zone or Region failure loses"
    )
    scenarios.add_argument("--snapshot", required=True, metavar="FILE", help="a saved snapshot")
    scenarios.add_argument(
        "--domain", metavar="ID", help="one domain: a zone id, zone name or Region"
    )
    scenarios.add_argument("--config", metavar="FILE", help="objectives and fleet tag keys")
    scenarios.add_argument("--json", action="store_true", help="print JSON, as in scenarios.json")
    scenarios.set_defaults(handler="scanner.commands.scenarios:run")

    demo = commands.add_parser(
        "demo", parents=[common], help="scan an embedded mock AWS estate; no account needed"
    )
    demo.add_argument("--output-dir", default="stormproof-demo", metavar="DIR")
    demo.set_defaults(handler="scanner.commands.demo:run")
    return parser


def _refuse_empty_values(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """``--snapshot ""`` and the like are usage errors: an empty path silently means "none"."""
    for name, value in sorted(vars(args).items()):
        values = value if isinstance(value, list) else [value]
        if any(isinstance(item, str) and not item.strip() for item in values):
            parser.error(f"--{name.replace('_', '-')}: an empty value is not allowed")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _refuse_empty_values(parser, args)
    # Every line printed from here on, whoever prints it, passes one chokepoint.
    with safe_streams(redact_accounts=bool(getattr(args, "redact_accounts", False))):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    module_name, _, function_name = args.handler.partition(":")
    try:
        with interrupts_unwind():  # SIGTERM too: unwind, clean up, exit 130
            handler = getattr(importlib.import_module(module_name), function_name)
            return int(handler(args))
    except StormproofError as exc:
        print(f"stormproof: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except BrokenPipeError:
        # The reader went away (`stormproof iam-policy | head`): stop quietly, as Unix tools do.
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        announce()
        exit_if_threads_linger(ExitCode.INTERRUPTED)  # collection threads may sit in a read
        return int(ExitCode.INTERRUPTED)
    except Exception as exc:
        if args.debug:  # the traceback, and still the documented exit code
            traceback.print_exc(file=sys.stderr)
        print(
            f"stormproof: internal error: {type(exc).__name__}: {exc} "
            "(rerun with --debug for details)",
            file=sys.stderr,
        )
        return int(ExitCode.INTERNAL_ERROR)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
