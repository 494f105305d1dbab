"""The checks of the library issue: judged by their own seeded end-to-end test
(``test_end_to_end_library.py``), so the older end-to-end estate stays about its own policies."""

LIBRARY_POLICY_IDS = frozenset(
    {
        "asg-balanced-only-distribution",
        "asg-capacity-rebalance-off",
        "asg-zonal-shift-disabled",
        "asg-zone-imbalance",
        "elb-connection-draining-disabled",
        "elbv2-zonal-shift-disabled",
        "instance-auto-recovery-disabled",
        "instance-cluster-placement-group",
        "instance-standalone",
        "zonal-autoshift-disabled",
    }
)
