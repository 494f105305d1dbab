"""The config file: disabled policies, severity and parameter overrides, fleet tag keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.engine import load_config, load_policies
from scanner.engine.config import Config
from scanner.errors import InputError
from scanner.model.link import DEFAULT_FLEET_TAG_KEYS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "stormproof.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_config_means_defaults() -> None:
    config = load_config(None)
    assert config == Config()
    assert config.fleet_tag_keys == DEFAULT_FLEET_TAG_KEYS == ("Fleet", "Service", "Application")


def test_an_empty_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")).fleet_tag_keys == DEFAULT_FLEET_TAG_KEYS


def test_overrides_apply(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """\
fleet_tag_keys: [Workload]
disabled: [elb-cross-zone-disabled, fleet-single-az]
policies:
  asg-single-az:
    severity: critical
    parameters:
      min_zones: 3
  snapshot-not-copied-cross-region:
    parameters: {min_age_hours: 72}
""",
        )
    )
    assert config.fleet_tag_keys == ("Workload",)
    policies = {policy.id: policy for policy in load_policies(config=config)}
    assert "elb-cross-zone-disabled" not in policies and "fleet-single-az" not in policies
    assert len(policies) == len(load_policies()) - 2  # the two disabled
    assert policies["asg-single-az"].meta.severity == "critical"
    assert policies["asg-single-az"].meta.parameters == {"min_zones": 3}
    assert policies["snapshot-not-copied-cross-region"].meta.parameters == {"min_age_hours": 72}
    assert policies["snapshot-not-copied-cross-region"].meta.severity == "medium"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "disabled: [asg-single-az, no-such-policy]\n",
            "1:27: unknown policy id 'no-such-policy' in config",
        ),
        (
            "policies:\n  asg-singel-az:\n    severity: low\n",
            "2:3: unknown policy id 'asg-singel-az' in config",
        ),
        (
            "policies:\n  asg-single-az:\n    parameters: {max_zones: 3}\n",
            "3:18: unknown parameter 'max_zones' (declared: min_zones)",
        ),
        (
            "policies:\n  asg-single-az:\n    parameters:\n      min_zones: two\n",
            "4:7: parameter 'min_zones' must be integer, got 'two'",
        ),
    ],
)
def test_mistakes_are_reported_at_their_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_policies(config=load_config(path))
    assert str(raised.value) == f"{path}:{expected}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "policies:\n  asg-single-az:\n    severity: urgent\n",
            "3:15: 'policies.asg-single-az.severity' must be one of critical, high, medium, low"
            " (got 'urgent')",
        ),
        (
            "fleet_tag_key: [Team]\n",
            "1:1: unknown key 'fleet_tag_key' (allowed: disabled, fleet_tag_keys, policies)",
        ),
        ("- a list\n", "1:1: a config file must be a YAML mapping"),
        ("disabled: [a\n", "2:1: invalid YAML: did not find expected ',' or ']'"),
    ],
)
def test_invalid_config_files(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as raised:
        load_config(path)
    assert str(raised.value) == f"{path}:{expected}"


def test_a_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nowhere.yaml: cannot read file: No such file"):
        load_config(tmp_path / "nowhere.yaml")
