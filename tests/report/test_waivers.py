"""Waivers: matching, expiry, malformed entries (warnings) and malformed files (one-line errors)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scanner.errors import InputError
from scanner.report.waivers import apply_waivers, load_waivers
from tests.report.factories import ACCOUNT, arn_for, finding, policy

TODAY = dt.date(2026, 1, 5)


def _write(tmp_path: Path, text: str, name: str = "waivers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _findings():
    crit = policy("asg-multi-az", severity="critical")
    low = policy("ami-cross-region-copy", severity="low", resource="image")
    return [
        finding(crit, "batch-1"),
        finding(crit, "batch-2"),
        finding(crit, "web"),
        finding(low, "ami-1"),
        finding(low, "ami-2", status="unknown"),
    ]


def test_exact_glob_and_star_entries_waive_matching_open_findings(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"""\
version: 1
waivers:
  - policy: asg-multi-az
    resource: "{arn_for("batch-*")}"
    reason: batch jobs tolerate a zone outage
    owner: team-batch
    expires: 2026-06-30
    ticket: OPS-12
  - policy: "*"
    resource: "{arn_for("ami-*")}"
    reason: images are rebuilt from code
    owner: platform
    expires: 2026-01-05
""",
    )
    waivers = load_waivers(path, today=TODAY)
    assert waivers.warnings == ()
    findings = _findings()
    assert apply_waivers(findings, waivers) == 3
    status = {f.resource_id: f.status for f in findings}
    assert status == {
        "batch-1": "waived",
        "batch-2": "waived",
        "web": "open",
        "ami-1": "waived",
        "ami-2": "unknown",  # a waiver cannot vouch for a resource nobody could see
    }
    batch = findings[0].waiver
    assert batch["reason"] == "batch jobs tolerate a zone outage"
    assert batch["owner"] == "team-batch"
    assert batch["expires"] == "2026-06-30"
    assert batch["ticket"] == "OPS-12"
    assert batch["line"] == 3
    assert batch["source"] == str(path)


def test_first_matching_entry_wins(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"""\
waivers:
  - {{policy: asg-multi-az, resource: "{arn_for("web")}", reason: first, owner: a,
      expires: 2030-01-01}}
  - {{policy: "*", resource: "*", reason: second, owner: b, expires: 2030-01-01}}
""",
    )
    findings = _findings()
    apply_waivers(findings, load_waivers(path, today=TODAY))
    assert next(f for f in findings if f.resource_id == "web").waiver["reason"] == "first"
    assert next(f for f in findings if f.resource_id == "ami-1").waiver["reason"] == "second"


def test_policy_must_match_too(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"""\
waivers:
  - {{policy: elb-cross-zone, resource: "{arn_for("web")}", reason: r, owner: o,
      expires: 2030-01-01}}
""",
    )
    findings = _findings()
    assert apply_waivers(findings, load_waivers(path, today=TODAY)) == 0
    assert all(f.waiver is None for f in findings)


def test_an_expired_waiver_waives_nothing_and_warns(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"""\
waivers:
  - policy: asg-multi-az
    resource: "{arn_for("web")}"
    reason: migration in progress
    owner: team-web
    expires: 2026-01-04
""",
    )
    waivers = load_waivers(path, today=TODAY)
    assert waivers.waivers == ()
    (warning,) = waivers.warnings
    assert warning.line == 2
    assert "expired on 2026-01-04" in warning.message and "team-web" in warning.message
    assert str(warning).startswith(f"{path}:2: ")
    findings = _findings()
    assert apply_waivers(findings, waivers) == 0
    assert next(f for f in findings if f.resource_id == "web").status == "open"


def test_a_waiver_expiring_today_still_applies(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f'waivers:\n  - {{policy: "*", resource: "{arn_for("web")}", reason: r, owner: o, '
        f"expires: {TODAY.isoformat()}}}\n",
    )
    assert len(load_waivers(path, today=TODAY).waivers) == 1
    assert load_waivers(path, today=TODAY + dt.timedelta(days=1)).waivers == ()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('{policy: "*", resource: "*", owner: o, expires: 2030-01-01}', "'reason' is a required"),
        ('{policy: "*", resource: "*", reason: r, owner: o, expires: 2030-02-30}', "expires"),
        ('{policy: "*", resource: "*", reason: r, owner: o, expires: "soon"}', "expires"),
        ('{policy: "*", resource: "*", reason: "  ", owner: o, expires: 2030-01-01}', "reason"),
        ('{policy: "*", resource: "*", reason: r, owner: o, expires: 2030-01-01, x: 1}', "x"),
        ("just a string", "entry"),
    ],
)
def test_a_malformed_entry_waives_nothing_and_warns_with_its_line(
    tmp_path: Path, entry: str, problem: str
) -> None:
    path = _write(
        tmp_path,
        "waivers:\n"
        '  - {policy: "*", resource: "*", reason: fine, owner: o, expires: 2030-01-01}\n'
        f"  - {entry}\n",
    )
    waivers = load_waivers(path, today=TODAY)
    assert len(waivers.waivers) == 1 and waivers.waivers[0].reason == "fine"
    (warning,) = waivers.warnings
    assert warning.line == 3
    assert "malformed waiver #2 waives nothing" in warning.message
    assert problem in warning.message


def test_json_waiver_file(tmp_path: Path) -> None:
    entry = {
        "policy": "asg-multi-az",
        "resource": arn_for("web"),
        "reason": "r",
        "owner": "o",
        "expires": "2030-01-01",
    }
    path = _write(tmp_path, json.dumps({"waivers": [entry]}, indent="\t"), "waivers.json")
    findings = _findings()
    assert apply_waivers(findings, load_waivers(path, today=TODAY)) == 1


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("waivers:\n  - policy: [unclosed\n", "not valid YAML", 3),
        ("- policy: x\n", "a waiver file is a mapping", 1),
        ("", "this one is empty", 1),
        ("waivers: {policy: x}\n", "invalid waiver file at $.waivers", 1),
        ("waiver:\n  - {}\n", "invalid waiver file", 1),
    ],
)
def test_an_unusable_file_is_one_input_error_with_file_and_line(
    tmp_path: Path, text: str, message: str, line: int
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_waivers(path, today=TODAY)
    assert message in caught.value.message
    assert caught.value.location.path == str(path)
    assert caught.value.location.line == line
    assert "\n" not in str(caught.value)


def test_missing_file_and_bad_json_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read waiver file"):
        load_waivers(tmp_path / "absent.yaml", today=TODAY)
    path = _write(tmp_path, '{"waivers": [\n\t{"policy": }\n]}', "bad.json")
    with pytest.raises(InputError) as caught:
        load_waivers(path, today=TODAY)
    assert caught.value.location.line == 2
    assert "not valid JSON" in caught.value.message


def test_account_in_glob_matches_only_that_account(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "waivers:\n"
        f'  - {{policy: "*", resource: "arn:aws:*:*:{ACCOUNT}:*", reason: r, owner: o, '
        "expires: 2030-01-01}\n",
    )
    meta = policy("asg-multi-az")
    mine, theirs = finding(meta, "a"), finding(meta, "b", account="222222222222")
    apply_waivers([mine, theirs], load_waivers(path, today=TODAY))
    assert (mine.status, theirs.status) == ("waived", "open")


def test_a_renamed_policy_id_still_waives_with_a_deprecation_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        f"""\
version: 1
waivers:
  - policy: volume-no-dlm-policy
    resource: "{arn_for("vol-*")}"
    reason: scratch volumes
    owner: platform
    expires: 2026-06-30
""",
    )
    waivers = load_waivers(path, today=TODAY)
    [warning] = waivers.warnings
    assert warning.line == 3
    assert warning.message == (
        "waiver #1: policy id 'volume-no-dlm-policy' is deprecated and will stop working in the "
        "next release; use 'volume-no-backup-policy'"
    )
    volumes = finding(policy("volume-no-backup-policy", resource="volume"), "vol-1")
    assert apply_waivers([volumes], waivers) == 1
    assert volumes.status == "waived"
