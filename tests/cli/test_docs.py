"""The README and docs/permissions.md say what the code does, and stay that way."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest
import yaml

from scanner.cli import EXIT_CODES_HELP
from scanner.collect.readonly import iam_policy_document
from scanner.errors import ExitCode
from scanner.resources import builtin_policies_dir
from tests.cli.docs_sync import BLOCKS, PERMISSIONS, REPOSITORY, committed_block, generated_block

README = REPOSITORY / "README.md"
CI_SCRIPT = REPOSITORY / ".ci" / "run"
INTERNAL_ERROR = 70  # scanner.cli.main's answer to an unexpected exception
NO_PERMISSION_NEEDED = "no permission needed"
NOT_GRANTED = "not granted"


def _section(text: str, index: int) -> str:
    """The ``index``-th ``## `` section of a Markdown document (0-based)."""
    return re.split(r"^## ", text, flags=re.MULTILINE)[index + 1]


def _code_blocks(text: str) -> list[list[str]]:
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    return [[line for line in block.splitlines() if line.strip()] for block in blocks]


def _table(text: str, header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`") for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize("name", list(BLOCKS))
def test_permissions_embeds_the_current_iam_policies(name: str) -> None:
    committed = committed_block(PERMISSIONS.read_text(encoding="utf-8"), name)
    assert committed == generated_block(name), (
        "docs/permissions.md is stale: run `python -m tests.cli.docs_sync`"
    )


def test_managed_policy_table_covers_exactly_our_actions() -> None:
    rows = _table(PERMISSIONS.read_text(encoding="utf-8"), "| Action |")
    ours = iam_policy_document()["Statement"][0]["Action"]
    assert [row[0] for row in rows] == ours
    for action, *grants in rows:
        for grant in grants:
            if grant in (NOT_GRANTED, NO_PERMISSION_NEEDED):
                continue
            assert fnmatch.fnmatchcase(action, grant), f"{grant} does not grant {action}"
        if grants[0] == NO_PERMISSION_NEEDED:
            assert action == "sts:GetCallerIdentity"


def test_permissions_says_which_managed_policies_suffice() -> None:
    rows = _table(PERMISSIONS.read_text(encoding="utf-8"), "| Action |")
    read_only = {action for action, grant, _ in rows if grant == NOT_GRANTED}
    security_audit_gaps = {action for action, _, grant in rows if grant == NOT_GRANTED}
    assert read_only == set()
    assert security_audit_gaps == {
        "dlm:GetLifecyclePolicies",
        "dlm:GetLifecyclePolicy",
        "arc-zonal-shift:ListManagedResources",
        "backup:ListBackupPlans",
        "backup:GetBackupPlan",
        "backup:ListBackupSelections",
        "backup:GetBackupSelection",
        "backup:ListProtectedResources",
        "backup:ListRecoveryPointsByBackupVault",
    }
    text = PERMISSIONS.read_text(encoding="utf-8")
    assert "**`ReadOnlyAccess` is enough on its own.**" in text
    assert all(action in text.split("Add the two DLM")[1] for action in security_audit_gaps)


def test_readme_starts_with_the_two_commands() -> None:
    first = _section(README.read_text(encoding="utf-8"), 0)
    assert first.startswith("Two commands")
    (block,) = _code_blocks(first)
    assert len(block) == 2
    setup, tests = block
    assert "pip install -e '.[demo,test]'" in setup and setup.endswith("stormproof demo")
    ci_script = CI_SCRIPT.read_text(encoding="utf-8")
    assert re.search(rf"^{re.escape(tests)} \|\| status=\$\?$", ci_script, re.MULTILINE)


def test_readme_documents_every_exit_code() -> None:
    rows = _table(README.read_text(encoding="utf-8"), "| Code |")
    documented = {int(row[0]) for row in rows}
    assert documented == {int(code) for code in ExitCode} | {INTERNAL_ERROR}
    in_help = {int(code) for code in re.findall(r"^\s+(\d+)\s", EXIT_CODES_HELP, re.MULTILINE)}
    assert in_help <= documented


def test_readme_screenshot_exists_and_is_a_png() -> None:
    text = README.read_text(encoding="utf-8")
    assert "](docs/img/report.png)" in text
    assert (REPOSITORY / "docs" / "img" / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("document", [README, PERMISSIONS], ids=lambda p: p.name)
def test_relative_links_resolve(document: Path) -> None:
    links = re.findall(r"\]\(([^)#\s]+)[^)]*\)", document.read_text(encoding="utf-8"))
    local = [link for link in links if "://" not in link]
    assert local
    missing = [link for link in local if not (document.parent / link).exists()]
    assert missing == []


def test_readme_names_no_absolute_paths() -> None:
    """A path of the machine the docs were written on means nothing in a reader's clone."""
    text = README.read_text(encoding="utf-8")
    assert re.findall(r"(?<![\w.:/])/(?:[\w.-]+/)+[\w.-]+", text) == []
    assert "file://" not in text


def test_the_policy_reference_lists_every_builtin_policy() -> None:
    reference = (REPOSITORY / "docs" / "policies.md").read_text(encoding="utf-8")
    for path in builtin_policies_dir().glob("*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] in reference
