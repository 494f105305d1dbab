"""Run the demo: mock AWS up, estate seeded, ``stormproof scan`` run against it, all torn down.

The scan is the real ``scan`` command (:func:`scanner.commands.scan.run`) with
the same arguments a user would type, so the demo exercises and shows exactly
what a live scan does: collection through the read-only guard, linking,
evaluation, every report format and the terminal summary.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TextIO

from scanner.errors import ExitCode

SCAN_EXIT_MEANING = {
    ExitCode.CLEAN: "no open finding",
    ExitCode.FINDINGS: "open findings",
}


def scan_arguments(output_dir: str, *, quiet: bool = False, verbose: bool = False) -> list[str]:
    """The ``stormproof`` command line the demo runs against the mock estate."""
    from scanner.demo.regions import REGIONS

    flags = ["--quiet"] if quiet else ["--verbose"] if verbose else []
    return [*flags, "scan", "--regions", ",".join(REGIONS), "--output-dir", output_dir]


def run_demo(
    output_dir: str, *, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None
) -> int:
    """Seed the mock estate, scan it, print where the report is; 0 when the demo ran.

    The estate is non-compliant on purpose, so the scan's own verdict (exit 1
    for a real scan) is reported, not returned. An incomplete scan (exit 3)
    means the demo itself is broken and is returned as such.
    """
    from scanner.cli import build_parser
    from scanner.commands import scan
    from scanner.demo.environment import demo_environment

    stream = stream or sys.stdout
    args = build_parser().parse_args(scan_arguments(output_dir, quiet=quiet, verbose=verbose))
    with ExitStack() as stack:
        stack.enter_context(demo_environment())
        # moto reads the AWS config chain when first imported: only inside the demo's environment.
        from moto import mock_aws

        from scanner.demo.estate import seed_demo_estate
        from scanner.demo.regions import RECOVERY
        from scanner.mockaws import DlmStandIn, add_local_zones, fill_backup_gaps
        from scanner.mockaws.estate import plain_clients

        stack.enter_context(add_local_zones(RECOVERY))
        stack.enter_context(fill_backup_gaps())
        stack.enter_context(mock_aws())
        dlm = stack.enter_context(DlmStandIn())
        os.environ["AWS_ENDPOINT_URL_DLM"] = dlm.endpoint_url  # restored by demo_environment
        seed_demo_estate(plain_clients(), dlm)
        code = ExitCode(scan.run(args))
    report = (Path(output_dir) / "report.html").resolve()
    if code == ExitCode.INCOMPLETE:
        stream.write(
            "stormproof demo: the scan of the mock estate was incomplete; "
            "this is a bug in the demo, please report it\n"
        )
        return ExitCode.INCOMPLETE
    stream.write(
        "\nstormproof demo: scanned a mock two-Region estate (no AWS account, no network).\n"
        f"  Open the report: {report.as_uri()}\n"
        f"  The estate is non-compliant on purpose: a real `stormproof scan` would exit "
        f"{int(code)} ({SCAN_EXIT_MEANING[code]}); the demo exits 0 because it ran.\n"
    )
    return ExitCode.CLEAN
