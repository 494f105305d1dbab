"""Recovery objectives: what a workload or volume must survive, and how much data it may lose.

Stated by tag selector in the config file (``objectives: {"Tier=critical":
{rpo_hours: 4, survive: [zone]}}``) or by tags on the resource itself
(``stormproof:rpo-hours``, ``stormproof:survive`` = ``zone`` | ``region``);
a resource's own tags win over the config. Several matching selectors combine
to the strictest: the smallest RPO and every domain kind named. Surviving a
Region implies surviving a zone. ``rpo_hours`` is judged on volumes (their own
tags, or those of the instance they are attached to) in each scenario the
objective must survive (a zone when none is named); ``survive`` is judged on
workloads: a workload that is *down* breaks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

RPO_TAG, SURVIVE_TAG = "stormproof:rpo-hours", "stormproof:survive"
SURVIVE_KINDS = ("zone", "region")


@dataclass(frozen=True)
class Objective:
    rpo_hours: float | None
    survive: tuple[str, ...]  # subset of SURVIVE_KINDS, in that order
    source: str  # "tags" or "config: Tier=critical"

    def as_json(self) -> dict[str, Any]:
        return {"rpo_hours": self.rpo_hours, "survive": list(self.survive), "source": self.source}


@dataclass(frozen=True)
class ObjectiveRule:
    """One config entry: resources whose tag ``key`` equals ``value`` get this objective."""

    key: str
    value: str
    rpo_hours: float | None
    survive: tuple[str, ...]

    @property
    def selector(self) -> str:
        return f"{self.key}={self.value}"


def parse_selector(selector: str) -> tuple[str, str]:
    key, _, value = selector.partition("=")
    return key, value


def _survive(kinds: Any) -> tuple[str, ...]:
    named = set(kinds or ())
    if "region" in named:
        named.add("zone")
    return tuple(kind for kind in SURVIVE_KINDS if kind in named)


def rule_from_config(selector: str, entry: Mapping[str, Any]) -> ObjectiveRule:
    key, value = parse_selector(selector)
    rpo = entry.get("rpo_hours")
    return ObjectiveRule(
        key, value, float(rpo) if rpo is not None else None, _survive(entry.get("survive"))
    )


class ObjectiveResolver:
    """Finds the objective of a resource from its tags; collects problems with objective tags."""

    def __init__(self, rules: tuple[ObjectiveRule, ...] = ()):
        self.rules = rules
        self.problems: list[str] = []

    def __bool__(self) -> bool:
        return True

    def resolve(self, tags: Mapping[str, str] | None, arn: str) -> Objective | None:
        tags = tags or {}
        if not self.rules and RPO_TAG not in tags and SURVIVE_TAG not in tags:
            return None  # the common case: no objective anywhere
        rpo: float | None = None
        survive: set[str] = set()
        sources = []
        for rule in self.rules:
            if tags.get(rule.key) != rule.value:
                continue
            sources.append(rule.selector)
            if rule.rpo_hours is not None:
                rpo = rule.rpo_hours if rpo is None else min(rpo, rule.rpo_hours)
            survive.update(rule.survive)
        tag_rpo, tag_survive = self._from_tags(tags, arn)
        if tag_rpo is not None or tag_survive is not None:
            rpo = tag_rpo if tag_rpo is not None else rpo
            survive = set(tag_survive) if tag_survive is not None else survive
            source = "tags"
        elif sources:
            source = "config: " + ", ".join(sources)
        else:
            return None
        if rpo is None and not survive:
            return None
        return Objective(rpo, _survive(survive), source)

    def _from_tags(
        self, tags: Mapping[str, str], arn: str
    ) -> tuple[float | None, tuple[str, ...] | None]:
        rpo = survive = None
        if RPO_TAG in tags:
            raw = tags[RPO_TAG].strip()
            try:
                value = float(raw)
            except ValueError:
                value = -1.0
            if value > 0 and value == value and value != float("inf"):
                rpo = value
            else:
                self.problems.append(
                    f"{arn}: tag {RPO_TAG}={tags[RPO_TAG]!r} is not a positive number of hours; "
                    "ignored"
                )
        if SURVIVE_TAG in tags:
            raw = tags[SURVIVE_TAG].strip().lower()
            if raw in SURVIVE_KINDS:
                survive = _survive([raw])
            else:
                self.problems.append(
                    f"{arn}: tag {SURVIVE_TAG}={tags[SURVIVE_TAG]!r} is not 'zone' or 'region'; "
                    "ignored"
                )
        return rpo, survive


def resolver_from_config(objectives: Mapping[str, Mapping[str, Any]] | None) -> ObjectiveResolver:
    """The resolver for a config file's ``objectives`` (validated by config.schema.json)."""
    rules = tuple(
        rule_from_config(selector, entry) for selector, entry in sorted((objectives or {}).items())
    )
    return ObjectiveResolver(rules)
