"""Collection: a read-only snapshot of an account's EC2 resilience state, every Region in parallel.

``collect_snapshot(CollectOptions(...))`` returns a snapshot document; see
``scanner.collect.runner`` for the flow and ``scanner.collect.readonly`` for the
read-only guarantee.
"""

from scanner.collect.options import AccountTarget, CollectOptions
from scanner.collect.runner import collect_snapshot, snapshot_errors

__all__ = ["AccountTarget", "CollectOptions", "collect_snapshot", "snapshot_errors"]
