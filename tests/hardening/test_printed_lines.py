"""Every line stormproof prints is neutralised, and ``--redact-accounts`` holds everywhere.

Through the real command line: error lines quoting a YAML key or a JSON path,
warnings quoting file paths, progress and the terminal report carry no terminal
escape, control or bidi character from data; summary.md links nothing from data,
not even an e-mail address; with ``--redact-accounts`` no account id is printed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from moto import mock_aws

from scanner.engine.fragments import expand_fragment
from scanner.errors import ExitCode
from scanner.model.snapshot import dump_snapshot
from scanner.report.markdown import escape
from scanner.report.redact import pseudonym
from scanner.safe_output import neutralise

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"]
BIDI += ["\u2066", "\u2067", "\u2068", "\u2069"]
MOTO_ACCOUNT = "123456789012"


def assert_clean(text: str) -> None:
    found = UNSAFE.findall(text)
    assert not found, f"unsafe characters printed: {found!r}"


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\r", "\x9b", "\x00", "\u2028", *BIDI])
def test_neutralise_replaces_every_unsafe_character(char: str) -> None:
    assert neutralise(f"a{char}b") == "a?b"
    assert neutralise("tab\tand newline\n") == "tab\tand newline\n"


def test_own_colour_survives_only_as_plain_sgr() -> None:
    assert neutralise("\x1b[31mred\x1b[0m", allow_color=True) == "\x1b[31mred\x1b[0m"
    assert neutralise("\x1b]0;title\x07\x1b[2J", allow_color=True) == "?]0;title??[2J"


def test_an_error_line_quoting_a_hostile_yaml_key_is_neutralised(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text('"\\e]0;pwned\\a\\u202eevil\\e[2J": 1\n', encoding="utf-8")
    result = run_cli(
        "scan", "--snapshot", good_snapshot, "--config", config, "--output-dir", tmp_path / "o"
    )
    assert result.code == ExitCode.BAD_INPUT
    [line] = result.err_lines
    assert "unknown key" in line and "pwned" in line
    assert_clean(result.err)


def test_an_error_line_quoting_a_hostile_json_path_is_neutralised(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    document = json.loads(good_snapshot.read_text(encoding="utf-8"))
    document["units"][0]["resources"]["\x1b[2J\u202eweird"] = "not a list"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("scan", "--snapshot", bad, "--output-dir", tmp_path / "o")
    assert result.code == ExitCode.BAD_INPUT
    assert "invalid snapshot at" in result.err
    assert_clean(result.err)


def test_warnings_and_the_terminal_report_are_neutralised(run_cli, tmp_path: Path) -> None:
    hostile = "\x1b]8;;http://evil.example\x07click\x1b]8;;\x07\u202egpj.exe"
    fragment = {"resources": {"auto_scaling_groups": [{"id": f"web{hostile}", "zones": ["a"]}]}}
    snapshot = dump_snapshot(expand_fragment(fragment), tmp_path / "s.json")
    waivers = tmp_path / f"w{hostile[:1]}aivers.yaml"
    waivers.write_text(
        "waivers:\n  - policy: asg-single-az\n    resource: '*'\n    reason: old\n"
        "    owner: me\n    expires: 2001-01-01\n",
        encoding="utf-8",
    )
    for quiet in ([], ["-q"]):
        result = run_cli(
            "scan",
            "--snapshot",
            snapshot,
            "--waivers",
            waivers,
            "--output-dir",
            tmp_path / "o",
            *quiet,
        )
        assert result.code == ExitCode.FINDINGS, result.err
        assert "expired" in result.out + result.err
        assert_clean(result.out + result.err)


def test_summary_md_links_no_email_address_or_mailto_or_xmpp_form() -> None:
    text = escape("ops@example.com, mailto:ops@example.com, XMPP:bot@chat.example/x")
    assert "@" not in text.replace("\\@", "")
    assert "mailto:" not in text and "XMPP:" not in text
    assert escape("a\u061cb\u200fc\u200ed") == "a b c d"


def test_summary_md_from_a_scan_escapes_addresses_in_data(run_cli, tmp_path: Path) -> None:
    fragment = {
        "resources": {
            "auto_scaling_groups": [{"id": "owner-ops@example.com", "zones": ["us-east-1a"]}]
        }
    }
    snapshot = dump_snapshot(expand_fragment(fragment), tmp_path / "s.json")
    output = tmp_path / "o"
    assert run_cli("scan", "--snapshot", snapshot, "--output-dir", output).code == 1
    summary = (output / "summary.md").read_text(encoding="utf-8")
    assert "owner-ops\\@example.com" in summary
    assert "ops@example.com" not in summary


def test_redact_accounts_holds_for_progress_warnings_and_every_output(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / MOTO_ACCOUNT  # a path quoting the account id, as warnings do
    folder.mkdir()
    waivers = folder / "waivers.yaml"
    waivers.write_text(
        "waivers:\n  - policy: asg-single-az\n    resource: '*'\n    reason: old\n"
        "    owner: me\n    expires: 2001-01-01\n",
        encoding="utf-8",
    )
    output = tmp_path / "out"
    output.mkdir()
    # A snapshot an earlier run left, with real account ids in it.
    (output / "snapshot.json.gz").write_bytes(b"stale " + MOTO_ACCOUNT.encode())
    with mock_aws():
        result = run_cli(
            "scan",
            "--regions",
            "us-east-1",
            "--rate-limit",
            "1000",
            "--redact-accounts",
            "--waivers",
            waivers,
            "--output-dir",
            output,
            "-v",
        )
    # moto has no DLM: that call fails, so the scan is incomplete; the rest is collected.
    assert result.code == ExitCode.INCOMPLETE, result.err
    assert "Traceback" not in result.err
    assert "expired" in result.out + result.err
    printed = result.out + result.err
    assert MOTO_ACCOUNT not in printed
    assert pseudonym(MOTO_ACCOUNT) in printed
    # The stale unredacted snapshot is gone (and said so): no output carries the id.
    assert not (output / "snapshot.json.gz").exists()
    assert "removed" in result.err
    for path in output.iterdir():
        assert MOTO_ACCOUNT not in path.read_text(encoding="utf-8"), path.name
