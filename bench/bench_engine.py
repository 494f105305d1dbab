"""Time linking and evaluating a synthetic estate: `python bench/bench_engine.py [UNITS] [SCALE]`.

Builds UNITS (account, Region) units of SCALE instances each (plus volumes,
snapshots, images, Auto Scaling groups, load balancers, target groups and DLM
policies in proportion), then reports the median of three runs of
``link_snapshot`` and of ``evaluate`` with the built-in library. A measurement,
not a test: nothing asserts a duration.
"""

from __future__ import annotations

import statistics
import sys
import time

from scanner.engine import evaluate, load_policies
from scanner.engine.fragments import expand_fragment
from scanner.model.link import link_snapshot

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2")


def unit(number: int, scale: int) -> dict:
    region = REGIONS[number % len(REGIONS)]
    account = f"{100000000000 + number // len(REGIONS):012d}"
    zones = [f"{region}a", f"{region}b", f"{region}c", f"{region}-lax-1a"]
    instances, volumes, snapshots = [], [], []
    for i in range(scale):
        iid, vid = f"i-{number:04x}{i:08x}", f"vol-{number:04x}{i:08x}"
        instances.append(
            {
                "id": iid,
                "zone": zones[i % 4],
                "image_id": f"ami-{i % 20:08x}",
                "tags": {"Service": f"svc{i % 50}", "Backup": "daily" if i % 3 else "none"},
            }
        )
        volumes.append(
            {
                "id": vid,
                "zone": zones[i % 4],
                "attachments": [{"instance_id": iid, "device": "/dev/xvda"}],
                "tags": {"Backup": "daily"} if i % 2 else {},
            }
        )
        snapshots.append(
            {
                "id": f"snap-{number:04x}{i:08x}",
                "volume_id": vid,
                "description": f"[Copied snap-x{i} from us-east-1]" if i % 5 == 0 else None,
            }
        )
    groups = max(1, scale // 20)
    return {
        "account": account,
        "region": region,
        "resources": {
            "instances": instances,
            "volumes": volumes,
            "snapshots": snapshots,
            "images": [{"id": f"ami-{i:08x}"} for i in range(20)],
            "auto_scaling_groups": [
                {"id": f"asg-{g}", "zones": zones[: 1 + g % 3]} for g in range(groups)
            ],
            "load_balancers": [
                {"id": f"lb-{g}", "zones": zones[: 1 + g % 2]} for g in range(groups)
            ],
            "target_groups": [
                {
                    "id": f"tg-{g}",
                    "load_balancer_arns": [f"lb-{g}"],
                    "targets": [i["id"] for i in instances[g::groups][:10]],
                }
                for g in range(groups)
            ],
            "dlm_policies": [{"id": "policy-daily", "target_tags": {"Backup": "daily"}}],
        },
    }


def median_seconds(action, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(units: int = 40, scale: int = 500) -> None:
    snapshot = expand_fragment({"units": [unit(n, scale) for n in range(units)]})
    policies = load_policies()
    records = sum(len(r) for u in snapshot["units"] for r in u["resources"].values())
    link_time, model = median_seconds(lambda: link_snapshot(snapshot))
    eval_time, evaluation = median_seconds(lambda: evaluate(model, policies))
    print(f"{units} units, {records} records, {len(policies)} policies")
    found = len(evaluation.findings)
    print(f"link_snapshot: {link_time:.2f} s   evaluate: {eval_time:.2f} s   findings: {found}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
