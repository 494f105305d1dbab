"""Time and peak RSS of ``stormproof scan --snapshot`` on synthetic snapshots of growing size.

    python bench/eval_bench.py 10000 100000 [1000000] [--workdir DIR] [--stages]

For each size: generate the snapshot (cached in ``--workdir``; see gen_snapshot.py),
then run ``stormproof scan --snapshot FILE`` as a subprocess with the whole
built-in library and every output format (sarif, html, json, md), and read its
wall time and peak RSS from ``os.wait4``. ``--stages`` also times each stage
in-process (imports + load policies, read + parse, schema validation, link,
evaluate, render + write) so a slow size shows where its time goes. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from gen_snapshot import generate  # noqa: E402
from measure import machine_summary, run_measured  # noqa: E402


def snapshot_for(size: int, workdir: Path) -> tuple[Path, int]:
    path = workdir / f"snapshot-{size}.json.gz"
    marker = path.with_suffix(".count")
    if not path.exists() or not marker.exists():
        counts = generate(size, path)
        marker.write_text(str(counts["total"]))
    return path, int(marker.read_text())


def scan_command(snapshot: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scanner",
        "-q",
        "scan",
        "--snapshot",
        str(snapshot),
        "--format",
        "sarif,html,json,md",
        "--fail-on",
        "none",
        "--output-dir",
        str(out),
    ]


STAGES_SCRIPT = r"""
import sys, time, gzip
t0 = time.perf_counter()
import jsonschema
from scanner.model.gc_pause import paused_collection
from scanner.model.snapshot import parse_json, validate_snapshot
from scanner.model.link import link_snapshot
from scanner.engine import evaluate, load_policies
from scanner.report.context import build_scan_report
from scanner.report.sarif_rules import SarifOptions
from scanner.report.writer import write_reports
from pathlib import Path
policies = load_policies()
t1 = time.perf_counter()
with paused_collection():  # as `stormproof scan` does
    document = parse_json(gzip.decompress(Path(sys.argv[1]).read_bytes()).decode(), sys.argv[1])
    t2 = time.perf_counter()
    validate_snapshot(document)
t3 = time.perf_counter()
with paused_collection():
    model = link_snapshot(document, consume=True)
    del document
    t4 = time.perf_counter()
    evaluation = evaluate(model, policies)
    t5 = time.perf_counter()
    report = build_scan_report(evaluation, model, warnings=[])
    findings = len(evaluation.findings)
    del model, evaluation
    options = SarifOptions(policy_root="policies", source_root=Path.cwd(), emit_waived=False)
    write_reports(report, ["sarif", "html", "json", "md"], sys.argv[2], sarif_options=options,
                  outcome="bench")
    t6 = time.perf_counter()
print(f"{t1-t0:.2f} {t2-t1:.2f} {t3-t2:.2f} {t4-t3:.2f} {t5-t4:.2f} {t6-t5:.2f} {findings}")
"""


def stages(snapshot: Path, out: Path) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", STAGES_SCRIPT, str(snapshot), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, help="resource counts, e.g. 10000 100000")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "sp-bench")
    parser.add_argument("--stages", action="store_true", help="also time each stage in-process")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(machine_summary())
    print()
    print("| resources | snapshot (gz) | findings | wall (s) | peak RSS (MiB) | µs / resource |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    stage_rows = []
    for size in args.sizes:
        snapshot, total = snapshot_for(size, args.workdir)
        out = args.workdir / f"out-{size}"
        measured = run_measured(scan_command(snapshot, out), cwd=ROOT)
        if measured.returncode not in (0, 1, 3):
            sys.exit(f"scan failed (exit {measured.returncode}): {measured.stderr[-2000:]}")
        findings = len(json.loads((out / "findings.json").read_text())["findings"])
        mib = snapshot.stat().st_size / 2**20
        print(
            f"| {total:,} | {mib:.1f} MiB | {findings:,} | {measured.wall:.1f} | "
            f"{measured.max_rss_mib:.0f} | {measured.wall / total * 1e6:.0f} |",
            flush=True,
        )
        if args.stages:
            stage_rows.append((total, stages(snapshot, args.workdir / f"stages-{size}")))
    if stage_rows:
        print()
        print(
            "| resources | imports + policies (s) | read + parse (s) | schema validation (s) | "
            "link (s) | evaluate (s) | render + write 4 formats (s) |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for total, row in stage_rows:
            print(f"| {total:,} | " + " | ".join(row[:6]) + " |")


if __name__ == "__main__":
    main()
