"""scenarios.json, the summaries and ``stormproof scenarios`` on a saved two-account snapshot."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.model.snapshot import dump_snapshot
from scanner.resources import schemas_dir
from tests.scenarios.helpers import A, B, az

ZONES_A = [az("us-east-1a", "use1-az4"), az("us-east-1b", "use1-az6")]
ZONES_B = [az("us-east-1a", "use1-az6"), az("us-east-1c", "use1-az4")]
ESTATE = {
    "units": [
        {
            "account": A,
            "zones": ZONES_A,
            "resources": {
                "auto_scaling_groups": [
                    {
                        "id": "web",
                        "zones": ["us-east-1a"],
                        "tags": {"stormproof:survive": "zone"},
                        "instances": [{"id": "i-w", "zone": "us-east-1a"}],
                    }
                ],
                "volumes": [{"id": "vol-a", "zone": "us-east-1a", "size_gib": 30}],
            },
        },
        {
            "account": B,
            "zones": ZONES_B,
            "resources": {"instances": [{"id": "i-b", "zone": "us-east-1c"}]},
        },
    ]
}


@pytest.fixture
def snapshot_file(tmp_path: Path) -> Path:
    return dump_snapshot(expand_fragment(ESTATE), tmp_path / "snapshot.json")


def _validate(document: dict) -> None:
    schema = json.loads((schemas_dir() / "scenarios.schema.json").read_text())
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(
        document
    )


def test_scan_writes_scenarios_json_and_lists_the_worst_domains(
    snapshot_file: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    code = cli.main(["scan", "--snapshot", str(snapshot_file), "--output-dir", str(out)])
    assert code == ExitCode.FINDINGS
    document = json.loads((out / "scenarios.json").read_text())
    _validate(document)
    first = document["scenarios"][0]
    assert first["rank"] == 1 and first["domain"]["id"] == "use1-az4"
    assert first["domain"]["names"] == {A: "us-east-1a", B: "us-east-1c"}
    assert [(w["id"], w["outcome"]) for w in first["workloads"]] == [
        ("asg/web", "down"),
        ("i-b", "down"),
    ]
    # nothing backs either up: both are lost with the zone
    assert [(d["id"], d["lost"], d["window_hours"]) for d in first["data"]] == [
        ("vol-a", True, None),
        ("i-b", True, None),
    ]
    assert first["totals"]["gib_lost"] == 30
    assert document["protection_known"] is True and document["notes"] == []
    terminal = capsys.readouterr().out
    assert "worst failure domains (scenarios.json)" in terminal
    line = (
        f"  1. zone use1-az4 (us-east-1a in {A}, us-east-1c in {B}): 2 workload(s) down, "
        "data lost: 1 volume(s) (30 GiB) and 1 instance(s)"
    )
    assert line in terminal
    summary = (out / "summary.md").read_text()
    assert "### Worst failure domains" in summary
    assert summary.count("\n1. ") == 1 and "\n3. " in summary and "\n4. " not in summary
    findings = json.loads((out / "findings.json").read_text())["findings"]
    [objective] = [f for f in findings if f["policy_id"] == "recovery-objective-not-met"]
    assert objective["resource_id"] == "asg/web"
    assert objective["message"] == (
        "Auto Scaling group web: down if use1-az4 (us-east-1a) fails; objective: survive a zone."
    )


def test_only_the_json_format_writes_scenarios_json(snapshot_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "sarif-only"
    cli.main(
        [
            "scan",
            "--snapshot",
            str(snapshot_file),
            "--output-dir",
            str(out),
            "-q",
            "--format",
            "sarif",
        ]
    )
    assert sorted(p.name for p in out.iterdir()) == ["results.sarif"]


def test_scenarios_command_ranking_one_domain_and_json(snapshot_file: Path, capsys) -> None:
    assert cli.main(["scenarios", "--snapshot", str(snapshot_file)]) == ExitCode.CLEAN
    ranking = capsys.readouterr().out.splitlines()
    assert ranking[0].startswith("  1. zone use1-az4 (")
    assert ranking[1] == (
        "  2. Region us-east-1: 2 workload(s) down, data lost: 1 volume(s) (30 GiB) and "
        "1 instance(s)"
    )
    assert cli.main(["scenarios", "--snapshot", str(snapshot_file), "--domain", "use1-az4"]) == 0
    text = capsys.readouterr().out
    assert "down      Auto Scaling group web (111111111111/us-east-1): 0% capacity left" in text
    assert "volume   vol-a 30 GiB (111111111111): LOST (no backup outside the domain)" in text
    code = cli.main(
        ["scenarios", "--snapshot", str(snapshot_file), "--domain", "us-east-1c", "--json"]
    )
    assert code == ExitCode.CLEAN
    one = json.loads(capsys.readouterr().out)
    assert one["domain"]["id"] == "use1-az4" and len(one["workloads"]) == 2


def test_scenarios_command_bad_domains_are_usage_errors(snapshot_file: Path, capsys) -> None:
    code = cli.main(["scenarios", "--snapshot", str(snapshot_file), "--domain", "us-east-1a"])
    assert code == ExitCode.BAD_INPUT
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "accounts map this zone name to different zones" in err[0]
    assert cli.main(["scenarios", "--snapshot", str(snapshot_file), "--domain", "mars-1"]) == 2
    assert "no such failure domain" in capsys.readouterr().err


def test_scenarios_json_written_in_chunks_is_the_whole_document(monkeypatch) -> None:
    import io

    from scanner.model.link import link_snapshot
    from scanner.report import scenarios_json
    from scanner.report.scenarios_view import ScenarioReport
    from scanner.scenarios import scenarios_for

    monkeypatch.setattr(scenarios_json, "CHUNK", 1)
    view = ScenarioReport(scenarios_for(link_snapshot(expand_fragment(ESTATE))))
    handle = io.BytesIO()
    scenarios_json.write_scenarios_json(view, handle)
    whole = {**view.header(), "scenarios": [view.full(r, s) for r, s in view.ranked()]}
    assert json.loads(handle.getvalue()) == whole
    keys = list(json.loads(handle.getvalue())["scenarios"][0])
    assert keys == sorted(keys)
