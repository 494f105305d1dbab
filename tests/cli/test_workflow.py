"""The example GitHub workflow does what sarif/README.md and the issue promise.

Its category step is also run for real against the demo's SARIF (in
``test_demo.py``); here the workflow's structure is checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / "sarif" / "github-workflow.yml"


def load_workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step(job: dict[str, Any], *, uses: str | None = None, name: str | None = None) -> dict:
    (found,) = [
        s
        for s in job["steps"]
        if (uses and s.get("uses", "").startswith(uses)) or (name and s.get("name") == name)
    ]
    return found


def test_it_runs_on_a_schedule_with_oidc_and_code_scanning_permissions() -> None:
    workflow = load_workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"]
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["permissions"]["security-events"] == "write"
    job = workflow["jobs"]["scan"]
    credentials = step(job, uses="aws-actions/configure-aws-credentials")
    assert "${{ matrix.account }}" in credentials["with"]["role-to-assume"]
    assert not any("aws-access-key-id" in s.get("with", {}) for s in job["steps"])


def test_each_account_scans_a_fixed_region_set() -> None:
    job = load_workflow()["jobs"]["scan"]
    accounts = job["strategy"]["matrix"]["include"]
    assert len({entry["account"] for entry in accounts}) == len(accounts) >= 2
    assert all(entry["regions"] for entry in accounts)
    scan = step(job, name="Scan")["run"]
    assert 'stormproof scan --regions "${{ matrix.regions }}"' in scan
    assert "--all-regions" not in scan


def test_the_upload_happens_whatever_the_scan_found_under_the_files_own_category() -> None:
    job = load_workflow()["jobs"]["scan"]
    scan = step(job, name="Scan")
    assert "set +e" in scan["run"] and "exit_code=$?" in scan["run"]
    upload = step(job, uses="github/codeql-action/upload-sarif")
    assert upload["if"].startswith("always()")
    assert upload["with"]["category"] == "${{ steps.category.outputs.value }}"
    assert upload["with"]["sarif_file"] == "stormproof-out/results.sarif"
    category = step(job, name="Code scanning category")
    assert "automationDetails" in category["run"] and category["if"].startswith("always()")
    final = job["steps"][-1]
    assert final["if"] == "steps.scan.outputs.exit_code != '0'" and "exit 1" in final["run"]
    order = [s.get("name") or s.get("uses") for s in job["steps"]]
    assert order.index("Scan") < order.index(upload["uses"]) < order.index(final["name"])


def test_the_summary_goes_to_the_job_summary() -> None:
    summary = step(load_workflow()["jobs"]["scan"], name="Summary")
    assert summary["if"].startswith("always()")
    assert summary["run"] == 'cat stormproof-out/summary.md >> "$GITHUB_STEP_SUMMARY"'


# The current major of each action (codeql-action v3 is deprecated; see sarif/README.md).
CURRENT_MAJORS = {
    "actions/checkout": "v6",
    "actions/setup-python": "v6",
    "aws-actions/configure-aws-credentials": "v6",
    "github/codeql-action/upload-sarif": "v4",
    "actions/upload-artifact": "v7",
}


def test_every_action_is_pinned_to_its_current_major() -> None:
    used = {
        s["uses"].split("@")[0]: s["uses"].split("@")[1]
        for s in load_workflow()["jobs"]["scan"]["steps"]
        if "uses" in s
    }
    assert used == CURRENT_MAJORS
