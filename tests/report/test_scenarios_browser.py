"""The "Failure scenarios" view in headless Chromium: pick a domain, see what it loses."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner import cli
from scanner.engine.fragments import expand_fragment
from scanner.model.snapshot import dump_snapshot
from tests.report.browser import save_artifact

pytestmark = pytest.mark.browser

A, B = "111111111111", "222222222222"


def _az(name: str, zone_id: str) -> dict:
    return {"name": name, "id": zone_id, "region": "us-east-1", "type": "availability-zone"}


ESTATE = {
    "units": [
        {
            "account": A,
            "zones": [
                _az("us-east-1a", "use1-az4"),
                _az("us-east-1b", "use1-az6"),
                {
                    "name": "us-east-1-bos-1a",
                    "id": "use1-bos1-az1",
                    "type": "local-zone",
                    "parent_zone_name": "us-east-1b",
                    "parent_zone_id": "use1-az6",
                    "opt_in_status": "opted-in",
                },
            ],
            "resources": {
                "auto_scaling_groups": [
                    {
                        "id": "web",
                        "zones": ["us-east-1a"],
                        "instances": [{"id": "i-w", "zone": "us-east-1a"}],
                    },
                    {
                        "id": "edge",
                        "zones": ["us-east-1-bos-1a"],
                        "instances": [{"id": "i-e", "zone": "us-east-1-bos-1a"}],
                    },
                ],
                "volumes": [{"id": "vol-a", "zone": "us-east-1a", "size_gib": 30}],
            },
        },
        {
            "account": B,
            "zones": [_az("us-east-1a", "use1-az6"), _az("us-east-1c", "use1-az4")],
            "resources": {"instances": [{"id": "i-b", "zone": "us-east-1c", "tags": {}}]},
        },
    ]
}


@pytest.fixture(scope="module")
def report_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scenarios-report")
    snapshot = dump_snapshot(expand_fragment(ESTATE), folder / "snapshot.json")
    assert cli.main(["-q", "scan", "--snapshot", str(snapshot), "--output-dir", str(folder)]) == 1
    return folder / "report.html"


def _visible_panels(page) -> list[str]:
    return [p.get_attribute("id") for p in page.locator("#scenarios .scenario:visible").all()]


def test_picking_a_domain_shows_its_scenario(report_path: Path, open_report, tmp_path) -> None:
    page, log = open_report(report_path)
    # the worst domain is shown first: the Region, where everything is down
    assert _visible_panels(page) == ["scenario-us-east-1"]
    assert (
        page.locator("#scenario-us-east-1 .scenario-title")
        .text_content()
        .startswith("#1 Region us-east-1: 3 workload(s) down")
    )
    # use1-az4 is one zone, named differently in the two accounts
    page.click("button[data-scenario=scenario-use1-az4]")
    assert _visible_panels(page) == ["scenario-use1-az4"]
    title = page.locator("#scenario-use1-az4 .scenario-title").text_content()
    assert title.startswith(f"#2 zone use1-az4 (us-east-1a in {A}, us-east-1c in {B})")
    rows = page.locator("#scenario-use1-az4 table.scenario-workloads tbody tr")
    assert rows.all_text_contents()[0].split()[:4] == ["down", "Auto", "Scaling", "group"]
    # the Local Zone sits under its parent in the picker; its parent's failure puts it at risk
    parent = page.locator(".domain-zone", has=page.locator("[data-scenario=scenario-use1-az6]"))
    assert parent.locator("button.local").get_attribute("data-scenario") == (
        "scenario-use1-bos1-az1"
    )
    page.click("button[data-scenario=scenario-use1-az6]")
    assert _visible_panels(page) == ["scenario-use1-az6"]
    assert (
        page.locator("button[data-scenario=scenario-use1-az6]").get_attribute("aria-pressed")
        == "true"
    )
    outcome = page.locator("#scenario-use1-az6 tr.outcome-at-risk td").first.text_content()
    assert outcome == "at risk"
    page.click("button[data-scenario=scenario-use1-bos1-az1]")
    assert "Auto Scaling group edge" in page.locator("#scenario-use1-bos1-az1").text_content()
    page.click("button[data-scenario=scenario-us-east-1]")
    data = page.locator("#scenario-us-east-1 table.scenario-data tbody tr").all_text_contents()
    # nothing backs vol-a up: its 30 GiB are lost with the Region
    [row] = [row for row in data if "volume vol-a" in row]
    assert row.split()[:2] == ["lost", "—"] and "30" in row.split()
    assert page.locator("#scenario-us-east-1 table.scenario-data td.bad").count() >= 1
    screenshot = tmp_path / "report-scenarios.png"
    page.locator("#scenarios").screenshot(path=str(screenshot))
    save_artifact(screenshot)
    assert log.problems() == [] and log.requests == [report_path.resolve().as_uri()]


def test_a_findings_link_filters_the_findings_table(report_path: Path, open_report) -> None:
    page, log = open_report(report_path)
    page.click("button[data-scenario=scenario-use1-az4]")
    link = page.locator("#scenario-use1-az4 button.findings-link").first
    arn = link.get_attribute("data-arn")
    link.click()
    assert page.locator("#filter-text").input_value() == arn
    resources = page.locator("#findings-body tr.finding td.res").all()
    assert resources and all(cell.get_attribute("title") == arn for cell in resources)
    assert log.problems() == []
