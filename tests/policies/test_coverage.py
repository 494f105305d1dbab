"""docs/coverage.md maps AWS's own resilience checks to the library, and stays true to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.engine import load_policies

COVERAGE = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"
TEXT = COVERAGE.read_text(encoding="utf-8")
BUILTIN_IDS = {policy.id for policy in load_policies()}
NOT_COVERED = "—"

# The EC2-side checks listed on AWS Trusted Advisor's fault tolerance page.
TRUSTED_ADVISOR = {
    "ALB Multi-AZ",
    "Amazon EBS Not Included in AWS Backup Plan",
    "Amazon EBS Snapshots",
    "Amazon EC2 Auto Scaling does not have ELB Health Check Enabled",
    "Amazon EC2 Auto Scaling Group has Capacity Rebalancing Enabled",
    "Amazon EC2 Auto Scaling is not deployed in multiple AZs or does not meet the minimum "
    "number of AZs",
    "Amazon EC2 Availability Zone Balance",
    "Amazon EC2 detailed monitoring not enabled",
    "CLB Connection Draining",
    "Network Load Balancers Cross Load Balancing",
}
CONFIG_RULES = {
    "autoscaling-multiple-az",
    "autoscaling-group-elb-healthcheck-required",
    "autoscaling-capacity-rebalancing",
    "autoscaling-multiple-instance-types",
    "elb-cross-zone-load-balancing-enabled",
    "clb-multiple-az",
    "elbv2-multiple-az",
}


def sections() -> dict[str, list[list[str]]]:
    """Section title -> the rows of its table (cells stripped), header and rule excluded."""
    found: dict[str, list[list[str]]] = {}
    title = ""
    for line in TEXT.splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
        elif line.startswith("| ") and title:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] in {"Check", "Rule", "Recommendation"} or set(cells[0]) <= {"-", " "}:
                continue
            found.setdefault(title, []).append(cells)
    return found


SECTIONS = sections()
ROWS = [(title, row) for title, rows in SECTIONS.items() for row in rows]


def test_the_three_sources_each_have_a_table_and_cite_aws() -> None:
    assert set(SECTIONS) >= {
        "AWS Trusted Advisor: fault tolerance",
        "AWS Config managed rules",
        "AWS Resilience Hub",
    }
    for title in SECTIONS:
        body = TEXT.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
        assert "https://docs.aws.amazon.com/" in body, title


@pytest.mark.parametrize(("title", "row"), ROWS, ids=[row[0][:60] for _, row in ROWS])
def test_each_row_names_existing_policies_or_says_why_not(title: str, row: list[str]) -> None:
    assert len(row) == 3, row
    check, covered, notes = row
    if covered == NOT_COVERED:
        assert notes, f"{check}: not covered, but no reason given"
        return
    ids = re.findall(r"`([a-z0-9-]+)`", covered)
    assert ids and ", ".join(f"`{i}`" for i in ids) == covered, covered
    assert set(ids) <= BUILTIN_IDS, set(ids) - BUILTIN_IDS


def test_every_builtin_policy_appears_in_the_table() -> None:
    named = {i for _, row in ROWS for i in re.findall(r"`([a-z0-9-]+)`", row[1])}
    assert BUILTIN_IDS - named == set()


def test_every_in_scope_trusted_advisor_check_and_config_rule_is_listed() -> None:
    checks = {row[0] for row in SECTIONS["AWS Trusted Advisor: fault tolerance"]}
    assert TRUSTED_ADVISOR - checks == set()
    rules = {
        match.group(1)
        for row in SECTIONS["AWS Config managed rules"]
        for match in [
            re.fullmatch(r"\[([a-z0-9-]+)\]\((https://docs\.aws\.amazon\.com/\S+)\)", row[0])
        ]
        if match and match.group(2).endswith(f"/{match.group(1)}.html")
    }
    assert len(rules) == len(SECTIONS["AWS Config managed rules"])  # each links its own page
    assert CONFIG_RULES - rules == set()
