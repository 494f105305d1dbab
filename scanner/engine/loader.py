"""Finding, loading and validating policy files: built-ins plus any ``--policies DIR``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from scanner.engine.config import Config
from scanner.engine.policy import Policy, compile_policy
from scanner.engine.yaml_source import YamlDocument, load_yaml_file
from scanner.errors import InputError, Location
from scanner.resources import builtin_policies_dir

POLICY_SUFFIXES = (".yaml", ".yml")


def policy_files(paths: Iterable[str | Path]) -> list[Path]:
    """Policy files under each path (a file, or a folder searched recursively), sorted.

    A folder without a single policy file is an error: a mistyped ``--policies``
    must not quietly check nothing.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p for p in path.rglob("*") if p.suffix in POLICY_SUFFIXES and p.is_file()
            )
            if not inside:
                raise InputError(
                    "no policy files (*.yaml, *.yml) in this folder", Location(str(path))
                )
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such policy file or folder", Location(str(path)))
    return list(dict.fromkeys(found))


def builtin_policy_files() -> list[Path]:
    return policy_files([builtin_policies_dir()])


def _compile_file(
    path: Path, *, builtin: bool, config: Config | None
) -> tuple[Policy | None, list[InputError]]:
    try:
        document = load_yaml_file(path)
    except InputError as exc:
        return None, [exc]
    policy_id = document.data.get("id") if isinstance(document.data, dict) else None
    overrides = config if config is not None and isinstance(policy_id, str) else None
    return compile_policy(
        YamlDocument(document.data, document.positions),
        builtin=builtin,
        severity=overrides.severity.get(policy_id) if overrides else None,
        parameters=overrides.parameters.get(policy_id) if overrides else None,
        parameter_locations=overrides.parameter_locations.get(policy_id) if overrides else None,
    )


def _duplicate_errors(policies: list[Policy]) -> list[InputError]:
    first_seen: dict[str, Policy] = {}
    errors = []
    for policy in policies:
        earlier = first_seen.setdefault(policy.id, policy)
        if earlier is not policy:
            where = earlier.positions.value(("id",))
            errors.append(
                InputError(
                    f"duplicate policy id '{policy.id}' (also defined in {where})",
                    policy.positions.value(("id",)),
                )
            )
    return errors


def load_policies(
    extra_dirs: Sequence[str | Path] = (),
    *,
    config: Config | None = None,
    include_builtin: bool = True,
) -> list[Policy]:
    """Load built-in and extra policies with config overrides applied; sorted by id.

    Raises :class:`InputError` for the first problem: a malformed policy, a
    duplicate id (naming both files), or a config that names an unknown policy.
    """
    sources = [(path, True) for path in builtin_policy_files()] if include_builtin else []
    sources += [(path, False) for path in policy_files(extra_dirs)]
    policies: list[Policy] = []
    for path, builtin in sources:
        policy, errors = _compile_file(path, builtin=builtin, config=config)
        if errors:
            raise errors[0]
        assert policy is not None
        policies.append(policy)
    duplicates = _duplicate_errors(policies)
    if duplicates:
        raise duplicates[0]
    if config is not None:
        config.check_policy_ids({policy.id for policy in policies})
        policies = [policy for policy in policies if policy.id not in set(config.disabled)]
    return sorted(policies, key=lambda policy: policy.id)


def validate_policy_files(paths: Iterable[str | Path]) -> list[InputError]:
    """Every problem in the given policy files and folders, as ``file:line:column: message``."""
    errors: list[InputError] = []
    policies: list[Policy] = []
    seen: set[Path] = set()
    for raw in paths:
        try:
            files = policy_files([raw])
        except InputError as exc:
            errors.append(exc)
            continue
        for path in files:
            if path in seen:
                continue
            seen.add(path)
            policy, problems = _compile_file(path, builtin=False, config=None)
            errors.extend(problems)
            if policy is not None:
                policies.append(policy)
    return errors + _duplicate_errors(policies)
