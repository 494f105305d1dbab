"""The policy-writing guide's examples are real: they validate, and their own cases pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engine import load_config, load_policies, run_policy_cases, validate_policy_files
from scanner.engine.operators import OPERATORS
from scanner.model.link.facts import FACTS

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "writing-policies.md"
TEXT = GUIDE.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", TEXT, re.DOTALL)
POLICIES = [block for block in BLOCKS if block.startswith("id: ")]


def test_the_guide_has_its_examples() -> None:
    assert len(POLICIES) == 4


@pytest.mark.parametrize("block", POLICIES, ids=[b.split("\n", 1)[0][4:] for b in POLICIES])
def test_each_example_policy_validates_and_passes_its_cases(tmp_path: Path, block: str) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    assert validate_policy_files([path]) == []
    [policy] = load_policies([tmp_path], include_builtin=False)
    results = run_policy_cases([policy])
    assert results and all(result.ok for result in results), [r.problems for r in results]


def test_the_example_config_loads(tmp_path: Path) -> None:
    [block] = [b for b in BLOCKS if b.startswith("# stormproof.yaml")]
    path = tmp_path / "stormproof.yaml"
    path.write_text(block, encoding="utf-8")
    config = load_config(path)
    policies = {policy.id: policy for policy in load_policies(config=config)}
    assert config.fleet_tag_keys == ("Workload", "Service")
    assert policies["asg-single-az"].meta.parameters == {"min_zones": 3}
    assert "elb-cross-zone-disabled" not in policies


def test_every_operator_and_fact_is_documented() -> None:
    for name in OPERATORS:
        assert f"| `{name}` |" in TEXT
    for type_name, facts in FACTS.items():
        for fact in facts:
            assert f"| `facts.{fact.name}` |" in TEXT, (type_name, fact.name)
        if facts:
            assert f"#### `{type_name}`" in TEXT


def test_the_field_reference_is_the_generated_one() -> None:
    from scanner.engine.fields import render_field_reference

    assert render_field_reference() in TEXT, "run `stormproof policies fields` into the guide"


def test_the_waiver_example_uses_real_policies_and_loads(tmp_path: Path) -> None:
    import datetime as dt

    from scanner.report.waivers import load_waivers
    from scanner.resources import load_schema

    [block] = [b for b in BLOCKS if b.startswith("# waivers.yaml")]
    path = tmp_path / "waivers.yaml"
    path.write_text(block, encoding="utf-8")
    waivers = load_waivers(path, today=dt.date(2027, 1, 1))
    assert len(waivers.waivers) == 2 and waivers.warnings == ()
    ids = {policy.id for policy in load_policies()}
    schema = load_schema("waivers.schema.json")
    for example in schema["$defs"]["waiver"]["properties"]["policy"]["examples"]:
        assert example == "*" or example in ids
