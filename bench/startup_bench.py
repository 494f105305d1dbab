"""Start-up time of ``stormproof --help`` (and ``--version``): median and best of N runs.

    python bench/startup_bench.py [--runs 20]

Each run is a fresh interpreter (``python -m scanner --help``), so the figure is
what a user or a CI step waits for. ``-X importtime`` of one run lists the
slowest imports, to keep heavy modules out of the CLI's import path. A
measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from measure import machine_summary, run_measured  # noqa: E402


def slowest_imports(count: int = 5) -> list[tuple[int, str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "scanner", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        if not name.startswith("  "):  # one space: a top-level import; more: nested
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    print(machine_summary())
    print()
    print("| command | median (ms) | best (ms) | peak RSS (MiB) |")
    print("| --- | ---: | ---: | ---: |")
    baseline = [sys.executable, "-c", "pass"]
    for label, command in (
        ("python -c pass (interpreter alone)", baseline),
        ("stormproof --help", [sys.executable, "-m", "scanner", "--help"]),
        ("stormproof --version", [sys.executable, "-m", "scanner", "--version"]),
    ):
        runs = [run_measured(command, cwd=ROOT) for _ in range(args.runs)]
        if any(run.returncode != 0 for run in runs):
            sys.exit(f"{label} failed: {runs[0].stderr[-500:]}")
        walls = [run.wall * 1000 for run in runs]
        print(
            f"| {label} | {statistics.median(walls):.0f} | {min(walls):.0f} | "
            f"{max(run.max_rss_mib for run in runs):.0f} |"
        )
    print()
    print("slowest top-level imports of `stormproof --help` (cumulative µs):")
    for micros, name in slowest_imports():
        print(f"  {micros:>8}  {name}")


if __name__ == "__main__":
    main()
