"""``stormproof scenarios``: print the failure-domain ranking, or one domain's scenario.

Reads a saved snapshot, links it and computes the scenarios; evaluates no
policy and writes no report. An unknown ``--domain`` is a usage error (exit 2)
that lists the domains there are.
"""

from __future__ import annotations

import argparse
import sys

from scanner.errors import ExitCode, InputError


def run(args: argparse.Namespace) -> int:
    from scanner.engine.config import load_config
    from scanner.model.gc_pause import paused_collection
    from scanner.model.link import link_snapshot
    from scanner.model.snapshot import load_snapshot
    from scanner.report.json_text import dumps_sorted
    from scanner.report.scenarios_text import domain_text, ranking_text
    from scanner.report.scenarios_view import ScenarioReport
    from scanner.scenarios import scenarios_for

    config = load_config(args.config)
    with paused_collection():
        snapshot = load_snapshot(args.snapshot)
        model = link_snapshot(snapshot, fleet_tag_keys=config.fleet_tag_keys, consume=True)
        del snapshot
        view = ScenarioReport(scenarios_for(model, config.objectives))
    if args.domain is None:
        if args.json:
            summaries = [view.summary(rank, scenario) for rank, scenario in view.ranked()]
            text = dumps_sorted({**view.header(), "scenarios": summaries}, indent=True) + "\n"
        else:
            text = ranking_text(view)
        sys.stdout.write(text)
        return ExitCode.CLEAN
    found = view.scenarios.find(args.domain)
    if not found:
        known = ", ".join(s.domain.id for s in view.scenarios.scenarios[:30]) or "none"
        raise InputError(f"--domain {args.domain!r}: no such failure domain (known: {known})")
    if len(found) > 1:
        labels = "; ".join(view.transform(s.domain.label()) for s in found)
        raise InputError(
            f"--domain {args.domain!r}: accounts map this zone name to different zones ({labels}); "
            "name the zone id"
        )
    [scenario] = found
    rank = view.scenarios.scenarios.index(scenario) + 1
    if args.json:
        sys.stdout.write(dumps_sorted(view.full(rank, scenario), indent=True) + "\n")
    else:
        sys.stdout.write(domain_text(view, rank, scenario))
    return ExitCode.CLEAN
