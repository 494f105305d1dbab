"""``stormproof history --history FILE``: open, new and fixed per scan; time open per policy."""

from __future__ import annotations

import argparse
import sys

from scanner.errors import ExitCode


def run(args: argparse.Namespace) -> int:
    from scanner.report.history import render_history

    sys.stdout.write(render_history(args.history))
    return ExitCode.CLEAN
