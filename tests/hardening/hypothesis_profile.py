"""One Hypothesis configuration for every property test here: reproducible and quick.

``derandomize`` makes each run try the same examples (a failure reproduces on
every machine), ``database=None`` keeps Hypothesis from writing into the
working tree, and ``deadline=None`` avoids flaky timing failures on slow CI.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
