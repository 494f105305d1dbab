"""What the failure-scenarios stage adds to ``stormproof scan --snapshot``: wall time and peak RSS.

    python bench/scenarios_bench.py 10000 100000 [1000000] [--workdir DIR] [--runs N]

For each size (snapshots cached in ``--workdir``, as eval_bench.py makes them),
run the real ``stormproof scan --snapshot FILE`` with every output format twice
as a subprocess: as shipped, and with the scenarios stage replaced by no-ops
(no scenarios computed, no objective verdicts, no scenarios.json, no HTML view).
The difference is the stage's cost; the budget is +20% wall and +15% peak RSS.
With ``--runs N`` each variant runs N times, alternating, and the best is kept.
A measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from eval_bench import snapshot_for  # noqa: E402
from measure import Measured, machine_summary, run_measured  # noqa: E402

DRIVER = r"""
import sys
if sys.argv[1] == "without":
    import scanner.report.scenarios_output as output
    import scanner.scenarios as scenarios
    scenarios.scenarios_for = lambda model, objectives=None: None
    output.attach_scenarios = lambda report, computed, redact_accounts: None
from scanner.cli import main
sys.exit(main(sys.argv[2:]))
"""


def scan(variant: str, snapshot: Path, out: Path) -> Measured:
    command = [sys.executable, "-c", DRIVER, variant, "-q", "scan", "--snapshot", str(snapshot)]
    command += ["--format", "sarif,html,json,md", "--fail-on", "none", "--output-dir", str(out)]
    measured = run_measured(command, cwd=ROOT)
    if measured.returncode not in (0, 1, 3):
        sys.exit(f"{variant}: scan failed (exit {measured.returncode}): {measured.stderr[-2000:]}")
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="resource counts, e.g. 10000 100000")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sp-bench")
    parser.add_argument("--runs", type=int, default=1, help="runs per variant; the best is kept")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(machine_summary())
    print()
    print(
        "| resources | wall without (s) | wall with (s) | wall + | peak RSS without (MiB) | "
        "peak RSS with (MiB) | RSS + | scenarios.json (MiB) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size in args.sizes:
        snapshot, total = snapshot_for(size, args.workdir)
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.runs):
            for variant in ("without", "with"):
                measured = scan(variant, snapshot, args.workdir / f"scen-{variant}-{size}")
                wall, rss = best.get(variant, (float("inf"), float("inf")))
                best[variant] = (min(wall, measured.wall), min(rss, measured.max_rss_mib))
        (wall0, rss0), (wall1, rss1) = best["without"], best["with"]
        written = args.workdir / f"scen-with-{size}" / "scenarios.json"
        print(
            f"| {total:,} | {wall0:.1f} | {wall1:.1f} | {100 * (wall1 / wall0 - 1):+.0f}% | "
            f"{rss0:.0f} | {rss1:.0f} | {100 * (rss1 / rss0 - 1):+.0f}% | "
            f"{written.stat().st_size / 2**20:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
