"""Waivers: accepted risks that turn matching open findings into ``waived``.

A waiver file is YAML or JSON (``schemas/waivers.schema.json``). A file that
cannot be read or is the wrong shape is the user's error (one line, exit 2); a
single bad or expired entry only waives nothing and becomes a warning, so one
typo never hides every other waiver or fails a scheduled scan.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from scanner.engine.results import Finding
from scanner.engine.yaml_source import build_yaml_node, check_scalar, describe_yaml_error
from scanner.errors import InputError, Location
from scanner.model.snapshot import parse_json
from scanner.report.context import ReportWarning
from scanner.resources import load_schema
from scanner.userfiles import read_user_text

SCHEMA_NAME = "waivers.schema.json"


@dataclass(frozen=True)
class Waiver:
    policy: str
    resource: str
    reason: str
    owner: str
    expires: dt.date
    ticket: str | None
    line: int | None

    def matches(self, finding: Finding) -> bool:
        return fnmatch.fnmatchcase(finding.policy_id, self.policy) and fnmatch.fnmatchcase(
            finding.arn, self.resource
        )

    def as_dict(self) -> dict[str, Any]:
        entry = {
            "policy": self.policy,
            "resource": self.resource,
            "reason": self.reason,
            "owner": self.owner,
            "expires": self.expires.isoformat(),
        }
        if self.ticket:
            entry["ticket"] = self.ticket
        return entry


@dataclass(frozen=True)
class WaiverFile:
    """The usable entries of a waiver file and the warnings about the unusable ones."""

    source: str
    waivers: tuple[Waiver, ...]
    warnings: tuple[ReportWarning, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader keeping dates as strings: a bad date is one entry's problem, not the file's."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_waivers(path: str | os.PathLike[str], *, today: dt.date) -> WaiverFile:
    """Read and check a waiver file; expired entries (``expires`` before ``today``) are dropped."""
    source = str(path)
    document, lines = _parse(Path(path), source)
    schema = load_schema(SCHEMA_NAME)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    entry_errors: dict[int, list[str]] = {}
    for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
        path_parts = list(error.absolute_path)
        if len(path_parts) >= 2 and path_parts[0] == "waivers" and isinstance(path_parts[1], int):
            field = ".".join(str(part) for part in path_parts[2:]) or "entry"
            entry_errors.setdefault(path_parts[1], []).append(f"{field}: {_short(error.message)}")
            continue
        line = lines.get(tuple(path_parts[:1])) or lines.get(())
        where = f" at {error.json_path}" if path_parts else ""
        raise InputError(
            f"invalid waiver file{where}: {_short(error.message)}", Location(source, line)
        )
    waivers: list[Waiver] = []
    warnings: list[ReportWarning] = []
    for index, entry in enumerate(document.get("waivers", [])):
        line = lines.get(("waivers", index))
        if index in entry_errors:
            problems = "; ".join(entry_errors[index])
            warnings.append(
                ReportWarning(
                    f"malformed waiver #{index + 1} waives nothing ({problems})", source, line
                )
            )
            continue
        waiver = Waiver(
            policy=entry["policy"],
            resource=entry["resource"],
            reason=entry["reason"].strip(),
            owner=entry["owner"].strip(),
            expires=dt.date.fromisoformat(entry["expires"]),
            ticket=entry.get("ticket"),
            line=line,
        )
        if waiver.expires < today:
            warnings.append(
                ReportWarning(
                    f"waiver #{index + 1} for policy {waiver.policy} on {waiver.resource} "
                    f"(owner {waiver.owner}) expired on {waiver.expires.isoformat()}; "
                    "it waives nothing",
                    source,
                    line,
                )
            )
            continue
        waivers.append(waiver)
    return WaiverFile(source=source, waivers=tuple(waivers), warnings=tuple(warnings))


def apply_waivers(findings: list[Finding], waivers: WaiverFile) -> int:
    """Mark open findings matched by a waiver as ``waived`` (first matching entry wins).

    Unknown findings stay unknown: a waiver accepts a known risk, it cannot vouch
    for a resource nobody could look at. Returns how many findings were waived.
    """
    waived = 0
    for finding in findings:
        if finding.status != "open":
            continue
        for waiver in waivers.waivers:
            if waiver.matches(finding):
                finding.status = "waived"
                finding.waiver = {**waiver.as_dict(), "source": waivers.source, "line": waiver.line}
                waived += 1
                break
    return waived


def _parse(path: Path, source: str) -> tuple[Any, dict[tuple, int]]:
    text = read_user_text(path, "waiver file", subject="waiver file")
    try:
        node = yaml.compose(text, Loader=_Loader)
        # Every value checked (numbers, surrogates), duplicate keys and merge keys refused.
        document = build_yaml_node(node, source).data
    except RecursionError as exc:
        raise InputError("not valid YAML: nested too deeply", Location(source)) from exc
    except yaml.YAMLError as exc:
        if path.suffix.lower() == ".json":
            return _parse_json(text, source), {}
        problem, where = describe_yaml_error(exc, source)
        raise InputError(f"not valid YAML: {problem}", where) from exc
    if not isinstance(document, dict):
        kind = "empty" if document is None else f"a {type(document).__name__}"
        raise InputError(
            f"a waiver file is a mapping with a `waivers:` list, but this one is {kind}",
            Location(source, 1),
        )
    return document, _entry_lines(node)


def _parse_json(text: str, source: str) -> Any:
    document = parse_json(text, source)
    _check_values(document, source)
    if not isinstance(document, dict):
        raise InputError("a waiver file is an object with a `waivers` list", Location(source, 1))
    return document


def _check_values(document: Any, source: str) -> None:
    """The checks the YAML builder makes, for JSON (located by JSON path, not by line)."""
    stack: list[tuple[Any, str]] = [(document, "$")]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            stack.extend((item, f"{where}.{key}") for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{index}]") for index, item in enumerate(value))
        elif check_scalar(value):
            raise InputError(f"at {where}: {check_scalar(value)}", Location(source))


def _entry_lines(node: yaml.Node | None) -> dict[tuple, int]:
    """1-based lines of the document, its top-level keys and each waiver entry."""
    lines: dict[tuple, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    lines[()] = node.start_mark.line + 1
    for key, value in node.value:
        lines[(key.value,)] = key.start_mark.line + 1
        if key.value == "waivers" and isinstance(value, yaml.SequenceNode):
            for index, item in enumerate(value.value):
                lines[("waivers", index)] = item.start_mark.line + 1
    return lines


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
