"""Failure scenarios: what is lost when an Availability Zone, a Local Zone or a Region fails.

The stage after linking: from the linked model it computes, for every failure
domain, each workload's outcome (down, degraded, at risk, survives) and each
volume's and instance's data-loss window, ranks the domains worst first, and
adds the objective verdicts (``recovery_objective`` documents) that policies
judge. Reports render the result; nothing here reads AWS.
"""

from scanner.scenarios.objectives import ObjectiveResolver, ObjectiveRule, resolver_from_config
from scanner.scenarios.stage import (
    OBJECTIVE_TYPE,
    Scenario,
    Scenarios,
    build_scenarios,
    scenarios_for,
)

__all__ = [
    "OBJECTIVE_TYPE",
    "ObjectiveResolver",
    "ObjectiveRule",
    "Scenario",
    "Scenarios",
    "build_scenarios",
    "resolver_from_config",
    "scenarios_for",
]
