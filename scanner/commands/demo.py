"""``stormproof demo``: scan a realistic estate in an embedded mock AWS; no account, no network.

Exit codes: 0 when the demo ran (its findings are expected, not a failure),
2 when moto (the ``demo`` extra) is missing or the output folder is unusable,
3 if the demo's own scan came out incomplete (a bug to report).
"""

from __future__ import annotations

import argparse
import importlib.util

from scanner.errors import InputError

INSTALL_HINT = "pip install 'stormproof[demo]'"


def run(args: argparse.Namespace) -> int:
    # Only look: importing moto reads the AWS config chain, which must wait for the
    # demo's own environment (a user's missing profile would break the import).
    if importlib.util.find_spec("moto") is None:
        raise InputError(
            f"demo: the embedded mock AWS needs moto, which is not installed; run: {INSTALL_HINT}"
        )
    from scanner.demo.runner import run_demo

    return run_demo(args.output_dir, quiet=args.quiet, verbose=args.verbose)
