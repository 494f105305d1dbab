"""The config file: fleet tag keys, disabled policies, severity and parameter overrides, objectives.

Validated by ``schemas/config.schema.json``. Every id and parameter it names
keeps its YAML position, so a typo is reported as ``file:line:column`` once the
policies it refers to are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.engine.renamed import current_id, deprecation
from scanner.engine.schema_errors import schema_problems, validator_for
from scanner.engine.yaml_source import load_yaml_file
from scanner.errors import InputError, Location
from scanner.model.link.fleets import DEFAULT_FLEET_TAG_KEYS


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    fleet_tag_keys: tuple[str, ...] = DEFAULT_FLEET_TAG_KEYS
    disabled: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)  # policy id -> severity
    parameters: dict[str, dict[str, Any]] = field(
        default_factory=dict
    )  # policy id -> name -> value
    locations: dict[str, Location] = field(default_factory=dict)  # policy id -> where it is named
    parameter_locations: dict[str, dict[str, Location]] = field(default_factory=dict)
    # tag selector "Key=Value" -> {rpo_hours, survive}: read by scanner.scenarios
    objectives: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (message, where): renamed policy ids the file still uses; they keep working
    deprecations: tuple[tuple[str, Location], ...] = ()

    def check_policy_ids(self, known: set[str]) -> None:
        """Raise for the first id the config names that no loaded policy has."""
        unknown = sorted(
            (self.locations[policy_id].line or 0, policy_id)
            for policy_id in self.locations
            if policy_id not in known
        )
        if unknown:
            policy_id = unknown[0][1]
            raise InputError(
                f"unknown policy id '{policy_id}' in config", self.locations[policy_id]
            )


def load_config(path: str | Path | None) -> Config:
    """Load and validate a config file; ``None`` gives the defaults."""
    if path is None:
        return Config()
    document = load_yaml_file(path)
    data, positions = document.data, document.positions
    if data is None:
        return Config(path=Path(path))
    if not isinstance(data, dict):
        raise InputError("a config file must be a YAML mapping", positions.value(()))
    problems = schema_problems(validator_for("config.schema.json"), data, positions)
    if problems:
        raise problems[0]
    locations: dict[str, Location] = {}
    deprecations: list[tuple[str, Location]] = []

    def named(policy_id: str, where: Location) -> str:
        warning = deprecation(policy_id)
        if warning is not None:
            deprecations.append((warning, where))
        return current_id(policy_id)

    disabled: list[str] = []
    for index, policy_id in enumerate(data.get("disabled", [])):
        where = positions.value(("disabled", index))
        policy_id = named(policy_id, where)
        disabled.append(policy_id)
        locations.setdefault(policy_id, where)
    severity: dict[str, str] = {}
    parameters: dict[str, dict[str, Any]] = {}
    parameter_locations: dict[str, dict[str, Location]] = {}
    for written_id, overrides in data.get("policies", {}).items():
        policy_id = named(written_id, positions.key(("policies", written_id)))
        locations.setdefault(policy_id, positions.key(("policies", written_id)))
        if "severity" in overrides:
            severity[policy_id] = overrides["severity"]
        if "parameters" in overrides:
            parameters[policy_id] = dict(overrides["parameters"])
            parameter_locations[policy_id] = {
                name: positions.key(("policies", written_id, "parameters", name))
                for name in overrides["parameters"]
            }
    return Config(
        path=Path(path),
        fleet_tag_keys=tuple(data.get("fleet_tag_keys", DEFAULT_FLEET_TAG_KEYS)),
        disabled=tuple(disabled),
        severity=severity,
        parameters=parameters,
        locations=locations,
        parameter_locations=parameter_locations,
        objectives={key: dict(value) for key, value in data.get("objectives", {}).items()},
        deprecations=tuple(deprecations),
    )
