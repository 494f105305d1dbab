"""ARC zonal shift: the resources registered with it, and whether zonal autoshift is on.

An ALB or NLB with ``zonal_shift.config.enabled`` and an Auto Scaling group whose
zone impairment policy enables zonal shift are registered with ARC; the
read-only ``ListManagedResources`` lists them per Region with their zonal
autoshift and practice run status. One paginated call per unit.
https://docs.aws.amazon.com/arc-zonal-shift/latest/api/API_ListManagedResources.html
"""

from __future__ import annotations

from typing import Any

from scanner.collect.context import UnitContext

SERVICE = "arc-zonal-shift"


def collect_zonal_shift(ctx: UnitContext) -> dict[str, list[dict[str, Any]]]:
    items = ctx.pages(SERVICE, "ListManagedResources", "items")
    if items is None:
        return {}
    records = []
    for item in items:
        arn = item.get("arn")
        if not arn:  # the model makes it optional; a resource without one cannot be named
            continue
        record = ctx.base(arn.split(":", 5)[-1], arn, {})
        record.update(
            name=item.get("name"),
            zones=sorted(item.get("availabilityZones", [])),
            autoshift_status=item.get("zonalAutoshiftStatus"),
            practice_run_status=item.get("practiceRunStatus"),
            applied_weights=dict(item.get("appliedWeights") or {}),
        )
        records.append(record)
    return {"zonal_shift_resources": records}
