"""report.html in real headless Chromium, opened from file:// like a person would."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner.report.context import build_scan_report
from tests.report.browser import save_artifact, write_report
from tests.report.factories import (
    XSS,
    evaluation,
    finding,
    fleet,
    linked_model,
    policy,
    sample_report,
    us_east_1_zones,
)

pytestmark = pytest.mark.browser


def _rows(page) -> int:
    return page.locator("#findings-body tr.finding").count()


def _resources(page) -> list[str]:
    return page.locator("#findings-body tr.finding td.res").all_text_contents()


def test_loads_offline_with_no_console_errors_and_no_requests(tmp_path: Path, open_report) -> None:
    path = write_report(tmp_path, sample_report())
    page, log = open_report(path)
    assert _rows(page) == 5
    assert page.locator("#findings-count").text_content() == "Showing all 5 findings."
    assert log.problems() == []
    assert log.requests == [path.resolve().as_uri()]
    assert log.dialogs == []
    screenshot = tmp_path / f"report-sample-{open_report.width}px.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    save_artifact(screenshot)


def test_filters_change_what_is_shown(tmp_path: Path, open_report) -> None:
    page, log = open_report(write_report(tmp_path, sample_report()))
    page.select_option("#filter-severity", "critical")
    assert sorted(_resources(page)) == ["batch", "tagged", "web"]
    page.select_option("#filter-severity", "")
    page.select_option("#filter-status", "unknown")
    assert _resources(page) == ["ami-1"]
    page.select_option("#filter-status", "")
    page.select_option("#filter-policy", "asg-multi-az")
    assert sorted(_resources(page)) == ["batch", "tagged", "web"]
    page.fill("#filter-text", "TAGGED")
    assert _resources(page) == ["tagged"]
    assert page.locator("#findings-count").text_content() == "Showing 1 of 5 findings."
    page.fill("#filter-text", "no-such-thing")
    assert _rows(page) == 0
    page.click("#filter-reset")
    from playwright.sync_api import expect  # late: this module must import without playwright

    # The form's reset event fires before the fields clear; the table follows a tick later.
    expect(page.locator("#findings-body tr.finding")).to_have_count(5)
    page.select_option("#filter-account", "111111111111")
    page.select_option("#filter-region", "us-east-1")
    assert _rows(page) == 5
    assert log.problems() == []


def test_sorting_by_a_column(tmp_path: Path, open_report) -> None:
    page, _ = open_report(write_report(tmp_path, sample_report()))
    page.click("button.sort[data-key=resource]")
    ascending = _resources(page)
    assert ascending == sorted(ascending)
    page.click("button.sort[data-key=resource]")
    assert _resources(page) == sorted(ascending, reverse=True)
    assert page.get_attribute("button.sort[data-key=resource]", "aria-sort") == "descending"


def test_markup_in_a_tag_is_shown_as_text(tmp_path: Path, open_report) -> None:
    page, log = open_report(write_report(tmp_path, sample_report()))
    page.fill("#filter-text", "tagged")
    page.click("#findings-body tr.finding button.toggle")
    evidence = page.locator("#findings-body tr.detail pre").first.text_content()
    assert XSS in evidence
    assert page.locator("img").count() == 0
    assert XSS in page.locator("#zone-maps").text_content()  # a fleet named with markup
    assert log.dialogs == [] and log.problems() == []


def test_detail_shows_remediation_references_waiver_and_baseline(
    tmp_path: Path, open_report
) -> None:
    report = sample_report()
    web = next(f for f in report.findings if f.resource_id == "web")
    web.status = "waived"
    web.waiver = {"reason": "batch window", "owner": "team-web", "expires": "2030-01-01"}
    for item in report.findings:
        item.baseline_state = "new" if item.resource_id in ("web", "api-lb") else "unchanged"
    report.has_baseline = True
    page, log = open_report(write_report(tmp_path, report))
    page.select_option("#filter-status", "waived")
    page.click("#findings-body tr.finding button.toggle")
    detail = page.locator("#findings-body tr.detail").text_content()
    assert "aws autoscaling update-auto-scaling-group" in detail
    assert "team-web" in detail and "2030-01-01" in detail and "batch window" in detail
    assert "AWS-WA-REL10-BP01" in detail
    assert "Baselinenew" in detail.replace(" ", "").replace("\n", "")
    link = page.locator("#findings-body tr.detail a")
    assert link.get_attribute("href").startswith("https://docs.aws.amazon.com/")
    page.select_option("#filter-status", "")
    page.check("#only-new")
    assert sorted(_resources(page)) == ["api-lb", "web"]
    assert log.problems() == []


def test_policy_view_links_to_its_findings(tmp_path: Path, open_report) -> None:
    page, _ = open_report(write_report(tmp_path, sample_report()))
    row = page.locator("#policies tr", has_text="elb-cross-zone")
    assert row.locator("td.num").all_text_contents() == ["10", "9", "1", "0", "0"]
    row.locator("a.policy-link").click()
    assert _resources(page) == ["api-lb"]


def test_twenty_thousand_findings_stay_usable(tmp_path: Path, open_report) -> None:
    metas = [
        policy("asg-multi-az", severity="critical"),
        policy("elb-cross-zone", severity="medium", resource="load_balancer"),
        policy("ami-cross-region-copy", severity="low", resource="image"),
    ]
    regions = ("us-east-1", "eu-west-1", "ap-south-1")
    findings = [
        finding(metas[i % 3], f"res-{i:05d}", region=regions[(i // 3) % 3]) for i in range(20_000)
    ]
    zones = us_east_1_zones()
    fleets = [fleet(f"fleet-{i:03d}", zones[: 1 + i % 3]) for i in range(250)]
    report = build_scan_report(
        evaluation(metas, findings, evaluated=30_000),
        linked_model(fleets=fleets, zones=zones, regions=regions),
    )
    page, log = open_report(write_report(tmp_path, report, "report-20000.html"))
    assert page.locator("#findings-count").text_content() == "Showing all 20000 findings."
    assert _rows(page) == 100  # paginated
    assert "Page 1 of 200" in page.locator("#page-info").text_content()
    page.click("#page-next")
    assert "(101\u2013200)" in page.locator("#page-info").text_content()
    page.fill("#filter-text", "res-1999")
    assert page.locator("#findings-count").text_content() == "Showing 10 of 20000 findings."
    page.fill("#filter-text", "")
    page.select_option("#filter-severity", "medium")  # medium and above: critical and medium
    page.select_option("#filter-region", "eu-west-1")
    expected = sum(1 for i in range(20_000) if i % 3 != 2 and (i // 3) % 3 == 1)
    count = page.locator("#findings-count").text_content()
    assert count == f"Showing {expected} of 20000 findings."
    assert log.problems() == []
    screenshot = tmp_path / f"report-20000-{open_report.width}px.png"
    page.screenshot(path=str(screenshot))
    save_artifact(screenshot)
