"""``stormproof demo``: a realistic estate in an embedded mock AWS, scanned for real.

Nothing here is a shortcut around the pipeline: the estate is seeded through the
AWS API into moto (in process), and the real collector, engine and report
writers run against it exactly as ``stormproof scan`` does. This package
imports moto, so it is only importable with the ``demo`` (or ``test``) extra.
"""
