"""One policy: compiled from its YAML file, ready to judge documents of one resource type."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scanner.engine.conditions import Comparison, Condition, ConditionCompiler, with_dependencies
from scanner.engine.messages import MessageTemplate, compile_message
from scanner.engine.paths import ALL_FACTS, CompiledPath, compile_path
from scanner.engine.results import PolicyMeta
from scanner.engine.schema_errors import schema_problems, validator_for
from scanner.engine.yaml_source import SourceMap, YamlDocument
from scanner.errors import InputError, Location
from scanner.model.link.facts import Dependency, fact, fact_names
from scanner.model.resource_types import RESOURCE_TYPES

CONDITION_KEYS = ("scope", "violation")
_PARAMETER_TYPES = {
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "list": lambda v: isinstance(v, list),
}


@dataclass(frozen=True)
class PolicyCase:
    """A test case shipped with a policy: a snapshot fragment and the expected outcome by id."""

    name: str
    snapshot: dict[str, Any]
    parameters: dict[str, Any]
    fail: tuple[str, ...]
    passing: tuple[str, ...]
    unknown: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Policy:
    meta: PolicyMeta
    violation: Condition
    scope: Condition | None
    message: MessageTemplate
    remediation: MessageTemplate
    evidence_paths: tuple[CompiledPath, ...]  # extra paths every finding records
    dependencies: tuple[Dependency, ...]  # what its scope and violation rest on, for docs
    declared_parameters: dict[str, dict[str, Any]]
    example: dict[str, str] | None
    cases: tuple[PolicyCase, ...]
    document: dict[str, Any] = field(repr=False)
    positions: SourceMap = field(repr=False)

    @property
    def id(self) -> str:
        return self.meta.id

    def with_overrides(
        self, *, severity: str | None = None, parameters: dict[str, Any] | None = None
    ) -> Policy:
        """Recompile with other parameter values (conditions fold parameters in)."""
        compiled, errors = compile_policy(
            YamlDocument(self.document, self.positions),
            builtin=self.meta.builtin,
            severity=severity or self.meta.severity,
            parameters={**self._overridden_parameters(), **(parameters or {})},
        )
        if errors:
            raise errors[0]
        assert compiled is not None
        return compiled

    def _overridden_parameters(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.meta.parameters.items()
            if value != self.declared_parameters[name]["default"]
        }


def compile_policy(
    document: YamlDocument,
    *,
    builtin: bool,
    severity: str | None = None,
    parameters: dict[str, Any] | None = None,
    parameter_locations: dict[str, Location] | None = None,
) -> tuple[Policy | None, list[InputError]]:
    """Validate and compile one policy document; return it or every problem found."""
    data, positions = document.data, document.positions
    if not isinstance(data, dict):
        return None, [InputError("a policy file must be a YAML mapping", positions.value(()))]
    # Conditions are checked by the compiler, which says more than the schema can.
    errors = schema_problems(
        validator_for("policy.schema.json"), data, positions, skip=CONDITION_KEYS
    )
    resource = data.get("resource")
    if isinstance(resource, str) and resource not in RESOURCE_TYPES:
        known = ", ".join(RESOURCE_TYPES)
        message_text = f"unknown resource type {resource!r} (known: {known})"
        errors.append(InputError(message_text, positions.value(("resource",))))
    declared = data.get("parameters") if isinstance(data.get("parameters"), dict) else {}
    effective = _effective_parameters(
        declared, parameters or {}, positions, parameter_locations or {}, errors
    )
    compiler = ConditionCompiler(positions, effective)
    violation = compiler.compile(data["violation"], ("violation",)) if "violation" in data else None
    scope = compiler.compile(data["scope"], ("scope",)) if "scope" in data else None
    errors.extend(compiler.errors)
    message = None
    if isinstance(data.get("message"), str):
        message, problem, line = compile_message(data["message"])
        if problem:
            base = positions.value(("message",))
            where = Location(base.path, (base.line or 1) + line - 1, base.column)
            errors.append(InputError(problem, where))
    remediation = _template(data, "remediation", positions, errors)
    known_type = isinstance(resource, str) and resource in RESOURCE_TYPES
    evidence_paths = _evidence_paths(data, positions, errors) if known_type else ()
    supersedes = data.get("supersedes")
    if isinstance(supersedes, list) and data.get("id") in supersedes:
        errors.append(
            InputError("a policy cannot supersede itself", positions.value(("supersedes",)))
        )
    if errors or violation is None or message is None or remediation is None:
        return None, _in_file_order(errors)
    binder = _DependencyBinder(resource, compiler.path_locations, errors)
    violation = with_dependencies(violation, binder)
    scope = with_dependencies(scope, binder) if scope is not None else None
    if errors:
        return None, _in_file_order(errors)
    meta = PolicyMeta(
        id=data["id"],
        title=data["title"],
        severity=severity or data["severity"],
        resource=resource,
        description=data["description"].strip(),
        rationale=data["rationale"].strip(),
        remediation=remediation.render_placeholders(effective),
        references=tuple(data.get("references", [])),
        frameworks=tuple(data.get("frameworks", [])),
        tags=tuple(data.get("tags", [])),
        parameters=effective,
        source_path=Path(positions.source),
        violation_line=positions.key(("violation",)).line or 1,
        builtin=builtin,
        supersedes=tuple(data.get("supersedes") or ()),
    )
    policy = Policy(
        meta=meta,
        violation=violation,
        scope=scope,
        message=message,
        remediation=remediation,
        evidence_paths=evidence_paths,
        dependencies=binder.all_dependencies(),
        declared_parameters=declared,
        example=data.get("example"),
        cases=tuple(_cases(data.get("tests", []), positions)),
        document=data,
        positions=positions,
    )
    return policy, []


def _template(
    data: dict[str, Any], key: str, positions: SourceMap, errors: list[InputError]
) -> MessageTemplate | None:
    """A remediation template, checked like a message; its errors say which field."""
    if not isinstance(data.get(key), str):
        return None
    template, problem, line = compile_message(data[key], multiline=True)
    if problem:
        base = positions.value((key,))
        where = Location(base.path, (base.line or 1) + line - 1, base.column)
        errors.append(InputError(problem.replace("message template", f"{key} template"), where))
    return template


def _evidence_paths(
    data: dict[str, Any], positions: SourceMap, errors: list[InputError]
) -> tuple[CompiledPath, ...]:
    compiled = []
    listed = data.get("evidence")
    for index, text in enumerate(listed if isinstance(listed, list) else []):
        if not isinstance(text, str):
            continue  # the schema has said what is wrong with it
        where = positions.value(("evidence", index))
        try:
            path = compile_path(text)
        except ValueError as exc:
            errors.append(InputError(f"invalid evidence path {text!r}: {exc}", where))
            continue
        resource = data.get("resource")
        for name in sorted(path.facts - {ALL_FACTS}):
            if isinstance(resource, str) and fact(resource, name) is None:
                known = ", ".join(fact_names(resource)) or "none"
                problem = (
                    f"unknown fact 'facts.{name}' for resource type '{resource}' (known: {known})"
                )
                errors.append(InputError(problem, where))
        compiled.append(path)
    return tuple(compiled)


def _effective_parameters(
    declared: dict[str, dict[str, Any]],
    overrides: dict[str, Any],
    positions: SourceMap,
    override_locations: dict[str, Location],
    errors: list[InputError],
) -> dict[str, Any]:
    effective: dict[str, Any] = {}
    for name, spec in declared.items():
        if not isinstance(spec, dict) or "default" not in spec:
            continue  # the schema has said what is wrong with it
        kind = spec.get("type")
        if kind in _PARAMETER_TYPES and not _PARAMETER_TYPES[kind](spec["default"]):
            errors.append(
                InputError(
                    f"default of parameter '{name}' is not {kind}",
                    positions.value(("parameters", name, "default")),
                )
            )
        effective[name] = spec["default"]
    for name, value in overrides.items():
        location = override_locations.get(name, Location(positions.source))
        if name not in effective:
            known = ", ".join(sorted(declared)) or "none"
            errors.append(InputError(f"unknown parameter '{name}' (declared: {known})", location))
            continue
        kind = declared[name].get("type") or _kind_of(declared[name]["default"])
        kind = kind if kind in _PARAMETER_TYPES else None
        if kind and not _PARAMETER_TYPES[kind](value):
            errors.append(InputError(f"parameter '{name}' must be {kind}, got {value!r}", location))
            continue
        effective[name] = value
    return effective


def _kind_of(value: Any) -> str | None:
    for kind in ("boolean", "integer", "number", "string", "list"):
        if _PARAMETER_TYPES[kind](value):
            return kind
    return None


def _in_file_order(errors: list[InputError]) -> list[InputError]:
    def position(error: InputError) -> tuple[int, int]:
        location = error.location
        return (location.line or 0, location.column or 0) if location else (0, 0)

    return sorted(errors, key=position)


class _DependencyBinder:
    """Works out what each comparison rests on from the facts its paths read."""

    def __init__(self, resource: str, locations: dict[str, Location], errors: list[InputError]):
        self.resource, self.locations, self.errors = resource, locations, errors
        self._seen: dict[Dependency, None] = {}

    def __call__(self, comparison: Comparison) -> tuple[Dependency, ...]:
        found: dict[Dependency, None] = {}
        for path in comparison.paths():
            touched = fact_names(self.resource) if ALL_FACTS in path.facts else sorted(path.facts)
            for name in touched:
                known = fact(self.resource, name)
                if known is None:
                    self._unknown_fact(name, path.text)
                    continue
                for dependency in known.rests_on:
                    found[dependency] = None
        self._seen.update(found)
        return tuple(found)

    def _unknown_fact(self, name: str, path_text: str) -> None:
        known = ", ".join(fact_names(self.resource)) or "none"
        message = (
            f"unknown fact 'facts.{name}' for resource type '{self.resource}' (known: {known})"
        )
        error = InputError(message, self.locations[path_text])
        if all(str(error) != str(existing) for existing in self.errors):
            self.errors.append(error)

    def all_dependencies(self) -> tuple[Dependency, ...]:
        return tuple(self._seen)


def _cases(raw_cases: list[dict[str, Any]], positions: SourceMap) -> list[PolicyCase]:
    return [
        PolicyCase(
            name=case["name"],
            snapshot=case["snapshot"],
            parameters=case.get("parameters", {}),
            fail=tuple(case.get("fail", [])),
            passing=tuple(case.get("pass", [])),
            unknown=tuple(case.get("unknown", [])),
            location=positions.value(("tests", index)),
        )
        for index, case in enumerate(raw_cases)
    ]
