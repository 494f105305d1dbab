"""report.html views in headless Chromium, at 1440 and 390 px: where findings are, links, phones.

Each test runs at both widths (see conftest.py) and checks what a person would:
the rows shown, the URL a view can be shared with, what fits on the screen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.report.context import build_scan_report
from tests.report.browser import save_artifact, write_report
from tests.report.factories import (
    ACCOUNT,
    evaluation,
    finding,
    fleet,
    linked_model,
    policy,
    sample_report,
    us_east_1_zones,
    zone,
)

pytestmark = pytest.mark.browser


def _resources(page) -> list[str]:
    return sorted(page.locator("#findings-body tr.finding td.res").all_text_contents())


def _fragment(page) -> str:
    return page.evaluate("window.location.hash")


def test_zone_column_zone_filter_tag_filter_and_zone_search(tmp_path: Path, open_report) -> None:
    page, log = open_report(write_report(tmp_path, sample_report()))
    zones = dict(
        zip(
            page.locator("#findings-body td.res").all_text_contents(),
            page.locator("#findings-body td.zone").all_text_contents(),
            strict=True,
        )
    )
    assert zones["api-lb"] == "us-east-1a, us-east-1b"
    assert zones["ami-1"] == "—"  # regional: no zone
    options = page.locator("#filter-zone option").all_text_contents()
    assert "us-east-1b (use1-az2)" in options and "us-east-1-bos-1a (use1-bos1-az1)" in options
    page.select_option("#filter-zone", "us-east-1b (use1-az2)")
    assert _resources(page) == ["api-lb", "batch"]
    page.select_option("#filter-zone", "")
    page.fill("#filter-tag", "Team=edge")
    assert _resources(page) == ["tagged"]
    page.fill("#filter-tag", "Team")
    assert _resources(page) == ["api-lb", "tagged", "web"]
    page.fill("#filter-tag", "")
    page.fill("#filter-text", "use1-az2")  # a zone id
    assert _resources(page) == ["api-lb", "batch"]
    page.fill("#filter-text", "us-east-1-bos-1a")  # a zone name
    assert _resources(page) == ["tagged"]
    assert log.problems() == []


def test_severity_is_a_threshold_and_the_view_survives_a_reload(
    tmp_path: Path, open_report
) -> None:
    report = sample_report()
    next(f for f in report.findings if f.resource_id == "api-lb").severity = "high"
    page, log = open_report(write_report(tmp_path, report))
    labels = page.locator("#filter-severity option").all_text_contents()
    assert labels == ["all", "critical only", "high and above", "medium and above"]
    page.select_option("#filter-severity", "high")
    assert _resources(page) == ["api-lb", "batch", "tagged", "web"]
    page.select_option("#filter-zone", "us-east-1a (use1-az1)")
    page.click("button.sort[data-key=resource]")
    assert "severity=high" in _fragment(page) and "zone=us-east-1a" in _fragment(page)
    page.reload()
    assert page.locator("#findings-body td.res").all_text_contents() == ["api-lb", "web"]
    assert page.input_value("#filter-severity") == "high"
    assert page.input_value("#filter-zone") == "us-east-1a (use1-az1)"
    # A link someone shared opens the same view in a fresh page.
    shared = page.url
    other, _ = open_report(Path(tmp_path / "report.html"), "#" + shared.split("#", 1)[1])
    assert other.locator("#findings-body td.res").all_text_contents() == ["api-lb", "web"]
    page.click("#filter-reset")
    from playwright.sync_api import expect

    expect(page.locator("#findings-body tr.finding")).to_have_count(5)
    assert "severity" not in _fragment(page)
    assert log.problems() == []


def test_chart_bars_filter_the_findings_when_clicked(tmp_path: Path, open_report) -> None:
    page, log = open_report(write_report(tmp_path, sample_report()))
    page.locator("#chart-policy a.bar-row", has_text="elb-cross-zone").click()
    assert _resources(page) == ["api-lb"]
    assert page.input_value("#filter-policy") == "elb-cross-zone"
    assert page.input_value("#filter-status") == "open"
    page.locator("#chart-severity a.bar-row", has_text="critical").click()
    assert _resources(page) == ["batch", "tagged", "web"]
    assert page.input_value("#filter-severity") == "critical"
    assert page.input_value("#filter-policy") == ""
    assert log.problems() == []


def test_without_javascript_a_notice_says_so_and_the_summary_shows(
    tmp_path: Path, open_report_without_script
) -> None:
    page, log = open_report_without_script(write_report(tmp_path, sample_report()))
    notice = page.locator("#noscript-notice")
    assert notice.is_visible()
    assert "JavaScript is off" in notice.text_content()
    assert page.locator("#total-critical").text_content() == "3"
    assert page.locator("#total-open").text_content() == "4"
    assert page.locator("#chart-severity .bar-row").count() == 4
    assert page.locator("#zone-maps table.zones").first.is_visible()
    assert page.locator("#policies tbody tr").count() == 3
    assert not page.locator("#filters").is_visible()  # controls that cannot work are hidden
    assert log.errors == []
    screenshot = tmp_path / f"report-no-script-{open_report_without_script.width}px.png"
    page.screenshot(path=str(screenshot), full_page=True)
    save_artifact(screenshot)


def test_policy_descriptions_render_markdown_safely(tmp_path: Path, open_report) -> None:
    described = policy(
        "asg-multi-az",
        description=(
            "Flags a group below `min_zones` zones; see "
            "[the AWS guide](https://docs.aws.amazon.com/autoscaling/ec2/userguide/"
            "as-add-az-console.html). "
            "Not a link: [click](javascript:alert(1)). Not markup: <b onclick=alert(2)>bold</b>."
        ),
    )
    report = build_scan_report(
        evaluation([described], [finding(described, "web")]), linked_model(zones=us_east_1_zones())
    )
    page, log = open_report(write_report(tmp_path, report))
    cell = page.locator("#policy-asg-multi-az .description")
    assert cell.locator("code").text_content() == "min_zones"
    link = cell.locator("a")
    assert link.count() == 1
    assert link.get_attribute("href").startswith("https://docs.aws.amazon.com/")
    assert link.get_attribute("rel") == "noopener noreferrer"
    text = cell.text_content()
    assert "[click](javascript:alert(1))" in text
    assert "<b onclick=alert(2)>bold</b>" in text
    assert cell.locator("b").count() == 0
    assert log.dialogs == [] and log.problems() == []


def _estate_of_many_units(units: int = 43):
    """43 (account, Region) maps, each with fleets in one or three zones."""
    metas = [policy("asg-multi-az", severity="critical")]
    regions = [f"xx-test-{n}" for n in range(1, 12)]
    accounts = [f"{n:012d}" for n in range(1, 5)]
    zones, fleets, findings = [], [], []
    for index in range(units):
        account, region = accounts[index % 4], regions[index // 4]
        unit_zones = [
            zone(f"{region}{letter}", f"z{index}-az{n}", account=account, region=region)
            for n, letter in enumerate("abc", start=1)
        ]
        zones += unit_zones
        for n in range(5):
            name = f"fleet-{index:02d}-{n}"
            fleets.append(fleet(name, unit_zones[: 1 + n % 3], account=account, region=region))
            findings.append(finding(metas[0], name, account=account, region=region))
    report = build_scan_report(
        evaluation(metas, findings),
        linked_model(fleets=fleets, zones=zones, accounts=accounts, regions=regions),
    )
    return report


def test_many_zone_maps_are_indexed_and_collapsed(tmp_path: Path, open_report) -> None:
    page, log = open_report(write_report(tmp_path, _estate_of_many_units()))
    maps = page.locator("#zone-maps details.zone-map")
    assert maps.count() == 43
    assert page.locator("#zone-maps details.zone-map[open]").count() == 0
    assert page.locator("#zone-maps table.zones:visible").count() == 0
    index = page.locator("#zone-maps .zone-index a")
    assert index.count() == 43
    # The findings come before the zone maps, whatever their number.
    findings_top = page.locator("#findings").bounding_box()["y"]
    assert findings_top < page.locator("#zone-maps").bounding_box()["y"]
    index.nth(10).click()
    target = maps.nth(10)
    assert target.get_attribute("open") is not None
    assert target.locator("table.zones").is_visible()
    assert target.locator("tbody tr").count() == 5
    assert log.problems() == []


def test_the_page_fits_the_screen(tmp_path: Path, open_report) -> None:
    zones = us_east_1_zones()
    extra = [
        zone(
            f"us-east-1-x{n}-1a",
            f"use1-x{n}-az1",
            kind="local-zone",
            parent="us-east-1b",
            opt_in="opted-in",
        )
        for n in range(8)
    ]
    report = sample_report()
    report.zones += extra
    report.fleets.append(
        {
            "id": "wide",
            "arn": "arn:wide",
            "name": "wide",
            "kind": "auto_scaling_group",
            "account": ACCOUNT,
            "region": "us-east-1",
            "zones": zones[:3] + extra,
            "instance_ids": [],
        }
    )
    page, log = open_report(write_report(tmp_path, report))
    width = open_report.width
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
    box = page.locator("#zone-maps .zone-scroll").first
    sizes = box.evaluate("node => [node.scrollWidth, node.clientWidth]")
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= width
    for label in page.locator(".bar-label").all():
        assert float(label.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 12
        assert label.evaluate("n => n.scrollWidth <= n.clientWidth")  # never cut off
        assert label.bounding_box()["x"] + label.bounding_box()["width"] <= width
    row = page.locator("#findings-body tr.finding").first
    display = row.evaluate("n => getComputedStyle(n).display")
    if width <= 640:
        assert sizes[0] > sizes[1]  # the wide zone map scrolls inside its own box
        assert display == "block"  # a card
        assert row.bounding_box()["width"] <= width
        message = row.locator("td.msg")
        assert message.evaluate("n => getComputedStyle(n, '::before').content") == '"Message: "'
    else:
        assert display == "table-row"
    page.fill("#filter-text", "api-lb")
    page.click("#findings-body tr.finding button.toggle")  # details: long ARNs, evidence, commands
    detail = page.locator("#findings-body tr.detail")
    assert detail.bounding_box()["x"] + detail.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert log.problems() == []
    screenshot = tmp_path / f"report-fit-{width}px.png"
    page.screenshot(path=str(screenshot), full_page=True)
    save_artifact(screenshot)
