"""Custom policy templates run in a sandbox, and no output ever carries a credential.

A message template may read the resource and the policy's parameters, nothing
else: escapes through Python internals, Jinja globals, other templates or
unbounded repetition are refused when the policy loads (one clean line) or fall
back to a neutral message when it renders. Credentials in the environment, and
access key ids quoted by AWS in an error, appear in no output file and no log.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto import mock_aws

from scanner.engine.messages import compile_message
from scanner.errors import ExitCode
from scanner.mockaws import deny_service
from scanner.report.redact import pseudonym
from tests.hardening.conftest import CliRun

SECRET_ENV = "STORMPROOF_TEST_ONLY_SECRET"
SECRET = "s3cr3t-value-that-must-not-leak"

POLICY = """\
id: team-sandbox
title: Sandbox probe
severity: low
resource: auto_scaling_group
description: Tries to reach beyond the resource from its message.
rationale: Custom policies are code from many authors.
remediation: None.
parameters:
  min_zones: {default: 2, type: integer, description: Fewest zones.}
violation:
  path: facts.zone_count
  op: lt
  value: {param: min_zones}
message: 'MESSAGE'
"""

# Refused when the policy loads: names outside resource/params, other templates, blocks.
REFUSED = [
    ("{{ cycler.__init__.__globals__.os.environ }}", "unknown variable 'cycler'"),
    ("{{ lipsum.__globals__['os'].environ }}", "unknown variable 'lipsum'"),
    ("{{ joiner }}{{ namespace }}", "unknown variable 'joiner'"),
    ("{{ range(10) | list }}", "unknown variable 'range'"),
    ("{{ self }}", "unknown variable 'self'"),
    ("{{ self._TemplateReference__context }}", "unknown variable 'self'"),
    ("{{ config.items() }}", "unknown variable 'config'"),
    # A field a resource document does not have is a load error, dunders included.
    ("{{ resource.__class__.__init__.__globals__ }}", "'__class__' is not a field"),
    ("{{ params.__class__.__base__.__subclasses__() }}", "__class__"),
    ("{{ '%s' | format(resource.__init__) }}", "'__init__' is not a field"),
    ("{% include '/etc/passwd' %}", "cannot use include"),
    ("{% import 'os' as os %}{{ os }}", "cannot use import"),
    ("{% extends '/etc/hosts' %}", "cannot use extends"),
    ("{{ resource.id | no_such_filter }}", "No filter named 'no_such_filter'"),
    # Non-deterministic: the same snapshot must give byte-identical outputs.
    ("{{ resource.tags | list | random }}", "No filter named 'random'"),
    # Repetition without a visible bound.
    ("{% macro m() %}{{ m() }}{{ m() }}{% endmacro %}{{ m() }}", "cannot use macro"),
    ("{% call resource.id.upper() %}x{% endcall %}", "cannot use callblock"),
    ("{% for t in resource.tags recursive %}{{ loop(t) }}{% endfor %}", "recursive loops"),
]

# Loaded, but what they reach for is not there: the message falls back, neutrally.
NEUTRAL = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ resource | attr('__class__') }}",
    "{{ resource.tags.update({'x': 1}) }}",
    "{{ resource.id.__class__.__mro__ }}",
    "{{ resource.facts.zone_count.__class__.__subclasses__() }}",
    "{{ 'x' * 1000000000 }}",
    "{{ [0] * 1000000000 }}",
    "{{ 9 ** 99999999 }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(resource) }}",
    # Memory and time bounds of rendering (docs/failure-behaviour.md, "Custom policy templates").
    "{{ resource.id | center(1000000000) }}",
    "{{ resource.id | indent(width=1000000000) }}",
    "{{ resource.id | wordwrap(1000000000) }}",
    "{{ resource.id.ljust(1000000000) }}",
    "{{ resource.id.zfill(1000000000) }}",
    "{{ '%999999999s' | format(resource.id) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '{:>999999999}'.format(resource.id) }}",
    "{{ '{0:^{1}}'.format(resource.id, 999999999) }}",
    "{{ (resource.id * 4000) | replace('', resource.id * 4000) }}",
    "{{ (resource.id * 4000).replace('', resource.id * 4000) }}",
    "{{ (2 ** 1000) ** 1000 }}",
    "{{ ((9 ** 1000) * (9 ** 1000)) ** 1000 }}",
    "{% for a in [1] * 4000 %}{% for b in [1] * 4000 %}{% for c in [1] * 4000 %}"
    "{% endfor %}{% endfor %}{% endfor %}",
]


def write_policy(folder: Path, message: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "probe.yaml").write_text(
        POLICY.replace("MESSAGE", message.replace("'", "''")), encoding="utf-8"
    )
    return folder


def every_output(output: Path, result: CliRun) -> str:
    files = [path.read_bytes().decode("utf-8", "replace") for path in output.rglob("*")]
    return "\n".join([*files, result.out, result.err])


@pytest.mark.parametrize(("message", "problem"), REFUSED, ids=[m for m, _ in REFUSED])
def test_templates_reaching_outside_are_refused_at_load(
    run_cli, good_snapshot: Path, tmp_path: Path, message: str, problem: str
) -> None:
    policies = write_policy(tmp_path / "policies", message)
    output = tmp_path / "out"
    result = run_cli(
        "scan", "--snapshot", good_snapshot, "--policies", policies, "--output-dir", output
    )
    assert result.code == ExitCode.BAD_INPUT
    [line] = result.err_lines
    assert line.startswith(f"stormproof: {policies / 'probe.yaml'}:14:10: ") and problem in line
    assert not output.exists()


@pytest.mark.parametrize("message", NEUTRAL)
def test_templates_probing_internals_render_a_neutral_fallback(
    run_cli, good_snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    monkeypatch.setenv(SECRET_ENV, SECRET)
    policies = write_policy(tmp_path / "policies", message)
    output = tmp_path / "out"
    started = time.monotonic()
    result = run_cli(
        "scan", "--snapshot", good_snapshot, "--policies", policies, "--output-dir", output
    )
    assert result.code == ExitCode.FINDINGS, result.err
    assert time.monotonic() - started < 30, "rendering a message is bounded in time"
    text = every_output(output, result)
    assert SECRET not in text
    for leak in ("<class", "<function", "<built-in", "__globals__", "0x7f", "Undefined"):
        assert leak not in text, leak
    [probe] = [f for f in findings(output) if f["policy_id"] == "team-sandbox"]
    assert probe["resource_id"] == "web"
    assert probe["message"].startswith("Auto Scaling group web: Sandbox probe")


def test_a_template_writing_without_end_stops_at_the_output_bound(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    endless = (
        "{% for a in [1] * 4000 %}{% for b in [1] * 4000 %}{{ resource.id }}"
        "{% endfor %}{% endfor %}"
    )
    policies = write_policy(tmp_path / "policies", endless)
    output = tmp_path / "out"
    started = time.monotonic()
    result = run_cli(
        "scan", "--snapshot", good_snapshot, "--policies", policies, "--output-dir", output
    )
    assert result.code == ExitCode.FINDINGS, result.err
    assert time.monotonic() - started < 30
    [probe] = [f for f in findings(output) if f["policy_id"] == "team-sandbox"]
    assert len(probe["message"]) == 4096 and probe["message"].endswith("webweb…")


def findings(output: Path) -> list[dict]:
    return json.loads((output / "findings.json").read_text(encoding="utf-8"))["findings"]


def test_a_template_sees_only_the_resource_and_parameters() -> None:
    template, problem, _ = compile_message(
        "{{ resource.id }} {{ resource.tags.team }} {{ params.min_zones }} {{ resource.missing }}"
    )
    assert problem is None and template is not None
    rendered = template.render({"id": "web", "tags": {"team": "a"}}, {"min_zones": 3}, "fallback")
    assert rendered == "web a 3"


SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYHARDTOFINDKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEJr//////////wEaDHardToFindSessionToken0123456789=="
ACCESS_KEY = "AKIAHARDENINGTEST001"


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    with mock_aws():
        yield


@pytest.mark.slow
def test_no_output_or_log_carries_a_credential(credentials: None, run_cli, tmp_path: Path) -> None:
    output = tmp_path / "out"
    # AWS quotes the caller's access key id in some errors; it must be scrubbed everywhere.
    quoted = f"User with access key {ACCESS_KEY} is not authorized to perform this operation"
    with deny_service("elbv2", code="AccessDenied", message=quoted):
        result = run_cli(
            "-v", "scan", "--regions", "us-east-1", "--rate-limit", "1000", "--output-dir", output
        )
    assert result.code == ExitCode.INCOMPLETE, result.err
    names = sorted(path.name for path in output.iterdir())
    assert names == [
        "findings.json",
        "report.html",
        "results.sarif",
        "scenarios.json",
        "snapshot.json.gz",
        "summary.md",
    ]
    text = (
        every_output(output, result)
        + gzip.decompress((output / "snapshot.json.gz").read_bytes()).decode()
    )
    assert "elbv2" in text and "is not authorized" in text  # the error itself is reported
    for secret in (SECRET_KEY, SESSION_TOKEN, ACCESS_KEY, SESSION_TOKEN[:20]):
        assert secret not in text


def test_redact_accounts_leaves_no_account_id_in_any_output(
    run_cli, good_snapshot: Path, tmp_path: Path
) -> None:
    runs = []
    for name in ("first", "second"):
        output = tmp_path / name
        result = run_cli(
            "scan", "--snapshot", good_snapshot, "--redact-accounts", "--output-dir", output
        )
        assert result.code == ExitCode.FINDINGS
        text = every_output(output, result)
        assert "111122223333" not in text
        assert pseudonym("111122223333") in text
        runs.append(re.findall(r"acct-[0-9a-f]{8}", text))
    assert runs[0] == runs[1]  # stable pseudonyms: reports stay comparable run to run
